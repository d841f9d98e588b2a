import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { authVerificationTokens, users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { AppError } from "../errors";
import { hashPassword } from "./password";
import { changePassword, requestPasswordReset, resetPassword } from "./password-reset";
import { createStaffSession, touchStaffSession } from "./sessions";
import { checkPassword } from "./sign-in";

const db = await testDatabase();

async function person() {
  const email = `reset-${randomUUID().slice(0, 8)}@example.test`;
  const [user] = await db.app
    .insert(users)
    .values({ email, passwordHash: await hashPassword("the old password") })
    .returning({ id: users.id });
  if (!user) throw new Error("no user");
  return { id: user.id, email };
}

const tokenOf = (text: string) => /reset-password\?token=([\w-]+)/.exec(text)?.[1] ?? "";

async function reason(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.reason;
    throw error;
  }
  return "succeeded";
}

describe("password reset", () => {
  it("mails a one-hour link that works once and ends every session", async () => {
    const user = await person();
    const sid = await createStaffSession(db.app, { userId: user.id, mfa: "none" });
    const mail = await requestPasswordReset(db.app, user.email.toUpperCase(), "203.0.113.1");
    expect(mail?.to).toBe(user.email);
    const token = tokenOf(mail?.text ?? "");
    expect(token).not.toBe("");
    // Only a hash of the token is stored.
    const stored = await db.admin.select().from(authVerificationTokens);
    expect(JSON.stringify(stored)).not.toContain(token);

    await resetPassword(db.app, { token, password: "a brand new password", ip: null });
    expect(await touchStaffSession(db.app, sid)).toBeNull();
    expect(
      await checkPassword(db.app, { email: user.email, password: "a brand new password", ip: "203.0.113.1" }),
    ).toMatchObject({
      userId: user.id,
    });
    expect(await reason(resetPassword(db.app, { token, password: "yet another password", ip: null }))).toBe(
      "link_invalid",
    );
  });

  it("refuses an expired link and a short password", async () => {
    const user = await person();
    const token = tokenOf((await requestPasswordReset(db.app, user.email, "203.0.113.2"))?.text ?? "");
    expect(await reason(resetPassword(db.app, { token, password: "short", ip: null }))).toBe("weak_password");
    await db.admin.update(authVerificationTokens).set({ expires: sql`now() - interval '1 minute'` });
    expect(await reason(resetPassword(db.app, { token, password: "long enough password", ip: null }))).toBe(
      "link_invalid",
    );
  });

  it("answers nothing for an unknown email and stops after three links an hour", async () => {
    expect(await requestPasswordReset(db.app, "nobody@example.test", "203.0.113.3")).toBeNull();
    const user = await person();
    const links = [];
    for (let attempt = 0; attempt < 4; attempt++)
      links.push(await requestPasswordReset(db.app, user.email, "203.0.113.4"));
    expect(links.filter(Boolean)).toHaveLength(3);
  });

  it("changes a password with the current one, ending the other sessions but not this one", async () => {
    const user = await person();
    const here = await createStaffSession(db.app, { userId: user.id, mfa: "none" });
    const elsewhere = await createStaffSession(db.app, { userId: user.id, mfa: "none" });
    expect(
      await reason(
        changePassword(db.app, {
          userId: user.id,
          sid: here,
          current: "wrong",
          password: "a new password!",
          ip: "203.0.113.5",
        }),
      ),
    ).toBe("invalid_credentials");
    await changePassword(db.app, {
      userId: user.id,
      sid: here,
      current: "the old password",
      password: "a new password!",
      ip: "203.0.113.5",
    });
    expect(await touchStaffSession(db.app, here)).not.toBeNull();
    expect(await touchStaffSession(db.app, elsewhere)).toBeNull();
    const [row] = await db.admin.select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id));
    expect(row?.hash).toMatch(/^\$argon2id\$/);
  });
});
