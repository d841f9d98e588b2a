import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { auditLog, guestSessions, users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { enrolOnline } from "../cabinet/enrol";
import { lookupGuestAtCounter } from "../guests/lookup";
import { setGuestOnlineAccess } from "../guests/online-access";
import { loadProgram } from "../loyalty/program";
import { createPosTenant } from "../pos/testing";
import type { Context } from "../trpc/init";
import { createCaller } from "../trpc/root";
import { guestAccountsAdapter } from "./adapter";
import { checkedGuestToken, createGuestSession, endAllGuestSessions, endGuestSession } from "./sessions";

const db = await testDatabase();
const adapter = guestAccountsAdapter(() => db.app);
type Cafe = { tenantId: string; slug: string };
let cafe: Cafe;
let other: Cafe;
let ownerUserId: string;

beforeAll(async () => {
  cafe = { ...(await createPosTenant(db.app, "guest-sessions-cafe")), slug: "guest-sessions-cafe" };
  other = { ...(await createPosTenant(db.app, "guest-sessions-other")), slug: "guest-sessions-other" };
  const [owner] = await db.admin.insert(users).values({ email: "owner@guest-sessions.example" }).returning();
  if (!owner) throw new Error("no owner");
  ownerUserId = owner.id;
});

let counter = 0;
async function signedUpGuest() {
  counter += 1;
  const email = `session${counter}@example.com`;
  const account = await adapter.createUser?.({ id: "", email, emailVerified: new Date() });
  if (!account) throw new Error("no account");
  return { email, accountId: account.id, phone: `+7916${String(4_000_000 + counter).slice(-7)}` };
}

/** What the guest's cookie carries after the magic link: a token naming a new server-side session. */
async function signIn(accountId: string, email: string) {
  const sid = await createGuestSession(db.app, { accountId, userAgent: "test" });
  return { gid: accountId, email, sid };
}

function guestCaller(tenantSlug: string, account: { accountId: string; email: string }) {
  const ctx: Context = {
    db: db.app,
    requestId: randomUUID(),
    ip: "203.0.113.7",
    headers: new Headers(),
    getStaffSession: async () => null,
    getGuestAccount: async () => account,
    tenantSlug,
    response: { headers: {} },
  };
  return createCaller(ctx);
}

async function enrolAt(tenant: { tenantId: string }, guest: { email: string; phone: string }) {
  return withTenant(
    tenant.tenantId,
    async (tx) =>
      enrolOnline(db.app, tx, await loadProgram(tx), {
        tenantId: tenant.tenantId,
        email: guest.email,
        phone: guest.phone,
        name: "Вера",
        consent: true,
        marketingOptIn: false,
      }),
    db.app,
  );
}

describe("guest sessions are recorded on the server", () => {
  it("a signed-out session's cookie reads nothing any more; the other device stays signed in", async () => {
    const guest = await signedUpGuest();
    const phone = await signIn(guest.accountId, guest.email);
    const laptop = await signIn(guest.accountId, guest.email);
    expect(await checkedGuestToken(db.app, phone)).toEqual(phone);
    await endGuestSession(db.app, phone.sid);
    expect(await checkedGuestToken(db.app, phone)).toBeNull();
    expect(await checkedGuestToken(db.app, laptop)).toEqual(laptop);
  });

  it("signing out on all devices ends every session of the account, and only of that account", async () => {
    const guest = await signedUpGuest();
    const someoneElse = await signedUpGuest();
    const tokens = [await signIn(guest.accountId, guest.email), await signIn(guest.accountId, guest.email)];
    const theirs = await signIn(someoneElse.accountId, someoneElse.email);
    await enrolAt(cafe, guest);
    const ended = await guestCaller(cafe.slug, guest).guest.signOutEverywhere();
    expect(ended).toEqual({ ended: 2 });
    for (const token of tokens) expect(await checkedGuestToken(db.app, token)).toBeNull();
    expect(await checkedGuestToken(db.app, theirs)).toEqual(theirs);
  });

  it("refuses a token from before sessions were recorded, a forged session id, another account's id, and an expired one", async () => {
    const guest = await signedUpGuest();
    const other = await signedUpGuest();
    expect(await checkedGuestToken(db.app, { gid: guest.accountId, email: guest.email })).toBeNull();
    expect(await checkedGuestToken(db.app, { gid: guest.accountId, email: guest.email, sid: "forged" })).toBeNull();
    const theirs = await signIn(other.accountId, other.email);
    expect(await checkedGuestToken(db.app, { ...theirs, gid: guest.accountId })).toBeNull();
    const token = await signIn(guest.accountId, guest.email);
    await db.admin
      .update(guestSessions)
      .set({ expires: sql`now() - interval '1 second'` })
      .where(eq(guestSessions.accountId, guest.accountId));
    expect(await checkedGuestToken(db.app, token)).toBeNull();
  });

  it("deleting the account at a café ends every session of that email at once", async () => {
    const guest = await signedUpGuest();
    await enrolAt(cafe, guest);
    const tokens = [await signIn(guest.accountId, guest.email), await signIn(guest.accountId, guest.email)];
    await guestCaller(cafe.slug, guest).cabinet.deleteAccount({ confirm: true });
    for (const token of tokens) expect(await checkedGuestToken(db.app, token)).toBeNull();
    const left = await db.admin.select().from(guestSessions).where(eq(guestSessions.accountId, guest.accountId));
    expect(left).toEqual([]);
  });

  it("ending sessions twice is harmless", async () => {
    const guest = await signedUpGuest();
    expect(await endAllGuestSessions(db.app, guest.accountId)).toBe(0);
  });
});

describe("a café closes a guest's online access", () => {
  it("the cabinet and online orders refuse the guest there, the card works at the till, other cafés are untouched", async () => {
    const guest = await signedUpGuest();
    const { guest: enrolled } = await enrolAt(cafe, guest);
    await enrolAt(other, guest);
    const owner = { userId: ownerUserId, ip: "198.51.100.1" };
    await withTenant(
      cafe.tenantId,
      (tx) =>
        setGuestOnlineAccess(tx, {
          tenantId: cafe.tenantId,
          identifier: enrolled.cardCode,
          blocked: true,
          actor: owner,
        }),
      db.app,
    );
    await expect(guestCaller(cafe.slug, guest).cabinet.summary()).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "guest_blocked",
    });
    await expect(guestCaller(other.slug, guest).cabinet.summary()).resolves.toMatchObject({
      balance: expect.any(Number),
    });
    const atTill = await withTenant(cafe.tenantId, (tx) => lookupGuestAtCounter(tx, enrolled.cardCode), db.app);
    expect(atTill).toMatchObject({ onlineBlocked: true });

    await withTenant(
      cafe.tenantId,
      (tx) =>
        setGuestOnlineAccess(tx, { tenantId: cafe.tenantId, identifier: guest.phone, blocked: false, actor: owner }),
      db.app,
    );
    await expect(guestCaller(cafe.slug, guest).cabinet.summary()).resolves.toMatchObject({
      balance: expect.any(Number),
    });
    const audit = await db.admin
      .select({ action: auditLog.action, targetId: auditLog.targetId })
      .from(auditLog)
      .where(eq(auditLog.targetId, enrolled.id));
    expect(audit.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(["guest.online_blocked", "guest.online_unblocked"]),
    );
  });
});
