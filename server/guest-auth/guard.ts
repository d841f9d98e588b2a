import { forbidden, notFound, redirect } from "next/navigation";
import { appDb, withTenant } from "@/db/client";
import { currentStaffSession } from "../auth/session";
import type { Guest } from "../loyalty/ledger";
import { welcomeBonusOffered } from "../loyalty/welcome-claims";
import { findTenantBySlug, type TenantSummary } from "../tenants/queries";
import { storefrontOpenTo } from "../tenants/storefront";
import { guestOfAccount, onlineAccessClosed } from "./guests";
import { currentGuestAccount, type GuestAccount } from "./session";

export type GuestPage = { tenant: TenantSummary; account: GuestAccount; guest: Guest };

/** Where a signed-out guest goes to sign in and come back to `path`. */
export function guestSignInPath(tenantSlug: string, path: string): string {
  return `/${tenantSlug}/sign-in?next=${encodeURIComponent(path)}`;
}

/**
 * For the storefront's pages: the URL's café, when its storefront may be shown to this visitor.
 * Not open yet: 404 for guests, a preview for the café's staff (storefrontOpenTo).
 */
export async function requireStorefront(tenantSlug: string): Promise<TenantSummary> {
  const tenant = await findTenantBySlug(tenantSlug);
  if (!tenant || !(await storefrontOpenTo(appDb(), tenant, currentStaffSession))) notFound();
  return tenant;
}

/**
 * For the welcome page: the café's guest behind the signed-in email (null before the first visit)
 * and the welcome bonus the café would give now.
 */
export function guestWelcome(tenantId: string, email: string): Promise<{ guest: Guest | null; welcomeBonus: number }> {
  return withTenant(tenantId, async (tx) => ({
    guest: await guestOfAccount(tx, email),
    welcomeBonus: await welcomeBonusOffered(tx, tenantId, email),
  }));
}

/**
 * For cabinet and checkout pages: the café's enrolled guest signed in by magic link. Signed out
 * → the café's sign-in; signed in but not this café's guest yet → the welcome form; no café → 404;
 * a blocked card → 403.
 */
export async function requireGuestPage(tenantSlug: string, path: string): Promise<GuestPage> {
  const tenant = await requireStorefront(tenantSlug);
  const account = await currentGuestAccount();
  if (!account) redirect(guestSignInPath(tenant.slug, path));
  const guest = await withTenant(tenant.id, (tx) => guestOfAccount(tx, account.email));
  if (!guest) redirect(`/${tenant.slug}/welcome?next=${encodeURIComponent(path)}`);
  // A card the café blocked opens no guest page (the procedures refuse it too).
  if (onlineAccessClosed(guest)) forbidden();
  return { tenant, account, guest };
}
