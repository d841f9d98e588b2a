import { and, eq, isNull, sql } from "drizzle-orm";
import { appDb, type Database, type Tx, withTenant } from "@/db/client";
import { memberships, posApiKeys, products, staffInvitations, tenants, users } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";

/** The first steps of a new café, in the order the checklist shows them. */
export const SETUP_STEPS = ["product", "loyalty", "posKey", "colleague", "storefront"] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

export type SetupChecklist = {
  steps: { key: SetupStep; done: boolean }[];
  done: number;
  total: number;
  complete: boolean;
};

/**
 * The checklist of the café bound to `tx`, read from what the café has done (nothing is ticked
 * by hand): a product on the menu, the loyalty rules checked, a POS key made (even if revoked
 * since), a colleague invited or on the team, the storefront open. One query.
 */
export async function setupChecklist(tx: Tx, tenantId: string): Promise<SetupChecklist> {
  const [row] = await tx
    .select({
      product: sql<boolean>`exists (select 1 from ${products})`,
      loyalty: sql<boolean>`${tenants.loyaltyReviewedAt} is not null`,
      posKey: sql<boolean>`exists (select 1 from ${posApiKeys})`,
      colleague: sql<boolean>`exists (select 1 from ${staffInvitations})
        or (select count(*) from ${memberships}) > 1`,
      storefront: sql<boolean>`${tenants.storefrontOpenedAt} is not null`,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!row) throw new AppError("not_found", "No such café");
  const steps = SETUP_STEPS.map((key) => ({ key, done: Boolean(row[key]) }));
  const done = steps.filter((step) => step.done).length;
  return { steps, done, total: steps.length, complete: done === steps.length };
}

/** The checklist of a café, in a transaction of its own (the overview page). */
export function tenantSetupChecklist(tenantId: string, db: Database = appDb()): Promise<SetupChecklist> {
  return withTenant(tenantId, (tx) => setupChecklist(tx, tenantId), db);
}

export type Actor = { userId: string; ip: string | null };

/**
 * Opens the storefront and the guest cabinet of the café bound to `tx` to everyone. Refused
 * (`email_unverified`) until the owner doing it has confirmed their email: a public page under
 * the platform's name needs someone reachable behind it. Opening an open storefront changes nothing.
 */
export async function openStorefront(
  tx: Tx,
  input: { tenantId: string; actor: Actor },
): Promise<{ openedAt: Date; alreadyOpen: boolean }> {
  const [user] = await tx
    .select({ emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.id, input.actor.userId));
  if (!user?.emailVerified) {
    throw new AppError("forbidden", "Confirm your email before opening the storefront", "email_unverified");
  }
  const [opened] = await tx
    .update(tenants)
    .set({ storefrontOpenedAt: sql`now()` })
    .where(and(eq(tenants.id, input.tenantId), isNull(tenants.storefrontOpenedAt)))
    .returning({ openedAt: tenants.storefrontOpenedAt });
  if (!opened?.openedAt) {
    const [tenant] = await tx
      .select({ openedAt: tenants.storefrontOpenedAt })
      .from(tenants)
      .where(eq(tenants.id, input.tenantId));
    if (!tenant?.openedAt) throw new AppError("not_found", "No such café");
    return { openedAt: tenant.openedAt, alreadyOpen: true };
  }
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "storefront.opened",
    targetType: "tenant",
    targetId: input.tenantId,
  });
  return { openedAt: opened.openedAt, alreadyOpen: false };
}

/** An owner confirms the café's loyalty rules as they are (the checklist's "check the loyalty rules"). */
export async function confirmLoyaltyRules(tx: Tx, input: { tenantId: string; actor: Actor }): Promise<Date> {
  const [row] = await tx
    .update(tenants)
    .set({ loyaltyReviewedAt: sql`now()` })
    .where(eq(tenants.id, input.tenantId))
    .returning({ reviewedAt: tenants.loyaltyReviewedAt });
  if (!row?.reviewedAt) throw new AppError("not_found", "No such café");
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "loyalty.rules_reviewed",
    targetType: "tenant",
    targetId: input.tenantId,
  });
  return row.reviewedAt;
}
