import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { guests, memberships, posApiKeys, users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { hashPassword } from "../auth/password";
import { replaceRecoveryCodes } from "../auth/recovery-codes";
import { encryptSecret } from "../auth/secrets";
import { createStaffSession } from "../auth/sessions";
import { checkPassword, checkSecondFactor } from "../auth/sign-in";
import { newTotpSecret } from "../auth/totp";
import { createPosKey } from "../pos/keys";
import { posClient } from "../pos/testing";
import { createTenant } from "../tenants/create";
import { createCaller } from "./root";

const db = await testDatabase();

it("no answer of the back-office or the POS carries a password, hash, TOTP secret, recovery code, session or key", async () => {
  const password = "owner password 2026";
  const totpSecret = newTotpSecret();
  const { tenant } = await db.app.transaction((tx) =>
    createTenant(tx, {
      slug: "no-secrets",
      name: "No secrets",
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      locations: [{ slug: "main", name: "Main", address: "Main 1" }],
    }),
  );
  const [owner] = await db.app
    .insert(users)
    .values({
      email: "owner@no-secrets.test",
      passwordHash: await hashPassword(password),
      totpSecretEncrypted: encryptSecret(totpSecret),
      totpEnabledAt: new Date(),
    })
    .returning();
  if (!owner) throw new Error("no owner");
  await withTenant(
    tenant.id,
    (tx) => tx.insert(memberships).values({ tenantId: tenant.id, userId: owner.id, role: "owner" }),
    db.app,
  );
  const codes = await db.app.transaction((tx) => replaceRecoveryCodes(tx, owner.id));
  // Security events of every kind: a wrong password, a right one, a recovery code.
  await checkPassword(db.app, { email: owner.email, password: "wrong", ip: "203.0.113.9" }).catch(() => {});
  await checkPassword(db.app, { email: owner.email, password, ip: "203.0.113.9" });
  await checkSecondFactor(db.app, { userId: owner.id, code: codes[0] ?? "", ip: "203.0.113.9" });
  const sid = await createStaffSession(db.app, { userId: owner.id, mfa: "verified" });
  const key = await withTenant(
    tenant.id,
    (tx) =>
      createPosKey(tx, { tenantId: tenant.id, locationSlug: "main", name: "Till", actor: { actorKind: "system" } }),
    db.app,
  );
  const enrolled = await posClient(db.app, key.key)("POST", "/guests", { phone: "+79160001122", consent: true });

  const caller = createCaller({
    db: db.app,
    requestId: "test",
    ip: null,
    headers: new Headers(),
    getStaffSession: async () => ({ sid, userId: owner.id, mfa: "verified" }),
    tenantSlug: "no-secrets",
    response: { headers: {} },
  });
  const answers = [
    await caller.staff.team(),
    await caller.audit.list({ page: 0, pageSize: 200 }),
    await caller.integrations.keys(),
    await caller.guests.lookup({ identifier: "+79160001122" }),
    await caller.guests.exportCsv(),
    enrolled.body,
  ];
  // The guest card and its timeline (a guest's QR secret must never leave with them).
  const enrolledId = (enrolled.body as { guest: { id: string } }).guest.id;
  answers.push(
    await caller.guests.card({ guestId: enrolledId }),
    await caller.guests.timeline({ guestId: enrolledId }),
    await caller.guests.list({ sort: "name" }),
  );
  // The audit page's date filter (a Date cannot be a bare SQL parameter: it is sent as ISO text).
  const hour = 3_600_000;
  const around = { page: 0, pageSize: 200, from: new Date(Date.now() - hour), to: new Date(Date.now() + hour) };
  // Read again: the calls above wrote audit entries of their own (the export).
  const everything = await caller.audit.list({ page: 0, pageSize: 200 });
  expect(everything.total).toBeGreaterThan(0);
  expect((await caller.audit.list(around)).total).toBe(everything.total);
  expect((await caller.audit.list({ ...around, from: new Date(Date.now() + hour / 2) })).total).toBe(0);
  expect((await caller.audit.list({ ...around, to: new Date(Date.now() - hour / 2) })).total).toBe(0);
  // What PostgreSQL would refuse (a NUL, a six-digit year) is a 400 here, not a 500 there.
  for (const filter of [{ action: "\u0000" }, { to: new Date("+099999-01-01T00:00:00Z") }]) {
    await expect(caller.audit.list({ page: 0, pageSize: 50, ...filter })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  }
  const [stored] = await db.admin.select().from(users).where(eq(users.id, owner.id));
  const [keyRow] = await db.admin.select().from(posApiKeys).where(eq(posApiKeys.id, key.id));
  const [guest] = await db.admin.select().from(guests).where(eq(guests.phone, "+79160001122"));
  const secrets = [
    password,
    stored?.passwordHash ?? "?",
    "$argon2",
    totpSecret,
    stored?.totpSecretEncrypted ?? "?",
    ...codes,
    sid,
    key.key,
    keyRow?.keyHash ?? "?",
    guest?.qrSecret ?? "?",
  ];
  const text = JSON.stringify(answers);
  expect(text).toContain("owner@no-secrets.test"); // the answers are real, not empty
  expect(secrets.filter((secret) => text.includes(secret))).toEqual([]);
});
