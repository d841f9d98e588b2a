import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { emailOutbox, guestConsents, guestOffers, guestStats, guests, tenants } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { AppError } from "../errors";
import { flushPosRequests } from "../pos/request-log";
import { createPosTenant, posClient } from "../pos/testing";
import { giveOffer, targetGuestIds, validityInstants } from "./give";
import { createOffer } from "./manage";
import { notifyGrants, readUnsubscribeToken, unsubscribeByToken, unsubscribeUrl } from "./notify";

const db = await testDatabase();
let cafe: Awaited<ReturnType<typeof createPosTenant>>;
let pos: ReturnType<typeof posClient>;
let counter = 0;
const outbox = { apiKey: undefined };

type Cafe = { id: string; slug: string; name: string; locale: string; currency: string; timezone: string };
let summary: Cafe;

/** A guest enrolled at the till; `segment` as the nightly fit would leave it, `email` with or without consent. */
async function guest(options: { segment?: string; email?: string; marketing?: boolean; deleted?: boolean } = {}) {
  counter += 1;
  const phone = `+7927${String(1_000_000 + counter).slice(-7)}`;
  const reply = await pos<{ guest: { id: string; cardCode: string } }>("POST", "/guests", { phone, consent: true });
  const { id, cardCode } = reply.body.guest;
  await db.admin
    .update(guests)
    .set({
      email: options.email ?? null,
      marketingOptIn: options.marketing ?? false,
      deletedAt: options.deleted ? new Date() : null,
    })
    .where(eq(guests.id, id));
  if (options.segment) {
    await db.admin.insert(guestStats).values({ tenantId: cafe.tenantId, guestId: id, segment: options.segment });
  }
  return { id, cardCode, phone };
}

const actor = () => ({ tenantId: cafe.tenantId, userId: null, ip: null });
const inCafe = <T>(work: Parameters<typeof withTenant<T>>[1]) => withTenant(cafe.tenantId, work, db.app);

async function personalOffer(title: string) {
  return inCafe((tx) =>
    createOffer(tx, actor(), {
      kind: "free_item",
      value: 1,
      skus: ["croissant"],
      title: { ru: title },
      source: "personal",
    }),
  );
}

const mailTo = (email: string) => db.admin.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email));

afterAll(() => flushPosRequests());

beforeAll(async () => {
  cafe = await createPosTenant(db.app, "offers-give-cafe");
  pos = posClient(db.app, cafe.key);
  const [row] = await db.admin.select().from(tenants).where(eq(tenants.id, cafe.tenantId));
  if (!row) throw new Error("no café");
  summary = row;
});

describe("whom an offer is given", () => {
  it("a segment is its active guests only; one guest is found by card code or phone, an unknown one is 404", async () => {
    const sleeping = await guest({ segment: "sleeping" });
    const alsoSleeping = await guest({ segment: "sleeping" });
    await guest({ segment: "sleeping", deleted: true });
    await guest({ segment: "loyal" });
    const ids = await inCafe((tx) => targetGuestIds(tx, { kind: "segment", segment: "sleeping" }));
    expect(ids.sort()).toEqual([sleeping.id, alsoSleeping.id].sort());

    expect(await inCafe((tx) => targetGuestIds(tx, { kind: "guest", identifier: sleeping.cardCode }))).toEqual([
      sleeping.id,
    ]);
    expect(await inCafe((tx) => targetGuestIds(tx, { kind: "guest", identifier: sleeping.phone }))).toEqual([
      sleeping.id,
    ]);
    const missing = await inCafe((tx) => targetGuestIds(tx, { kind: "guest", identifier: "+79990000000" })).catch(
      (error: unknown) => error,
    );
    expect(missing).toBeInstanceOf(AppError);
    expect((missing as AppError).reason).toBe("guest_not_found");
  });

  it("giving to a segment twice grants each guest once", async () => {
    const offer = await personalOffer("Раф для постоянных");
    const regular = await guest({ segment: "regular" });
    const first = await inCafe((tx) =>
      giveOffer(tx, actor(), { offerId: offer.id, target: { kind: "segment", segment: "regular" } }),
    );
    expect(first).toMatchObject({ guests: 1, granted: 1, alreadyHad: 0 });
    const again = await inCafe((tx) =>
      giveOffer(tx, actor(), { offerId: offer.id, target: { kind: "segment", segment: "regular" } }),
    );
    expect(again).toMatchObject({ guests: 1, granted: 0, alreadyHad: 1 });
    const grants = await db.admin.select().from(guestOffers).where(eq(guestOffers.guestId, regular.id));
    expect(grants).toHaveLength(1);
  });
});

describe("the email that a personal offer arrived", () => {
  it("goes only to guests who agreed to marketing mail, once, with an unsubscribe link", async () => {
    const offer = await personalOffer("Круассан в подарок к капучино");
    const agreed = await guest({ segment: "lost", email: "agreed@offers.test", marketing: true });
    const refused = await guest({ segment: "lost", email: "refused@offers.test", marketing: false });
    const given = await inCafe((tx) =>
      giveOffer(tx, actor(), { offerId: offer.id, target: { kind: "segment", segment: "lost" } }),
    );
    expect(given.granted).toBe(2);

    expect(await notifyGrants(db.app, summary, given.grantIds, outbox)).toBe(1);
    const [mail] = await mailTo("agreed@offers.test");
    expect(mail?.subject).toContain(summary.name);
    expect(mail?.text).toContain("Круассан в подарок к капучино");
    expect(mail?.text).toMatch(/\/offers-give-cafe\/unsubscribe\?token=/);
    expect(await mailTo("refused@offers.test")).toHaveLength(0);

    // A second run (a retry, a second server) mails nobody again.
    expect(await notifyGrants(db.app, summary, given.grantIds, outbox)).toBe(0);
    expect(await mailTo("agreed@offers.test")).toHaveLength(1);
    const [grantOfRefused] = await db.admin.select().from(guestOffers).where(eq(guestOffers.guestId, refused.id));
    expect(grantOfRefused?.notifiedAt).toBeNull();
    const [grantOfAgreed] = await db.admin.select().from(guestOffers).where(eq(guestOffers.guestId, agreed.id));
    expect(grantOfAgreed?.notifiedAt).not.toBeNull();
  });

  it("two senders at once mail a grant once", async () => {
    const offer = await personalOffer("Два письма не нужны");
    await guest({ segment: "new", email: "once@offers.test", marketing: true });
    const given = await inCafe((tx) =>
      giveOffer(tx, actor(), { offerId: offer.id, target: { kind: "segment", segment: "new" } }),
    );
    const sent = await Promise.all([
      notifyGrants(db.app, summary, given.grantIds, outbox),
      notifyGrants(db.app, summary, given.grantIds, outbox),
    ]);
    expect(sent[0] + sent[1]).toBe(1);
    expect(await mailTo("once@offers.test")).toHaveLength(1);
  });

  it("the unsubscribe link withdraws the consent at that café only; a forged or foreign link does nothing", async () => {
    const reader = await guest({ email: "reader@offers.test", marketing: true });
    const url = new URL(unsubscribeUrl(summary, reader.id));
    const token = url.searchParams.get("token") ?? "";
    expect(readUnsubscribeToken(token)).toEqual({ tenantId: cafe.tenantId, guestId: reader.id });

    expect(await unsubscribeByToken(db.app, { id: cafe.tenantId }, `${token}x`)).toBe(false);
    const other = await createPosTenant(db.app, "offers-give-other");
    expect(await unsubscribeByToken(db.app, { id: other.tenantId }, token)).toBe(false);
    const [still] = await db.admin.select().from(guests).where(eq(guests.id, reader.id));
    expect(still?.marketingOptIn).toBe(true);

    expect(await unsubscribeByToken(db.app, { id: cafe.tenantId }, token)).toBe(true);
    const [after] = await db.admin.select().from(guests).where(eq(guests.id, reader.id));
    expect(after?.marketingOptIn).toBe(false);
    const consents = await db.admin.select().from(guestConsents).where(eq(guestConsents.guestId, reader.id));
    expect(consents.some((consent) => consent.kind === "marketing" && !consent.granted)).toBe(true);
  });

  it("a guest whose online account the café blocked can still say no to its mail", async () => {
    const blocked = await guest({ email: "blocked-reader@offers.test", marketing: true });
    await db.admin.update(guests).set({ blockedAt: new Date() }).where(eq(guests.id, blocked.id));
    const token = new URL(unsubscribeUrl(summary, blocked.id)).searchParams.get("token") ?? "";
    expect(await unsubscribeByToken(db.app, { id: cafe.tenantId }, token)).toBe(true);
    const [after] = await db.admin.select().from(guests).where(eq(guests.id, blocked.id));
    expect(after?.marketingOptIn).toBe(false);
  });
});

describe("validity days", () => {
  it("are the café's calendar days: from the first midnight to the end of the last day", () => {
    expect(validityInstants({ validFrom: "2026-10-01", validUntil: "2026-10-31" }, "Europe/Moscow")).toEqual({
      validFrom: new Date("2026-09-30T21:00:00Z"),
      validUntil: new Date("2026-10-31T21:00:00Z"),
    });
    expect(validityInstants({}, "Europe/Moscow")).toEqual({ validFrom: null, validUntil: null });
  });
});
