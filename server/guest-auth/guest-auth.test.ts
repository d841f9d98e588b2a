import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type Tx, withTenant } from "@/db/client";
import { authVerificationTokens, guestConsents, guests, ledgerEntries } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { enrolOnline, type OnlineEnrolment } from "../cabinet/enrol";
import { AppError } from "../errors";
import { loadProgram } from "../loyalty/program";
import { createPosTenant, posClient } from "../pos/testing";
import type { Context } from "../trpc/init";
import { createCaller } from "../trpc/root";
import { guestAccountsAdapter } from "./adapter";
import { expiredLinkRedirect, guestReturnPath, magicLinkAddress, mailedMagicLink } from "./sign-in";

const db = await testDatabase();
let cafe: Awaited<ReturnType<typeof createPosTenant>>;
let other: Awaited<ReturnType<typeof createPosTenant>>;

beforeAll(async () => {
  cafe = await createPosTenant(db.app, "guest-auth-cafe");
  other = await createPosTenant(db.app, "guest-auth-other");
});

const inCafe = <T>(work: (tx: Tx) => Promise<T>) => withTenant(cafe.tenantId, work, db.app);

let counter = 0;
function person() {
  counter += 1;
  return { email: `Guest${counter}@Example.com`, phone: `+7916${String(3_000_000 + counter).slice(-7)}` };
}

function enrol(input: Partial<OnlineEnrolment> & { email: string; phone: string }) {
  return inCafe(async (tx) =>
    enrolOnline(db.app, tx, await loadProgram(tx), {
      tenantId: cafe.tenantId,
      name: "Анна",
      consent: true,
      marketingOptIn: false,
      ...input,
    }),
  );
}

async function reasonOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    if (error instanceof AppError) return error.reason ?? error.code;
    if (error instanceof TRPCError) return error.message;
    throw error;
  }
}

const ledgerOf = (guestId: string) => db.admin.select().from(ledgerEntries).where(eq(ledgerEntries.guestId, guestId));

describe("magic-link tokens and accounts (the guest Auth.js adapter)", () => {
  const adapter = guestAccountsAdapter(() => db.app);

  it("a token is used once, and only for its own address", async () => {
    const expires = new Date(Date.now() + 60_000);
    await adapter.createVerificationToken?.({ identifier: "a@example.com", token: "hash-1", expires });
    expect(await adapter.useVerificationToken?.({ identifier: "b@example.com", token: "hash-1" })).toBeNull();
    expect(await adapter.useVerificationToken?.({ identifier: "A@Example.com", token: "hash-1" })).toMatchObject({
      token: "hash-1",
    });
    expect(await adapter.useVerificationToken?.({ identifier: "a@example.com", token: "hash-1" })).toBeNull();
  });

  it("a staff password-reset token can never be used up as a guest sign-in", async () => {
    const expires = new Date(Date.now() + 60_000);
    await db.app
      .insert(authVerificationTokens)
      .values({ identifier: "password-reset:x", token: "reset-hash", expires });
    expect(await adapter.useVerificationToken?.({ identifier: "password-reset:x", token: "reset-hash" })).toBeNull();
    const [kept] = await db.app
      .select()
      .from(authVerificationTokens)
      .where(and(eq(authVerificationTokens.token, "reset-hash")));
    expect(kept?.identifier).toBe("password-reset:x");
  });

  it("two links opened at once for a new address make one account", async () => {
    const email = `race-${randomUUID()}@example.com`;
    const made = await Promise.all(
      Array.from({ length: 5 }, () => adapter.createUser?.({ id: "", email, emailVerified: new Date() })),
    );
    expect(new Set(made.map((user) => user?.id)).size).toBe(1);
    expect((await adapter.getUserByEmail?.(email.toUpperCase()))?.id).toBe(made[0]?.id);
  });
});

describe("joining a café online", () => {
  it("a new phone enrols a guest with consent and the welcome bonus, once", async () => {
    const { email, phone } = person();
    const first = await enrol({ email, phone, marketingOptIn: true });
    expect(first.outcome).toBe("enrolled");
    expect(first.guest.email).toBe(email.toLowerCase());
    const program = await inCafe((tx) => loadProgram(tx));
    expect(first.guest.balance).toBe(program.welcomeBonus);
    const again = await enrol({ email: email.toUpperCase(), phone });
    expect(again).toMatchObject({ outcome: "already_enrolled", guest: { id: first.guest.id } });
    expect((await ledgerOf(first.guest.id)).map((entry) => entry.kind)).toEqual(["welcome_bonus"]);
    const consents = await db.admin.select().from(guestConsents).where(eq(guestConsents.guestId, first.guest.id));
    expect(consents.map((consent) => [consent.kind, consent.channel]).sort()).toEqual([
      ["marketing", "online"],
      ["personal_data", "online"],
    ]);
  });

  it("refuses without consent, a name or a valid phone", async () => {
    const { email, phone } = person();
    expect(await reasonOf(enrol({ email, phone, consent: false }))).toBe("invalid_request");
    expect(await reasonOf(enrol({ email, phone, name: "  " }))).toBe("invalid_request");
    expect(await reasonOf(enrol({ email, phone: "12" }))).toBe("invalid_request");
    const [stored] = await db.admin.select().from(guests).where(eq(guests.phone, phone));
    expect(stored).toBeUndefined();
  });

  it("names every wrong field at once, so the form can mark each", async () => {
    const { email } = person();
    const fieldsOf = async (input: Partial<OnlineEnrolment>) => {
      try {
        await enrol({ email, phone: "12", ...input });
      } catch (error) {
        if (error instanceof AppError) return (error.details as { path: string }[]).map((problem) => problem.path);
        throw error;
      }
      return [];
    };
    expect(await fieldsOf({ name: " ", consent: false })).toEqual(["name", "phone", "consent"]);
    expect(await fieldsOf({ consent: false })).toEqual(["phone", "consent"]);
    expect(await fieldsOf({ phone: person().phone, consent: false })).toEqual(["consent"]);
  });

  it("the same email joining from two tabs at once makes one guest with one bonus", async () => {
    const { email, phone } = person();
    const results = await Promise.all(Array.from({ length: 4 }, () => enrol({ email, phone })));
    expect(results.filter((result) => result.outcome === "enrolled")).toHaveLength(1);
    expect(new Set(results.map((result) => result.guest.id)).size).toBe(1);
    const rows = await db.admin.select().from(guests).where(sql`lower(${guests.email}) = ${email.toLowerCase()}`);
    expect(rows).toHaveLength(1);
    expect(await ledgerOf(rows[0]?.id ?? "")).toHaveLength(1);
  });

  it("a guest enrolled at the till joins by proving the card: same guest and points, no second bonus", async () => {
    const { email, phone } = person();
    const pos = posClient(db.app, cafe.key);
    const till = await pos<{ guest: { id: string; cardCode: string; balance: number } }>("POST", "/guests", {
      phone,
      name: "Анна с кассы",
      consent: true,
    });
    expect(till.status).toBe(201);
    const { id, cardCode, balance } = till.body.guest;

    expect(await reasonOf(enrol({ email, phone }))).toBe("card_code_required");
    expect(await reasonOf(enrol({ email, phone, cardCode: "123456789" }))).toBe("card_code_mismatch");
    const linked = await enrol({ email, phone: `8 (916) ${phone.slice(5)}`, cardCode: ` ${cardCode} ` });
    expect(linked.outcome).toBe("linked");
    expect(linked.guest).toMatchObject({ id, balance, email: email.toLowerCase(), name: "Анна с кассы" });
    expect((await ledgerOf(id)).map((entry) => entry.kind)).toEqual(["welcome_bonus"]);

    // Another email cannot take the phone now that it has one.
    expect(await reasonOf(enrol({ email: "someone-else@example.com", phone }))).toBe("phone_taken");
  });

  it("after five wrong card numbers even the right one waits", async () => {
    const { email, phone } = person();
    const pos = posClient(db.app, cafe.key);
    const till = await pos<{ guest: { cardCode: string } }>("POST", "/guests", { phone, consent: true });
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(await reasonOf(enrol({ email, phone, cardCode: String(100_000_000 + attempt) }))).toBe(
        "card_code_mismatch",
      );
    }
    expect(await reasonOf(enrol({ email, phone, cardCode: String(100_000_009) }))).toBe("too_many_attempts");
    expect(await reasonOf(enrol({ email, phone, cardCode: till.body.guest.cardCode }))).toBe("too_many_attempts");
    const [stored] = await db.admin.select().from(guests).where(eq(guests.phone, phone));
    expect(stored?.email).toBeNull();
  });
});

describe("guest procedures", () => {
  function caller(as: { email: string | null; tenantSlug: string | null }) {
    const ctx: Context = {
      db: db.app,
      requestId: randomUUID(),
      ip: "203.0.113.9",
      headers: new Headers(),
      getStaffSession: async () => null,
      getGuestAccount: async () => (as.email ? { accountId: randomUUID(), email: as.email } : null),
      tenantSlug: as.tenantSlug,
      response: { headers: {} },
    };
    return createCaller(ctx);
  }

  it("signed out is UNAUTHORIZED; an unknown café NOT_FOUND", async () => {
    expect(await reasonOf(caller({ email: null, tenantSlug: "guest-auth-cafe" }).guest.account())).toBe("signed_out");
    await expect(caller({ email: "x@example.com", tenantSlug: "no-such-cafe" }).guest.account()).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("a guest of one café is nobody at another until joining there, and joins as a new guest", async () => {
    const { email, phone } = person();
    const joined = await caller({ email, tenantSlug: "guest-auth-cafe" }).guest.enrol({
      name: "Анна",
      phone,
      consent: true,
      marketingOptIn: false,
    });
    expect(joined.outcome).toBe("enrolled");
    const here = await caller({ email, tenantSlug: "guest-auth-cafe" }).guest.account();
    expect(here.guest?.id).toBe(joined.guest.id);
    const there = await caller({ email, tenantSlug: "guest-auth-other" }).guest.account();
    expect(there).toEqual({ email, guest: null });
    const elsewhere = await caller({ email, tenantSlug: "guest-auth-other" }).guest.enrol({
      name: "Анна",
      phone,
      consent: true,
      marketingOptIn: false,
    });
    expect(elsewhere.guest.id).not.toBe(joined.guest.id);
    const [row] = await withTenant(other.tenantId, (tx) => tx.select().from(guests), db.app);
    expect(row?.id).toBe(elsewhere.guest.id);
  });
});

describe("sign-in inputs", () => {
  it("takes only email addresses", () => {
    expect(magicLinkAddress("  Anna@Example.COM ")).toBe("anna@example.com");
    for (const bad of ["", "anna", "anna@", "<script>@x.ru", `${"a".repeat(300)}@x.ru`]) {
      expect(() => magicLinkAddress(bad)).toThrow(AppError);
    }
  });

  it("returns only to pages of the same café", () => {
    expect(guestReturnPath("demo", "/demo/checkout")).toBe("/demo/checkout");
    expect(guestReturnPath("demo", "/demo")).toBe("/demo");
    expect(guestReturnPath("demo", "/demo/orders/../checkout?x=1")).toBe("/demo/checkout?x=1");
    for (const elsewhere of [
      null,
      "",
      "/other/me",
      "//evil.example/demo/",
      "https://evil.example/demo/",
      "/demox/me",
      // Inside the café only before normalisation: checked on what the browser would open.
      "/demo/../other/me",
      "/demo/../..//evil.example",
      "/demo/%2e%2e/%2e%2e//evil.example",
      "/demo/\t/../..//evil.example",
      "/demo/%5c%5cevil.example",
      "/demo/%ff",
      `/demo/${"a".repeat(3000)}`,
    ]) {
      expect(guestReturnPath("demo", elsewhere)).toBe("/demo/me");
    }
  });

  it("a failed link callback goes back to its café's sign-in, anything else is left alone", () => {
    const callback = new URL(
      "http://localhost/api/guest-auth/callback/resend?callbackUrl=http%3A%2F%2Flocalhost%2Fdemo%2Fcheckout&token=t&email=a%40b.ru",
    );
    expect(expiredLinkRedirect(callback, "http://localhost/api/guest-auth/error?error=Verification")).toBe(
      "/demo/sign-in?expired=1&next=%2Fdemo%2Fcheckout",
    );
    expect(expiredLinkRedirect(callback, "http://localhost/demo/checkout")).toBeNull();
    // A server fault is not passed off as an old link.
    expect(expiredLinkRedirect(callback, "http://localhost/api/guest-auth/error?error=Configuration")).toBeNull();
    const session = new URL("http://localhost/api/guest-auth/session");
    expect(expiredLinkRedirect(session, "http://localhost/api/guest-auth/error")).toBeNull();
    const hostile = new URL("http://localhost/api/guest-auth/callback/resend?callbackUrl=%2F%2Fevil.example%2Fx");
    expect(expiredLinkRedirect(hostile, "/api/guest-auth/error?error=Verification")).toBe("/");
  });

  it("mails a link on PUBLIC_URL that comes back to the page asked from, whatever host the guest used", () => {
    // Requested on 127.0.0.1 while PUBLIC_URL says localhost: Auth.js's absolute callbackUrl of
    // the other origin would be refused on the way back, landing the guest on the platform's page.
    const requested =
      "http://127.0.0.1:3000/api/guest-auth/callback/resend?callbackUrl=http%3A%2F%2F127.0.0.1%3A3000%2Fdemo%2Fcheckout&token=t0k&email=a%40b.ru";
    const { url, returnPath } = mailedMagicLink(requested, "http://localhost:3000");
    expect(returnPath).toBe("/demo/checkout");
    const mailed = new URL(url);
    expect(mailed.origin).toBe("http://localhost:3000");
    expect(mailed.pathname).toBe("/api/guest-auth/callback/resend");
    expect(mailed.searchParams.get("callbackUrl")).toBe("/demo/checkout");
    expect(mailed.searchParams.get("token")).toBe("t0k");
    expect(mailed.searchParams.get("email")).toBe("a@b.ru");
    // A forged Host does not reach the link; a callback to another site, or a path leaving this
    // one, becomes the site's root.
    for (const callback of ["https://evil.example/demo/me", "//evil.example/x", "/demo/../..//evil.example"]) {
      const hostile = `http://forged.example/api/guest-auth/callback/resend?callbackUrl=${encodeURIComponent(callback)}&token=t`;
      const link = mailedMagicLink(hostile, "https://zerno.example");
      expect(new URL(link.url).origin).toBe("https://zerno.example");
      expect(link.returnPath).toBe("/");
      expect(new URL(link.url).searchParams.get("callbackUrl")).toBe("/");
    }
  });
});
