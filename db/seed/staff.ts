// The demo staff: platform users (shared across tenants) and their memberships.

import { randomUUID } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import { encryptSecret } from "../../server/auth/secrets";
import type { Tx } from "../client";
import { membershipLocations, memberships, users } from "../schema";
import { must } from "./helpers";
import type { StaffSpec } from "./spec";
import type { LocationRef } from "./tenant";

/** Staff users are platform rows shared across tenants: an existing email is reused as is. */
export async function insertStaff(
  tx: Tx,
  tenantId: string,
  staff: StaffSpec[],
  locations: LocationRef[],
  passwordHash: string,
  now: Date,
): Promise<void> {
  const emails = staff.map((member) => member.email.toLowerCase());
  await tx
    .insert(users)
    .values(
      staff.map((member, index) => ({
        email: must(emails[index]),
        name: member.name,
        emailVerified: now,
        passwordHash,
        totpSecretEncrypted: member.totpSecret ? encryptSecret(member.totpSecret) : null,
        totpEnabledAt: member.totpSecret ? now : null,
      })),
    )
    .onConflictDoNothing();
  const userIds = new Map(
    (
      await tx
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(inArray(sql`lower(${users.email})`, emails))
    ).map((user) => [user.email.toLowerCase(), user.id]),
  );
  const membershipRows = staff.map((member, index) => ({
    tenantId,
    id: randomUUID(),
    userId: must(userIds.get(must(emails[index]))),
    role: member.role,
  }));
  await tx.insert(memberships).values(membershipRows);
  const limits = staff.flatMap((member, index) =>
    (member.locations ?? []).map((slug) => ({
      tenantId,
      membershipId: must(membershipRows[index]).id,
      locationId: must(locations.find((location) => location.spec.slug === slug)).id,
    })),
  );
  if (limits.length > 0) await tx.insert(membershipLocations).values(limits);
}
