import { eq } from "drizzle-orm";
import { cache } from "react";
import { type Database, withTenant } from "@/db/client";
import { membershipLocations, memberships, users } from "@/db/schema";
import type { TenantSummary } from "../tenants/queries";
import { can, type Permission, type Role, requiresTwoFactor } from "./permissions";
import type { StaffSession } from "./sessions";

export type StaffMember = {
  session: StaffSession;
  tenant: TenantSummary;
  membershipId: string;
  role: Role;
  /** Locations a manager or barista is limited to; empty means all. */
  locationIds: string[];
};

export type StaffAccess =
  | { ok: true; staff: StaffMember }
  | { ok: false; reason: "signed_out" | "not_member" | "two_factor_required" | "forbidden" };

type Membership = { id: string; role: Role; locationIds: string[] };

async function loadMembership(db: Database, tenantId: string, userId: string): Promise<Membership | null> {
  return withTenant(
    tenantId,
    async (tx) => {
      const [row] = await tx.select().from(memberships).where(eq(memberships.userId, userId));
      if (!row) return null;
      const scope = await tx
        .select({ locationId: membershipLocations.locationId })
        .from(membershipLocations)
        .where(eq(membershipLocations.membershipId, row.id));
      return { id: row.id, role: row.role, locationIds: scope.map((location) => location.locationId) };
    },
    db,
  );
}

/** Layouts and pages of one request share the look-up. */
const cachedMembership = cache(loadMembership);

/**
 * Decides whether a session may do `permission` in `tenant`. Non-members are told nothing
 * (not_member → 404), so nobody learns which cafés exist or who works there.
 */
export async function resolveStaffAccess(
  db: Database,
  session: StaffSession | null,
  tenant: TenantSummary | null,
  permission: Permission,
): Promise<StaffAccess> {
  if (!session) return { ok: false, reason: "signed_out" };
  if (!tenant) return { ok: false, reason: "not_member" };
  const membership = await cachedMembership(db, tenant.id, session.userId);
  if (!membership) return { ok: false, reason: "not_member" };
  if (requiresTwoFactor(membership.role, tenant.requireBarista2fa) && session.mfa !== "verified") {
    return { ok: false, reason: "two_factor_required" };
  }
  if (!can(membership.role, permission, membership.locationIds.length > 0)) return { ok: false, reason: "forbidden" };
  return {
    ok: true,
    staff: { session, tenant, membershipId: membership.id, role: membership.role, locationIds: membership.locationIds },
  };
}

export async function staffUser(db: Database, userId: string) {
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, totpEnabledAt: users.totpEnabledAt })
    .from(users)
    .where(eq(users.id, userId));
  return user ?? null;
}
