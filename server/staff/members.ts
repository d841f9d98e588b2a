import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { locations, membershipLocations, memberships, staffInvitations, tenants, users } from "@/db/schema";
import { recordAudit } from "../audit/record";
import type { Role } from "../auth/permissions";
import { revokeSessions } from "../auth/sessions";
import { AppError } from "../errors";

export type Actor = { userId: string; ip: string | null };

/** The café's team: members with their role, locations and 2FA state, open invitations, and the locations. */
export async function listTeam(tx: Tx) {
  const members = await tx
    .select({
      membershipId: memberships.id,
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      twoFactor: sql<boolean>`${users.totpEnabledAt} is not null`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .orderBy(asc(users.email));
  const scopes = await tx.select().from(membershipLocations);
  const invitations = await tx
    .select({
      id: staffInvitations.id,
      email: staffInvitations.email,
      role: staffInvitations.role,
      expiresAt: staffInvitations.expiresAt,
    })
    .from(staffInvitations)
    .where(and(isNull(staffInvitations.acceptedAt), gt(staffInvitations.expiresAt, sql`now()`)))
    .orderBy(asc(staffInvitations.createdAt));
  const locationRows = await tx
    .select({ id: locations.id, name: locations.name })
    .from(locations)
    .orderBy(asc(locations.name));
  return {
    locations: locationRows,
    members: members.map((member) => ({
      ...member,
      locationIds: scopes
        .filter((scope) => scope.membershipId === member.membershipId)
        .map((scope) => scope.locationId),
    })),
    invitations,
  };
}

/** Location ids of the tenant bound to `tx` that really exist (another café's ids are refused). */
export async function checkedLocationIds(tx: Tx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await tx.select({ id: locations.id }).from(locations);
  const known = new Set(found.map((row) => row.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new AppError("not_found", "No such location", "location_not_found");
  return [...new Set(ids)];
}

async function lockMembership(tx: Tx, membershipId: string) {
  const [membership] = await tx.select().from(memberships).where(eq(memberships.id, membershipId)).for("update");
  if (!membership) throw new AppError("not_found", "No such member", "member_not_found");
  return membership;
}

/** Refuses a change that would leave the café without an owner. */
async function assertAnotherOwner(tx: Tx, membershipId: string) {
  // Lock every owner row: two owners demoting each other at once cannot both succeed.
  const owners = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(eq(memberships.role, "owner"))
    .for("update");
  if (owners.filter((owner) => owner.id !== membershipId).length === 0) {
    throw new AppError("conflict", "A café keeps at least one owner", "last_owner");
  }
}

/**
 * Changes a member's role and locations. Their sessions end, so the new rights apply at once.
 */
export async function changeMember(
  tx: Tx,
  input: { tenantId: string; membershipId: string; role: Role; locationIds: string[]; actor: Actor },
) {
  const membership = await lockMembership(tx, input.membershipId);
  if (membership.role === "owner" && input.role !== "owner") await assertAnotherOwner(tx, membership.id);
  const locationIds = input.role === "owner" ? [] : await checkedLocationIds(tx, input.locationIds);
  await tx.update(memberships).set({ role: input.role }).where(eq(memberships.id, membership.id));
  await tx.delete(membershipLocations).where(eq(membershipLocations.membershipId, membership.id));
  if (locationIds.length > 0) {
    await tx
      .insert(membershipLocations)
      .values(locationIds.map((locationId) => ({ tenantId: input.tenantId, membershipId: membership.id, locationId })));
  }
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "staff.role_changed",
    targetType: "membership",
    targetId: membership.id,
    meta: { from: membership.role, to: input.role, locationIds },
  });
  // In the same transaction: the sessions end exactly when the change is committed.
  if (membership.userId !== input.actor.userId) await revokeSessions(tx, membership.userId);
}

/** Removes a member (never the last owner); their sessions end. */
export async function removeMember(tx: Tx, input: { tenantId: string; membershipId: string; actor: Actor }) {
  const membership = await lockMembership(tx, input.membershipId);
  if (membership.role === "owner") await assertAnotherOwner(tx, membership.id);
  await tx.delete(memberships).where(eq(memberships.id, membership.id));
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "staff.removed",
    targetType: "membership",
    targetId: membership.id,
    meta: { userId: membership.userId, role: membership.role },
  });
  await revokeSessions(tx, membership.userId);
}

/** Whether this café requires 2FA of baristas too (owners and managers always need it). */
export async function setBaristaTwoFactor(tx: Tx, input: { tenantId: string; required: boolean; actor: Actor }) {
  await tx.update(tenants).set({ requireBarista2fa: input.required }).where(eq(tenants.id, input.tenantId));
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "staff.barista_2fa_required",
    targetType: "tenant",
    targetId: input.tenantId,
    meta: { required: input.required },
  });
}
