import { eq } from "drizzle-orm";
import { type Database, withTenant } from "@/db/client";
import { memberships } from "@/db/schema";
import type { TenantSummary } from "./queries";

type Storefront = Pick<TenantSummary, "id" | "storefrontOpenedAt">;

/**
 * Whether a café's storefront and guest cabinet may be shown: to everyone once the owner opened
 * it; before that only to the café's own staff (a preview), and to guests not at all — it answers
 * as a café that does not exist. The POS API does not ask.
 */
export async function storefrontVisible(
  db: Database,
  tenant: Storefront,
  staffUserId: string | null,
): Promise<boolean> {
  if (tenant.storefrontOpenedAt) return true;
  if (!staffUserId) return false;
  const [member] = await withTenant(
    tenant.id,
    (tx) => tx.select({ id: memberships.id }).from(memberships).where(eq(memberships.userId, staffUserId)),
    db,
  );
  return Boolean(member);
}

/** storefrontVisible for a request: the staff session is resolved only for a café not open yet. */
export async function storefrontOpenTo(
  db: Database,
  tenant: Storefront,
  staffSession: () => Promise<{ userId: string } | null>,
): Promise<boolean> {
  if (tenant.storefrontOpenedAt) return true;
  return storefrontVisible(db, tenant, (await staffSession())?.userId ?? null);
}
