import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { withTenant } from "@/db/client";
import {
  auditLog,
  locations,
  loyaltyPrograms,
  loyaltyTiers,
  memberships,
  menuCategories,
  posApiKeys,
  products,
  securityEvents,
  staffInvitations,
  subscriptions,
  tenants,
  users,
} from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import type { MfaState } from "../auth/sessions";
import { checkPassword } from "../auth/sign-in";
import { AppError } from "../errors";
import { storefrontVisible } from "../tenants/storefront";
import {
  resendConfirmation,
  SIGN_UPS_PER_EMAIL_PER_HOUR,
  SIGN_UPS_PER_IP_PER_HOUR,
  signUpOwner,
  verifyEmail,
} from "./account";
import { type CafeInput, createCafe } from "./cafe";
import { confirmLoyaltyRules, openStorefront, setupChecklist } from "./first-steps";

const db = await testDatabase();

afterEach(() => {
  vi.useRealTimers();
});

/** A fresh IP for each sign-up that is not about the limits. */
let ipCounter = 0;
const freshIp = () => `198.51.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;
const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@Example.test`;

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.reason ?? error.code;
    throw error;
  }
  return "succeeded";
}

const everyDay = (open: string, close: string) => ({
  "1": [[open, close]],
  "2": [[open, close]],
  "3": [[open, close]],
  "4": [[open, close]],
  "5": [[open, close]],
  "6": [[open, close]],
  "7": [[open, close]],
});

function cafeInput(slug: string, overrides: Partial<CafeInput> = {}): CafeInput {
  return {
    name: "Кофе Точка",
    slug,
    currency: "RUB",
    timezone: "Europe/Moscow",
    locale: "ru",
    location: {
      name: "На Тверской",
      address: "Тверская, 1",
      openingHours: { ...everyDay("08:00", "21:00"), "7": [] },
    },
    ...overrides,
  } as CafeInput;
}

/** An owner-to-be through the real first step, with 2FA turned on as the enrolment would. */
async function owner(label: string, options: { totp?: boolean } = {}) {
  const account = await signUpOwner(db.app, {
    email: uniqueEmail(label),
    password: "a long enough password",
    ip: freshIp(),
    locale: "ru",
  });
  if (options.totp !== false) {
    await db.app.update(users).set({ totpEnabledAt: new Date() }).where(eq(users.id, account.userId));
  }
  const session = (mfa: MfaState = "verified") => ({ userId: account.userId, mfa });
  return { ...account, session };
}

const tokenOf = (text: string) => /sign-up\/verify\?token=([^\s]+)/.exec(text)?.[1] ?? "";

async function signedUpCafe(label: string) {
  const person = await owner(label);
  const slug = `${label}-${randomUUID().slice(0, 6)}`;
  const created = await createCafe(db.app, { session: person.session(), cafe: cafeInput(slug), ip: "203.0.113.5" });
  const [tenant] = await db.app.select().from(tenants).where(eq(tenants.id, created.tenantId));
  if (!tenant) throw new Error("no tenant");
  return { person, tenant, slug };
}

describe("sign-up, step one: the owner's account", () => {
  it("creates an account with a hashed password and an unconfirmed email, and mails a confirmation link", async () => {
    const email = uniqueEmail("first");
    const account = await signUpOwner(db.app, {
      email,
      password: "a long enough password",
      ip: freshIp(),
      locale: "en",
    });
    expect(account.email).toBe(email.toLowerCase());
    const [user] = await db.app.select().from(users).where(eq(users.id, account.userId));
    expect(user).toMatchObject({ email: email.toLowerCase(), emailVerified: null, totpEnabledAt: null });
    expect(user?.passwordHash).not.toContain("a long enough password");
    expect(account.confirmation.to).toBe(email.toLowerCase());
    expect(account.confirmation.subject).toBe("Confirm your email for Zerno");
    expect(tokenOf(account.confirmation.text)).not.toBe("");
    // The password works; with no café yet nothing asks for a second factor — the flow sends the owner to enrol.
    expect(
      await checkPassword(db.app, { email, password: "a long enough password", ip: "203.0.113.50" }),
    ).toMatchObject({ userId: account.userId, next: "done" });
    const events = await db.app.select().from(securityEvents).where(eq(securityEvents.userId, account.userId));
    expect(events.map((event) => event.action)).toContain("account.created");
  });

  it("refuses a taken email (any case), a bad email and a short password, naming the field", async () => {
    const email = uniqueEmail("dup");
    await signUpOwner(db.app, { email, password: "a long enough password", ip: freshIp(), locale: "ru" });
    const again = signUpOwner(db.app, {
      email: email.toUpperCase(),
      password: "another long password",
      ip: freshIp(),
      locale: "ru",
    });
    await expect(again).rejects.toMatchObject({ reason: "email_taken", details: [{ path: "email" }] });
    await expect(
      signUpOwner(db.app, { email: "not an email", password: "a long enough password", ip: freshIp(), locale: "ru" }),
    ).rejects.toMatchObject({ reason: "invalid_email", details: [{ path: "email" }] });
    await expect(
      signUpOwner(db.app, { email: uniqueEmail("short"), password: "short", ip: freshIp(), locale: "ru" }),
    ).rejects.toMatchObject({ reason: "weak_password", details: [{ path: "password" }] });
  });

  it("allows five sign-ups an hour from one IP", async () => {
    const ip = "192.0.2.77";
    for (let attempt = 0; attempt < SIGN_UPS_PER_IP_PER_HOUR; attempt++) {
      await signUpOwner(db.app, { email: uniqueEmail("ip"), password: "a long enough password", ip, locale: "ru" });
    }
    const refused = await signUpOwner(db.app, {
      email: uniqueEmail("ip"),
      password: "a long enough password",
      ip,
      locale: "ru",
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "rate_limited", reason: "rate_limited" });
    const wait = ((refused as AppError).details as { retryAfter: number }).retryAfter;
    expect(wait).toBeGreaterThan(55 * 60);
    expect(wait).toBeLessThanOrEqual(60 * 60);
    // Another address is not affected.
    expect(
      await reasonOf(
        signUpOwner(db.app, {
          email: uniqueEmail("ip"),
          password: "a long enough password",
          ip: freshIp(),
          locale: "ru",
        }),
      ),
    ).toBe("succeeded");
  });

  it("allows three tries an hour for one email, from any IP", async () => {
    const email = uniqueEmail("limit");
    const attempts: string[] = [];
    for (let attempt = 0; attempt <= SIGN_UPS_PER_EMAIL_PER_HOUR; attempt++) {
      attempts.push(
        await reasonOf(signUpOwner(db.app, { email, password: "a long enough password", ip: freshIp(), locale: "ru" })),
      );
    }
    expect(attempts).toEqual(["succeeded", "email_taken", "email_taken", "rate_limited"]);
  });
});

describe("email confirmation", () => {
  it("a valid link confirms the email once; a second click is harmless", async () => {
    const person = await owner("verify");
    const token = tokenOf(person.confirmation.text);
    expect(await verifyEmail(db.app, { token: decodeURIComponent(token), ip: null })).toEqual({
      userId: person.userId,
      status: "verified",
    });
    const [user] = await db.app.select().from(users).where(eq(users.id, person.userId));
    expect(user?.emailVerified).toBeInstanceOf(Date);
    expect(await verifyEmail(db.app, { token: decodeURIComponent(token), ip: null })).toMatchObject({
      status: "already_verified",
    });
    // Nothing to send again once confirmed.
    expect(await resendConfirmation(db.app, { userId: person.userId, locale: "ru" })).toBeNull();
  });

  it("refuses a tampered or expired link, and one for an email the account no longer has", async () => {
    const person = await owner("tamper");
    const token = decodeURIComponent(tokenOf(person.confirmation.text));
    const [body, mac] = token.split(".");
    const other = Buffer.from(JSON.stringify({ uid: randomUUID(), email: person.email, exp: 4_102_444_800 })).toString(
      "base64url",
    );
    for (const bad of [`${other}.${mac}`, `${body}.${mac?.slice(0, -2)}xx`, "", "garbage"]) {
      expect(await reasonOf(verifyEmail(db.app, { token: bad, ip: null })), bad).toBe("link_invalid");
    }
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 4 * 24 * 3600 * 1000);
    expect(await reasonOf(verifyEmail(db.app, { token, ip: null }))).toBe("link_invalid");
    vi.useRealTimers();
    await db.app
      .update(users)
      .set({ email: `changed-${person.email}` })
      .where(eq(users.id, person.userId));
    expect(await reasonOf(verifyEmail(db.app, { token, ip: null }))).toBe("link_invalid");
    const [user] = await db.app.select().from(users).where(eq(users.id, person.userId));
    expect(user?.emailVerified).toBeNull();
  });

  it("sends the link again three times an hour", async () => {
    const person = await owner("resend");
    const sent: string[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      sent.push(
        await reasonOf(
          resendConfirmation(db.app, { userId: person.userId, locale: "ru" }).then((mail) => {
            expect(tokenOf(mail?.text ?? "")).not.toBe("");
          }),
        ),
      );
    }
    expect(sent).toEqual(["succeeded", "succeeded", "succeeded", "rate_limited"]);
  });
});

describe("sign-up, step three: the café", () => {
  it("creates the café, its owner, its location with hours, default loyalty rules and a 14-day Pro trial", async () => {
    const person = await owner("cafe");
    const slug = `kofe-${randomUUID().slice(0, 6)}`;
    const created = await createCafe(db.app, { session: person.session(), cafe: cafeInput(slug), ip: "203.0.113.5" });
    expect(created.slug).toBe(slug);
    const [tenant] = await db.app.select().from(tenants).where(eq(tenants.id, created.tenantId));
    expect(tenant).toMatchObject({
      slug,
      name: "Кофе Точка",
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      storefrontOpenedAt: null,
      loyaltyReviewedAt: null,
    });
    await withTenant(
      created.tenantId,
      async (tx) => {
        const [membership] = await tx.select().from(memberships);
        expect(membership).toMatchObject({ userId: person.userId, role: "owner" });
        const places = await tx.select().from(locations);
        expect(places).toHaveLength(1);
        expect(places[0]).toMatchObject({ name: "На Тверской", address: "Тверская, 1", timezone: "Europe/Moscow" });
        expect(places[0]?.openingHours["1"]).toEqual([["08:00", "21:00"]]);
        expect(places[0]?.openingHours["7"]).toEqual([]);
        const [program] = await tx.select().from(loyaltyPrograms);
        expect(program).toMatchObject({ maxRedeemPercent: 30, welcomeBonus: 100 });
        const tiers = await tx.select().from(loyaltyTiers).orderBy(loyaltyTiers.minSpend);
        expect(tiers[0]).toMatchObject({ accrualPercent: 5, minSpend: 0 });
        const [subscription] = await tx.select().from(subscriptions);
        expect(subscription).toMatchObject({ plan: "pro", status: "trialing" });
        const days = ((subscription?.trialEndsAt?.getTime() ?? 0) - Date.now()) / (24 * 3600 * 1000);
        expect(days).toBeGreaterThan(13.9);
        expect(days).toBeLessThanOrEqual(14);
        expect(await tx.select().from(products)).toEqual([]);
        const audit = await tx.select().from(auditLog).where(eq(auditLog.action, "tenant.created"));
        expect(audit).toMatchObject([{ actorUserId: person.userId, ip: "203.0.113.5", targetId: created.tenantId }]);
      },
      db.app,
    );
  });

  it("is refused until 2FA is on and this session passed it", async () => {
    const without = await owner("no-2fa", { totp: false });
    expect(
      await reasonOf(createCafe(db.app, { session: without.session(), cafe: cafeInput("no-2fa-cafe"), ip: null })),
    ).toBe("two_factor_required");
    const enrolled = await owner("unverified");
    for (const mfa of ["enrolment", "none"] as const) {
      expect(
        await reasonOf(
          createCafe(db.app, { session: enrolled.session(mfa), cafe: cafeInput("unverified-cafe"), ip: null }),
        ),
      ).toBe("two_factor_required");
    }
    const [made] = await db.app.select().from(tenants).where(eq(tenants.slug, "unverified-cafe"));
    expect(made).toBeUndefined();
  });

  it("refuses a reserved, malformed or taken address with a free one to offer", async () => {
    const person = await owner("slugs");
    const attempt = (slug: string, name = "Кофе Точка") =>
      createCafe(db.app, { session: person.session(), cafe: cafeInput(slug, { name }), ip: null }).catch(
        (error: unknown) => error,
      );
    expect(await attempt("dashboard", "Ранняя Пташка")).toMatchObject({
      reason: "slug_reserved",
      details: [{ path: "slug", suggestion: "rannyaya-ptashka" }],
    });
    expect(await attempt("sign-in")).toMatchObject({ reason: "slug_reserved" });
    expect(await attempt("Kofe Tochka!")).toMatchObject({ reason: "slug_invalid", details: [{ path: "slug" }] });
    await createCafe(db.app, { session: person.session(), cafe: cafeInput("tochka"), ip: null });
    expect(await attempt("tochka")).toMatchObject({
      code: "conflict",
      reason: "slug_taken",
      details: [{ path: "slug", suggestion: "tochka-2" }],
    });
  });

  it("refuses bad fields naming them: hours closing before opening, an unknown zone or currency, an empty address", async () => {
    const person = await owner("fields");
    const attempt = (overrides: Partial<CafeInput>) =>
      createCafe(db.app, { session: person.session(), cafe: cafeInput("fields-cafe", overrides), ip: null }).catch(
        (error: unknown) => error,
      );
    const base = cafeInput("x").location;
    expect(
      await attempt({ location: { ...base, openingHours: { ...base.openingHours, "3": [["21:00", "08:00"]] } } }),
    ).toMatchObject({ reason: "close_before_open", details: [{ path: "hours.3" }] });
    expect(
      await attempt({ location: { ...base, openingHours: { ...base.openingHours, "2": [["8", "21:00"]] } } }),
    ).toMatchObject({ reason: "invalid_field", details: [{ path: "hours.2" }] });
    expect(await attempt({ timezone: "Mars/Olympus" })).toMatchObject({ details: [{ path: "timezone" }] });
    expect(await attempt({ currency: "XXX" as "RUB" })).toMatchObject({ details: [{ path: "currency" }] });
    expect(await attempt({ location: { ...base, address: "  " } })).toMatchObject({
      details: [{ path: "location.address" }],
    });
    // Until midnight is allowed.
    expect(
      await attempt({ location: { ...base, openingHours: { ...base.openingHours, "5": [["18:00", "00:00"]] } } }),
    ).toMatchObject({ slug: "fields-cafe" });
  });
});

describe("first steps", () => {
  it("the checklist ticks itself as the café does each step", async () => {
    const { person, tenant } = await signedUpCafe("steps");
    const checklist = () => withTenant(tenant.id, (tx) => setupChecklist(tx, tenant.id), db.app);
    const done = async () => (await checklist()).steps.filter((step) => step.done).map((step) => step.key);
    expect(await checklist()).toMatchObject({ done: 0, total: 5, complete: false });

    await withTenant(
      tenant.id,
      async (tx) => {
        const [category] = await tx
          .insert(menuCategories)
          .values({ tenantId: tenant.id, slug: "coffee", name: "Кофе" })
          .returning();
        await tx
          .insert(products)
          .values({ tenantId: tenant.id, categoryId: category?.id ?? "", sku: "latte", name: "Латте", price: 25000 });
      },
      db.app,
    );
    expect(await done()).toEqual(["product"]);

    const actor = { userId: person.userId, ip: "203.0.113.6" };
    await withTenant(tenant.id, (tx) => confirmLoyaltyRules(tx, { tenantId: tenant.id, actor }), db.app);
    expect(await done()).toEqual(["product", "loyalty"]);

    await withTenant(
      tenant.id,
      async (tx) => {
        const [location] = await tx.select().from(locations);
        await tx.insert(posApiKeys).values({
          tenantId: tenant.id,
          locationId: location?.id ?? "",
          name: "Till",
          keyHash: randomUUID(),
          prefix: "zk_live_test",
          revokedAt: new Date(),
        });
      },
      db.app,
    );
    expect(await done()).toEqual(["product", "loyalty", "posKey"]);

    await withTenant(
      tenant.id,
      (tx) =>
        tx.insert(staffInvitations).values({
          tenantId: tenant.id,
          email: "barista@example.test",
          role: "barista",
          tokenHash: randomUUID(),
          invitedBy: person.userId,
          expiresAt: new Date(Date.now() + 3600_000),
        }),
      db.app,
    );
    expect(await done()).toEqual(["product", "loyalty", "posKey", "colleague"]);

    await db.app.update(users).set({ emailVerified: new Date() }).where(eq(users.id, person.userId));
    await withTenant(tenant.id, (tx) => openStorefront(tx, { tenantId: tenant.id, actor }), db.app);
    expect(await checklist()).toMatchObject({ done: 5, complete: true });
    // The actions are audited.
    const audited = await withTenant(
      tenant.id,
      (tx) => tx.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.actorUserId, person.userId)),
      db.app,
    );
    expect(audited.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(["tenant.created", "loyalty.rules_reviewed", "storefront.opened"]),
    );
  });

  it("a colleague on the team (not only an invitation) ticks that step", async () => {
    const { tenant } = await signedUpCafe("member");
    const [colleague] = await db.app
      .insert(users)
      .values({ email: uniqueEmail("colleague") })
      .returning();
    await withTenant(
      tenant.id,
      (tx) => tx.insert(memberships).values({ tenantId: tenant.id, userId: colleague?.id ?? "", role: "manager" }),
      db.app,
    );
    const checklist = await withTenant(tenant.id, (tx) => setupChecklist(tx, tenant.id), db.app);
    expect(checklist.steps.find((step) => step.key === "colleague")?.done).toBe(true);
  });

  it("the storefront opens only after the owner confirmed the email; until then guests get a 404", async () => {
    const { person, tenant } = await signedUpCafe("open");
    const actor = { userId: person.userId, ip: null };
    const open = () => withTenant(tenant.id, (tx) => openStorefront(tx, { tenantId: tenant.id, actor }), db.app);
    const current = async () => {
      const [row] = await db.app.select().from(tenants).where(eq(tenants.id, tenant.id));
      if (!row) throw new Error("no tenant");
      return row;
    };

    // Not open: a guest (no staff session) sees nothing, the café's own staff see a preview.
    expect(await storefrontVisible(db.app, await current(), null)).toBe(false);
    expect(await storefrontVisible(db.app, await current(), person.userId)).toBe(true);
    const stranger = await owner("stranger");
    expect(await storefrontVisible(db.app, await current(), stranger.userId)).toBe(false);

    expect(await reasonOf(open())).toBe("email_unverified");
    expect((await current()).storefrontOpenedAt).toBeNull();

    await verifyEmail(db.app, { token: decodeURIComponent(tokenOf(person.confirmation.text)), ip: null });
    const opened = await open();
    expect(opened.alreadyOpen).toBe(false);
    expect((await current()).storefrontOpenedAt).toBeInstanceOf(Date);
    expect(await storefrontVisible(db.app, await current(), null)).toBe(true);
    // Opening again changes nothing and is not audited twice.
    expect((await open()).alreadyOpen).toBe(true);
    const entries = await withTenant(
      tenant.id,
      (tx) =>
        tx
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.action, "storefront.opened"), eq(auditLog.targetId, tenant.id))),
      db.app,
    );
    expect(entries).toHaveLength(1);
  });

  it("the storefront's menu answers NOT_FOUND to guests until it opens, and to its staff as a preview", async () => {
    const { createCaller } = await import("../trpc/root");
    const { person, tenant, slug } = await signedUpCafe("menu");
    const menuAs = (userId: string | null) =>
      createCaller({
        db: db.app,
        requestId: randomUUID(),
        ip: null,
        headers: new Headers(),
        getStaffSession: async () => (userId ? { sid: "test", userId, mfa: "verified" as const } : null),
        getGuestAccount: async () => null,
        tenantSlug: slug,
        response: { headers: {} },
      })
        .shop.menu({})
        .then((answer) => answer.cafe.name)
        .catch((error: { code?: string }) => error.code);
    expect(await menuAs(null)).toBe("NOT_FOUND");
    expect(await menuAs(person.userId)).toBe("Кофе Точка");
    await db.app.update(users).set({ emailVerified: new Date() }).where(eq(users.id, person.userId));
    await withTenant(
      tenant.id,
      (tx) => openStorefront(tx, { tenantId: tenant.id, actor: { userId: person.userId, ip: null } }),
      db.app,
    );
    expect(await menuAs(null)).toBe("Кофе Точка");
  });

  it("cafés made by the operator (seed, CLI) are open and reviewed from the start", async () => {
    const { createTenant } = await import("../tenants/create");
    const { tenant } = await db.app.transaction((tx) =>
      createTenant(tx, {
        slug: `operator-${randomUUID().slice(0, 6)}`,
        name: "Operator café",
        currency: "RUB",
        timezone: "Europe/Moscow",
        locale: "ru",
        locations: [{ slug: "main", name: "Main", address: "Main 1" }],
      }),
    );
    expect(tenant.storefrontOpenedAt).toBeInstanceOf(Date);
    expect(tenant.loyaltyReviewedAt).toBeInstanceOf(Date);
    expect(await storefrontVisible(db.app, tenant, null)).toBe(true);
  });
});
