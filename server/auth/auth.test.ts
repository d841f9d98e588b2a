import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { membershipLocations, memberships, staffInvitations, userRecoveryCodes, users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { applyEnv } from "../env";
import { AppError } from "../errors";
import { acceptInvitation, findInvitation, inviteStaff } from "../staff/invitations";
import { changeMember, removeMember } from "../staff/members";
import { createTenant } from "../tenants/create";
import { hashPassword } from "./password";
import type { Role } from "./permissions";
import { replaceRecoveryCodes } from "./recovery-codes";
import { decryptSecret, encryptSecret, sha256Hex } from "./secrets";
import { createStaffSession, endSession, revokeSessions, touchStaffSession } from "./sessions";
import { checkPassword, checkSecondFactor, FAILED_PASSWORDS_BEFORE_LOCK } from "./sign-in";
import { totpCode } from "./totp";
import { beginEnrolment, confirmEnrolment } from "./two-factor";

/**
 * The staff auth domain against PostgreSQL, without HTTP: passwords and the lockout, the second
 * factor, 2FA enrolment, sessions, and the team rules (last owner, invitations, role changes).
 * The rate-limit table is shared by the whole file: every test uses its own emails, users and IPs.
 */
const db = await testDatabase();
// Invitations resolve the tenant slug through the app's global pool (`appDb()`): point it here.
applyEnv({ APP_DATABASE_URL: db.appUrl });
afterAll(async () => {
  await (globalThis as { zernoDb?: { client: { end: () => Promise<void> } } }).zernoDb?.client.end();
});

const PASSWORD = "correct horse battery staple";
let ipCounter = 0;
/** A fresh client address, so that the per-IP limiter of one test never counts another's tries. */
const freshIp = () => `198.51.100.${++ipCounter}`;
const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@auth.example`;

/** A staff user with a password (and 2FA on, with a known secret, when asked). */
async function person(label: string, options: { totpSecret?: string } = {}) {
  const email = uniqueEmail(label);
  const [user] = await db.app
    .insert(users)
    .values({
      email,
      name: label,
      passwordHash: await hashPassword(PASSWORD),
      totpSecretEncrypted: options.totpSecret ? encryptSecret(options.totpSecret) : null,
      totpEnabledAt: options.totpSecret ? new Date() : null,
    })
    .returning({ id: users.id });
  if (!user) throw new Error("user insert returned nothing");
  return { id: user.id, email };
}

/** The AppError a call fails with (any other outcome fails the test). */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

const securityEvents = (userId: string, action: string) =>
  db.admin
    .execute<{ n: number }>(
      sql`select count(*)::int as n from security_events where user_id = ${userId} and action = ${action}`,
    )
    .then((rows) => rows[0]?.n ?? 0);

describe("checkPassword", () => {
  it("accepts the right password (email in any case) and says what comes next", async () => {
    const plain = await person("plain");
    const ip = freshIp();
    expect(await checkPassword(db.app, { email: ` ${plain.email.toUpperCase()} `, password: PASSWORD, ip })).toEqual({
      userId: plain.id,
      email: plain.email,
      next: "done",
    });
    const enrolled = await person("enrolled", { totpSecret: "JBSWY3DPEHPK3PXP" });
    expect(await checkPassword(db.app, { email: enrolled.email, password: PASSWORD, ip })).toMatchObject({
      next: "second_factor",
    });
  });

  it("answers a wrong password and an unknown email with the same error", async () => {
    const known = await person("wrong-password");
    const ip = freshIp();
    const wrong = await failure(checkPassword(db.app, { email: known.email, password: "not it at all", ip }));
    const unknown = await failure(checkPassword(db.app, { email: uniqueEmail("nobody"), password: PASSWORD, ip }));
    const shape = (error: AppError) => ({ code: error.code, reason: error.reason, message: error.message });
    expect(shape(wrong)).toEqual({ code: "unauthorized", reason: "invalid_credentials", message: expect.any(String) });
    expect(shape(unknown)).toEqual(shape(wrong));
    expect(await securityEvents(known.id, "sign_in.failed")).toBe(1);
  });

  it(`locks the account after ${FAILED_PASSWORDS_BEFORE_LOCK} wrong passwords; then even the right one is refused`, async () => {
    const victim = await person("locked");
    const ip = freshIp();
    for (let attempt = 1; attempt <= FAILED_PASSWORDS_BEFORE_LOCK; attempt++) {
      const error = await failure(checkPassword(db.app, { email: victim.email, password: `guess ${attempt}`, ip }));
      // The tenth wrong password is answered with the lock itself.
      const expected = attempt < FAILED_PASSWORDS_BEFORE_LOCK ? "invalid_credentials" : "locked";
      expect(error.reason, `attempt ${attempt}`).toBe(expected);
    }
    const locked = await failure(checkPassword(db.app, { email: victim.email, password: PASSWORD, ip }));
    expect(locked).toMatchObject({ code: "rate_limited", reason: "locked" });
    const { retryAfter } = locked.details as { retryAfter: number };
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // From another address too: the lock is the account's.
    const elsewhere = await failure(checkPassword(db.app, { email: victim.email, password: PASSWORD, ip: freshIp() }));
    expect(elsewhere.reason).toBe("locked");
    expect(await securityEvents(victim.id, "sign_in.failed")).toBe(FAILED_PASSWORDS_BEFORE_LOCK);
    // Another person from the same address still signs in.
    const neighbour = await person("neighbour");
    expect(await checkPassword(db.app, { email: neighbour.email, password: PASSWORD, ip })).toMatchObject({
      userId: neighbour.id,
    });
  });

  it("a right password resets the count of wrong ones", async () => {
    const forgetful = await person("forgetful");
    const ip = freshIp();
    for (let round = 0; round < 2; round++) {
      for (let attempt = 1; attempt < FAILED_PASSWORDS_BEFORE_LOCK; attempt++) {
        await failure(checkPassword(db.app, { email: forgetful.email, password: `guess ${attempt}`, ip }));
      }
      expect(await checkPassword(db.app, { email: forgetful.email, password: PASSWORD, ip })).toMatchObject({
        userId: forgetful.id,
      });
    }
  });
});

describe("checkSecondFactor", () => {
  it("accepts a TOTP code once: the same code again is refused", async () => {
    const secret = "KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD";
    const user = await person("totp", { totpSecret: secret });
    const code = totpCode(secret);
    expect(await checkSecondFactor(db.app, { userId: user.id, code, ip: freshIp() })).toBe("totp");
    const replay = await failure(checkSecondFactor(db.app, { userId: user.id, code, ip: freshIp() }));
    expect(replay).toMatchObject({ code: "unauthorized", reason: "invalid_code" });
  });

  it("a recovery code works once (with or without the dash, in any case), not twice", async () => {
    const user = await person("recovery", { totpSecret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" });
    const codes = await db.app.transaction((tx) => replaceRecoveryCodes(tx, user.id));
    const [first = "", second = ""] = codes;
    expect(await checkSecondFactor(db.app, { userId: user.id, code: first, ip: null })).toBe("recovery_code");
    expect(await failure(checkSecondFactor(db.app, { userId: user.id, code: first, ip: null }))).toMatchObject({
      reason: "invalid_code",
    });
    const sloppy = second.replace("-", "").toLowerCase();
    expect(await checkSecondFactor(db.app, { userId: user.id, code: sloppy, ip: null })).toBe("recovery_code");
    expect(await failure(checkSecondFactor(db.app, { userId: user.id, code: second, ip: null }))).toMatchObject({
      reason: "invalid_code",
    });
    expect(await securityEvents(user.id, "sign_in.recovery_code_used")).toBe(2);
  });

  it("counts wrong codes: after five, even a right code is refused for a while", async () => {
    const secret = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";
    const user = await person("wrong-codes", { totpSecret: secret });
    const right = totpCode(secret);
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, "0");
    for (let attempt = 1; attempt <= 5; attempt++) {
      const error = await failure(checkSecondFactor(db.app, { userId: user.id, code: wrong, ip: null }));
      expect(error.reason, `attempt ${attempt}`).toBe(attempt < 5 ? "invalid_code" : "locked");
    }
    expect(await securityEvents(user.id, "sign_in.second_factor_failed")).toBe(5);
    const locked = await failure(checkSecondFactor(db.app, { userId: user.id, code: right, ip: null }));
    expect(locked).toMatchObject({
      code: "rate_limited",
      reason: "locked",
      details: { retryAfter: expect.any(Number) },
    });
  });

  it("refuses any code for a person without 2FA", async () => {
    const user = await person("no-2fa");
    expect(await failure(checkSecondFactor(db.app, { userId: user.id, code: "123456", ip: null }))).toMatchObject({
      reason: "invalid_code",
    });
  });
});

describe("lockout durations, as sign-in.ts documents them", () => {
  it("five wrong codes block the second step for 15 minutes (not only until the 5-minute window ends)", async () => {
    const secret = "NBSWY3DPO5XXE3DEMFZGK43UNBSWY3DP";
    const user = await person("blocked-codes", { totpSecret: secret });
    const wrong = String((Number(totpCode(secret)) + 500_000) % 1_000_000).padStart(6, "0");
    for (let attempt = 1; attempt <= 5; attempt++) {
      await failure(checkSecondFactor(db.app, { userId: user.id, code: wrong, ip: null }));
    }
    const locked = await failure(checkSecondFactor(db.app, { userId: user.id, code: totpCode(secret), ip: null }));
    expect(locked.reason).toBe("locked");
    expect((locked.details as { retryAfter: number }).retryAfter).toBeGreaterThan(14 * 60);
  });

  it("ten wrong passwords lock for 15 minutes from the tenth, also when the first was 14 minutes earlier", async () => {
    const victim = await person("slow-guesses");
    const ip = freshIp();
    for (let attempt = 1; attempt < FAILED_PASSWORDS_BEFORE_LOCK; attempt++) {
      await failure(checkPassword(db.app, { email: victim.email, password: `guess ${attempt}`, ip }));
    }
    // As if the first wrong password had been typed 14 minutes ago: its counting window ends in one.
    await db.admin.execute(sql`update rate_limits
      set expire = (extract(epoch from now()) * 1000)::bigint + 60000
      where key = ${`signin_account:${victim.email}`}`);
    await failure(checkPassword(db.app, { email: victim.email, password: "the tenth guess", ip }));
    const locked = await failure(checkPassword(db.app, { email: victim.email, password: PASSWORD, ip }));
    expect(locked.reason).toBe("locked");
    expect((locked.details as { retryAfter: number }).retryAfter).toBeGreaterThan(14 * 60);
  });
});

describe("2FA enrolment", () => {
  it("keeps the secret encrypted, confirms with a code, returns 10 recovery codes and verifies the session", async () => {
    const user = await person("enrol");
    const sid = await createStaffSession(db.app, { userId: user.id, mfa: "enrolment" });
    const started = await beginEnrolment(db.app, user.id);
    expect(started.uri).toContain(`secret=${started.secret}`);
    expect(started.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    const [stored] = await db.admin.select().from(users).where(eq(users.id, user.id));
    const sealed = stored?.totpSecretEncrypted ?? "";
    expect(sealed).not.toBe(started.secret);
    expect(sealed).not.toContain(started.secret);
    expect(sealed).toMatch(/^v1\./);
    expect(decryptSecret(sealed)).toBe(started.secret);
    expect(stored?.totpEnabledAt).toBeNull();
    // Resuming shows the same secret, so the app the person already scanned it into keeps working.
    expect((await beginEnrolment(db.app, user.id)).secret).toBe(started.secret);

    const right = totpCode(started.secret);
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, "0");
    expect(await failure(confirmEnrolment(db.app, { userId: user.id, sid, code: wrong, ip: null }))).toMatchObject({
      reason: "invalid_code",
    });
    expect(await touchStaffSession(db.app, sid)).toMatchObject({ mfa: "enrolment" });

    const codes = await confirmEnrolment(db.app, { userId: user.id, sid, code: right, ip: null });
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
    expect(await touchStaffSession(db.app, sid)).toEqual({ sid, userId: user.id, mfa: "verified" });
    const [enabled] = await db.admin.select().from(users).where(eq(users.id, user.id));
    expect(enabled?.totpEnabledAt).toBeInstanceOf(Date);
    expect(enabled?.totpSecretEncrypted).toBe(sealed);
    // Recovery codes are kept hashed only.
    const hashes = await db.admin.select().from(userRecoveryCodes).where(eq(userRecoveryCodes.userId, user.id));
    expect(hashes).toHaveLength(10);
    const plain = codes.flatMap((code) => [code, code.replace("-", "")]);
    for (const { codeHash } of hashes) for (const code of plain) expect(codeHash).not.toContain(code);
    expect(await securityEvents(user.id, "two_factor.enabled")).toBe(1);

    // The code that confirmed enrolment cannot sign in again, and enrolment cannot restart.
    expect(await failure(checkSecondFactor(db.app, { userId: user.id, code: right, ip: null }))).toMatchObject({
      reason: "invalid_code",
    });
    expect(await failure(beginEnrolment(db.app, user.id))).toMatchObject({
      code: "conflict",
      reason: "already_enrolled",
    });
    expect(
      await failure(confirmEnrolment(db.app, { userId: user.id, sid, code: totpCode(started.secret), ip: null })),
    ).toMatchObject({ reason: "enrolment_not_started" });
  });
});

describe("staff sessions", () => {
  it("a new session is live and names its person and 2FA state", async () => {
    const user = await person("session");
    const sid = await createStaffSession(db.app, { userId: user.id, mfa: "verified", ip: "192.0.2.1" });
    expect(sid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await touchStaffSession(db.app, sid)).toEqual({ sid, userId: user.id, mfa: "verified" });
    expect(await touchStaffSession(db.app, `${sid}x`)).toBeNull();
  });

  it("revokeSessions ends every session of the person, or all but one", async () => {
    const user = await person("revoke");
    const other = await person("bystander");
    const [first, second, third] = await Promise.all(
      [1, 2, 3].map(() => createStaffSession(db.app, { userId: user.id, mfa: "verified" })),
    );
    const bystander = await createStaffSession(db.app, { userId: other.id, mfa: "none" });
    expect(await revokeSessions(db.app, user.id, { except: first })).toBe(2);
    expect(await touchStaffSession(db.app, first ?? "")).not.toBeNull();
    expect(await touchStaffSession(db.app, second ?? "")).toBeNull();
    expect(await touchStaffSession(db.app, third ?? "")).toBeNull();
    expect(await revokeSessions(db.app, user.id)).toBe(1);
    expect(await touchStaffSession(db.app, first ?? "")).toBeNull();
    expect(await touchStaffSession(db.app, bystander)).not.toBeNull();
    await endSession(db.app, bystander);
    expect(await touchStaffSession(db.app, bystander)).toBeNull();
  });

  it("an expired session is null; a live one slides its idle deadline", async () => {
    const user = await person("expiry");
    const expired = await createStaffSession(db.app, { userId: user.id, mfa: "verified" });
    await db.admin.execute(
      sql`update auth_sessions set expires = now() - interval '1 minute' where session_token = ${sha256Hex(expired)}`,
    );
    expect(await touchStaffSession(db.app, expired)).toBeNull();

    const idle = await createStaffSession(db.app, { userId: user.id, mfa: "verified" });
    await db.admin.execute(sql`update auth_sessions
      set expires = now() + interval '1 minute', last_seen_at = now() - interval '59 minutes'
      where session_token = ${sha256Hex(idle)}`);
    expect(await touchStaffSession(db.app, idle)).not.toBeNull();
    const [row] = await db.admin.execute<{ minutes_left: number }>(
      sql`select extract(epoch from expires - now()) / 60 as minutes_left from auth_sessions where session_token = ${sha256Hex(idle)}`,
    );
    expect(Number(row?.minutes_left)).toBeGreaterThan(55);
  });
});

describe("the café's team", () => {
  let tenant: Awaited<ReturnType<typeof createTenant>>["tenant"];
  let locationId: string;
  const inCafe = <T>(work: Parameters<typeof withTenant<T>>[1]) => withTenant(tenant.id, work, db.app);

  /** A person on the team with `role`, and one live session. */
  async function member(label: string, role: Role) {
    const user = await person(label);
    const [membership] = await inCafe((tx) =>
      tx.insert(memberships).values({ tenantId: tenant.id, userId: user.id, role }).returning(),
    );
    if (!membership) throw new Error("membership insert returned nothing");
    const sid = await createStaffSession(db.app, { userId: user.id, mfa: "verified" });
    return { ...user, membershipId: membership.id, sid, actor: { userId: user.id, ip: "192.0.2.10" } };
  }

  const roleOf = async (membershipId: string) => {
    const [row] = await db.admin.select().from(memberships).where(eq(memberships.id, membershipId));
    return row?.role ?? null;
  };

  beforeAll(async () => {
    const created = await db.app.transaction((tx) =>
      createTenant(tx, {
        slug: "auth-team",
        name: "Team café",
        currency: "RUB",
        timezone: "Europe/Moscow",
        locale: "ru",
        locations: [{ slug: "main", name: "Main", address: "1 Main Street" }],
      }),
    );
    tenant = created.tenant;
    locationId = created.locations[0]?.id ?? "";
  });

  it("refuses to remove or demote the last owner, and allows it while another owner remains", async () => {
    // A café of its own, so that no other test's owners count.
    const { tenant: solo } = await db.app.transaction((tx) =>
      createTenant(tx, {
        slug: "auth-solo",
        name: "Solo café",
        currency: "RUB",
        timezone: "Europe/Moscow",
        locale: "ru",
        locations: [{ slug: "main", name: "Main", address: "1 Main Street" }],
      }),
    );
    const inSolo = <T>(work: Parameters<typeof withTenant<T>>[1]) => withTenant(solo.id, work, db.app);
    const addOwner = async (label: string) => {
      const user = await person(label);
      const [row] = await inSolo((tx) =>
        tx.insert(memberships).values({ tenantId: solo.id, userId: user.id, role: "owner" }).returning(),
      );
      return { membershipId: row?.id ?? "", actor: { userId: user.id, ip: null } };
    };
    const first = await addOwner("first-owner");
    const lastOwner = { reason: "last_owner", code: "conflict" };
    const base = { tenantId: solo.id, membershipId: first.membershipId, actor: first.actor };
    expect(await failure(inSolo((tx) => removeMember(tx, base)))).toMatchObject(lastOwner);
    for (const role of ["manager", "barista"] as const) {
      expect(await failure(inSolo((tx) => changeMember(tx, { ...base, role, locationIds: [] })))).toMatchObject(
        lastOwner,
      );
    }
    expect(await roleOf(first.membershipId)).toBe("owner");

    const second = await addOwner("second-owner");
    await inSolo((tx) => changeMember(tx, { ...base, role: "manager", locationIds: [] }));
    expect(await roleOf(first.membershipId)).toBe("manager");
    const secondBase = { tenantId: solo.id, membershipId: second.membershipId, actor: second.actor };
    expect(await failure(inSolo((tx) => removeMember(tx, secondBase)))).toMatchObject(lastOwner);
    expect(
      await failure(inSolo((tx) => changeMember(tx, { ...secondBase, role: "barista", locationIds: [] }))),
    ).toMatchObject(lastOwner);
    expect(await roleOf(second.membershipId)).toBe("owner");
  });

  it("a role change ends that member's sessions (not the actor's) and is audited", async () => {
    const owner = await member("changer", "owner");
    const barista = await member("promoted", "barista");
    const otherSession = await createStaffSession(db.app, { userId: barista.id, mfa: "none" });
    await inCafe((tx) =>
      changeMember(tx, {
        tenantId: tenant.id,
        membershipId: barista.membershipId,
        role: "manager",
        locationIds: [locationId],
        actor: owner.actor,
      }),
    );
    expect(await roleOf(barista.membershipId)).toBe("manager");
    expect(await touchStaffSession(db.app, barista.sid)).toBeNull();
    expect(await touchStaffSession(db.app, otherSession)).toBeNull();
    expect(await touchStaffSession(db.app, owner.sid)).not.toBeNull();
    const scope = await db.admin
      .select()
      .from(membershipLocations)
      .where(eq(membershipLocations.membershipId, barista.membershipId));
    expect(scope.map((row) => row.locationId)).toEqual([locationId]);
    const [audit] = await db.admin.execute<{ actor_user_id: string; meta: unknown }>(
      sql`select actor_user_id, meta from audit_log where action = 'staff.role_changed' and target_id = ${barista.membershipId}`,
    );
    expect(audit).toMatchObject({ actor_user_id: owner.id, meta: { from: "barista", to: "manager" } });
  });

  it("removing a member ends their sessions", async () => {
    const owner = await member("remover", "owner");
    const leaving = await member("leaving", "barista");
    await inCafe((tx) =>
      removeMember(tx, { tenantId: tenant.id, membershipId: leaving.membershipId, actor: owner.actor }),
    );
    expect(await roleOf(leaving.membershipId)).toBeNull();
    expect(await touchStaffSession(db.app, leaving.sid)).toBeNull();
    expect(await touchStaffSession(db.app, owner.sid)).not.toBeNull();
  });

  /** Invites `email` and returns the link's token, read from the email that would be sent. */
  async function invite(email: string, role: Role, actor: { userId: string; ip: string | null }) {
    const sent = await inCafe((tx) =>
      inviteStaff(tx, { tenant, email, role, locationIds: role === "owner" ? [] : [locationId], actor }),
    );
    const token = new RegExp(`/invite/${tenant.slug}/([A-Za-z0-9_-]+)`).exec(sent.email.text)?.[1];
    if (!token) throw new Error(`no invitation link in: ${sent.email.text}`);
    expect(sent.email.to).toBe(email.toLowerCase());
    return { ...sent, token };
  }

  it("an invitation is found by its link, accepted once (account and membership made), then gone", async () => {
    const owner = await member("inviter", "owner");
    const email = uniqueEmail("Newcomer");
    const { token, invitationId } = await invite(email, "barista", owner.actor);
    const [stored] = await db.admin.select().from(staffInvitations).where(eq(staffInvitations.id, invitationId));
    expect(stored?.tokenHash).not.toContain(token);

    expect(await findInvitation(db.app, tenant.slug, token)).toMatchObject({
      invitationId,
      email: email.toLowerCase(),
      role: "barista",
      locationIds: [locationId],
      accountExists: false,
    });
    expect(await findInvitation(db.app, tenant.slug, `${token}x`)).toBeNull();
    expect(await findInvitation(db.app, "auth-no-such-cafe", token)).toBeNull();

    const weak = await failure(
      acceptInvitation(db.app, {
        tenantSlug: tenant.slug,
        token,
        signedInUserId: null,
        newAccount: { name: "New", password: "short" },
        ip: null,
      }),
    );
    expect(weak).toMatchObject({ code: "invalid_request", reason: "weak_password" });

    const accept = () =>
      acceptInvitation(db.app, {
        tenantSlug: tenant.slug,
        token,
        signedInUserId: null,
        newAccount: { name: " New Barista ", password: "a long enough password" },
        ip: "192.0.2.20",
      });
    const accepted = await accept();
    expect(accepted.tenantSlug).toBe(tenant.slug);
    const [membership] = await db.admin
      .select()
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenant.id), eq(memberships.userId, accepted.userId)));
    expect(membership?.role).toBe("barista");
    const scope = await db.admin
      .select()
      .from(membershipLocations)
      .where(eq(membershipLocations.membershipId, membership?.id ?? ""));
    expect(scope.map((row) => row.locationId)).toEqual([locationId]);
    expect(await checkPassword(db.app, { email, password: "a long enough password", ip: freshIp() })).toMatchObject({
      userId: accepted.userId,
      next: "done",
    });

    // Used: the link says it was accepted.
    expect(await failure(accept())).toMatchObject({ code: "not_found", reason: "invitation_accepted" });
    expect(await findInvitation(db.app, tenant.slug, token)).toBeNull();
    const accounts = await db.admin.execute(sql`select 1 from users where lower(email) = ${email.toLowerCase()}`);
    expect(accounts).toHaveLength(1);
    const teamRows = await db.admin.select().from(memberships).where(eq(memberships.userId, accepted.userId));
    expect(teamRows).toHaveLength(1);
  });

  it("an expired invitation is not found and cannot be accepted", async () => {
    const owner = await member("expirer", "owner");
    const { token, invitationId } = await invite(uniqueEmail("late"), "manager", owner.actor);
    await db.admin.execute(
      sql`update staff_invitations set expires_at = now() - interval '1 minute' where id = ${invitationId}`,
    );
    expect(await findInvitation(db.app, tenant.slug, token)).toBeNull();
    const late = await failure(
      acceptInvitation(db.app, {
        tenantSlug: tenant.slug,
        token,
        signedInUserId: null,
        newAccount: { name: "Late", password: "a long enough password" },
        ip: null,
      }),
    );
    expect(late).toMatchObject({ code: "not_found", reason: "invitation_expired" });
  });

  it("a new invitation replaces the open one to the same person, and joining closes any other", async () => {
    const owner = await member("re-inviter", "owner");
    const email = uniqueEmail("Twice");
    const first = await invite(email, "barista", owner.actor);
    const second = await invite(email.toUpperCase(), "manager", owner.actor);
    expect(await findInvitation(db.app, tenant.slug, first.token)).toBeNull();
    expect(await findInvitation(db.app, tenant.slug, second.token)).toMatchObject({ role: "manager" });
    // An open duplicate from before invitations replaced each other: joining closes it too.
    await db.admin.execute(
      sql`update staff_invitations set expires_at = now() + interval '1 hour' where id = ${first.invitationId}`,
    );
    await acceptInvitation(db.app, {
      tenantSlug: tenant.slug,
      token: second.token,
      signedInUserId: null,
      newAccount: { name: "Twice", password: "a long enough password" },
      ip: null,
    });
    expect(await findInvitation(db.app, tenant.slug, first.token)).toBeNull();
    const stillOpen = await db.admin
      .select()
      .from(staffInvitations)
      .where(
        and(
          sql`lower(${staffInvitations.email}) = ${email.toLowerCase()}`,
          sql`${staffInvitations.acceptedAt} is null and ${staffInvitations.expiresAt} > now()`,
        ),
      );
    expect(stillOpen).toEqual([]);
  });

  it("does not invite someone already on the team", async () => {
    const owner = await member("duplicate-inviter", "owner");
    const colleague = await member("colleague", "barista");
    const duplicate = await failure(
      inCafe((tx) =>
        inviteStaff(tx, {
          tenant,
          email: colleague.email.toUpperCase(),
          role: "manager",
          locationIds: [],
          actor: owner.actor,
        }),
      ),
    );
    expect(duplicate).toMatchObject({ code: "conflict", reason: "already_member" });
  });
});
