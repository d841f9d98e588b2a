import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import {
  campaignSends,
  campaigns,
  emailOutbox,
  guestConsents,
  guests,
  ledgerEntries,
  messageEvents,
} from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { deleteGuestAccount } from "../cabinet/profile";
import type { EmailConfig } from "../email/send";
import { type FakeResend, startFakeResend } from "../email/testing/fake-resend";
import { lockGuest, postPoints } from "../loyalty/ledger";
import { unsubscribeUrl } from "../offers/notify";
import { selectAudience } from "./audience";
import { runCafeAutomations } from "./automations";
import { type Channel, emailChannel } from "./channel";
import { type CampaignSendJob, handleCampaignSend } from "./jobs";
import { campaignResults } from "./results";
import { MAX_ATTEMPTS, oneClickUnsubscribeUrl, quietUntil, SENDING_LEASE_SECONDS, sendQueued } from "./send";
import { addCampaign, addGuests, createCampaignCafe } from "./testing";
import { answerOneClickUnsubscribe, unsubscribeFromCampaign } from "./unsubscribe";
import { answerResendWebhook, signWebhook } from "./webhooks";

// Sending: once per guest whatever runs in parallel or crashes, back-off on rate limits, consent
// read again at the last moment, quiet hours, the bonus once; unsubscribe and delivery webhooks.

const db = await testDatabase();
let fake: FakeResend;
let resend: EmailConfig;
let cafe: Awaited<ReturnType<typeof createCampaignCafe>>;
// 12:00 in Moscow: outside the default quiet hours (21:00–09:00).
const noon = new Date("2026-03-10T09:00:00Z");
const at = (date: Date) => () => date;
const later = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);

beforeAll(async () => {
  fake = await startFakeResend();
  // Unpaced here; the pacing test asks for a rate of its own.
  resend = { apiKey: "re_test_key", baseUrl: fake.url, from: "Зерно <no-reply@zerno.test>", ratePerSecond: 1000 };
  cafe = await createCampaignCafe(db.app, db.admin, "campaigns-send");
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** A running one-off to these guests only (no hold-out), its audience drawn. */
async function campaignFor(guestIds: string[], values: Parameters<typeof addCampaign>[2] = {}) {
  const marker = `cohort-${Math.random().toString(36).slice(2)}`;
  await db.admin.execute(
    sql`update guests set name = ${marker} where id in (${sql.join(
      guestIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  );
  const campaign = await addCampaign(db.admin, cafe.tenantId, {
    kind: "one_off",
    holdoutPercent: 0,
    audience: { directoryFilter: { q: marker } },
    ...values,
  });
  await withTenant(cafe.tenantId, (tx) => selectAudience(tx, cafe.tenantId, campaign.id, noon), db.app);
  return campaign;
}
const rowsOf = (campaignId: string) =>
  db.admin.select().from(campaignSends).where(eq(campaignSends.campaignId, campaignId));
const sendIdsIn = () => fake.sent.map((email) => email.idempotencyKey);

describe("sending once per guest", () => {
  it("two senders in parallel, then a retry, send each guest exactly one message", async () => {
    const ids = await addGuests(
      db.admin,
      cafe,
      Array.from({ length: 60 }, () => ({})),
    );
    const campaign = await campaignFor(ids);
    const [one, two] = await Promise.all([
      sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend }),
      sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend }),
    ]);
    expect(one.sent + two.sent).toBe(60);
    // Both did part of the work, and no send id reached the provider twice.
    expect(fake.requests.filter((request) => request.path === "/emails")).toHaveLength(60);
    expect(new Set(sendIdsIn()).size).toBe(60);
    const again = await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(later(noon, 600)), config: resend });
    expect(again.sent).toBe(0);
    expect(fake.requests).toHaveLength(60);
    const rows = await rowsOf(campaign.id);
    expect(rows.every((row) => row.status === "sent" && row.attempts === 1 && row.providerMessageId)).toBe(true);
  });

  it("carries List-Unsubscribe with the one-click URL, List-Unsubscribe-Post, and a link in the body", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{ favourite: "капучино", segment: "regular" }]);
    const campaign = await campaignFor([guest as string], {
      subject: "Мы соскучились!",
      body: "Ваш {favourite} ждёт вас",
    });
    await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend });
    const body = fake.sent[0]?.body as { headers: Record<string, string>; text: string; html: string; tags: unknown };
    expect(body.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(body.headers["List-Unsubscribe"]).toMatch(
      /^<http.+\/campaigns-send\/unsubscribe\/one-click\?token=.+&send=.+>$/,
    );
    expect(body.text).toContain("Ваш капучино ждёт вас");
    expect(body.html).toContain("/campaigns-send/unsubscribe?token=");
    expect(body.tags).toEqual([
      { name: "tenant_id", value: cafe.tenantId },
      { name: "send_id", value: fake.sent[0]?.idempotencyKey },
    ]);
  });

  it("resumes a send left 'sending' by a crash without a second message", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{}]);
    const campaign = await campaignFor([guest as string]);
    const [row] = await rowsOf(campaign.id);
    if (!row) throw new Error("no row");
    // The crashed sender had claimed the row and the provider had accepted the mail; nothing was recorded.
    await db.admin
      .update(campaignSends)
      .set({ status: "sending", attempts: 1, nextAttemptAt: later(noon, SENDING_LEASE_SECONDS) })
      .where(eq(campaignSends.id, row.id));
    const outcome = await emailChannel(resend).deliver(db.app, {
      sendId: row.id,
      tenantId: cafe.tenantId,
      context: cafe.slug,
      to: "someone@example.test",
      subject: "s",
      html: "<p>h</p>",
      text: "t",
    });
    expect(outcome.ok).toBe(true);
    // Within its lease nobody touches it; after, it is resent under the same key.
    expect((await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend })).sent).toBe(0);
    const resumed = await sendQueued(db.app, cafe.tenantId, campaign.id, {
      now: at(later(noon, SENDING_LEASE_SECONDS + 1)),
      config: resend,
    });
    expect(resumed.sent).toBe(1);
    expect(fake.sent.filter((email) => email.idempotencyKey === row.id)).toHaveLength(1);
    expect(await db.admin.select().from(emailOutbox).where(eq(emailOutbox.id, row.id))).toHaveLength(1);
    expect((await rowsOf(campaign.id))[0]).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("in outbox mode (no API key) a resumed send stores no second outbox message", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{}]);
    const campaign = await campaignFor([guest as string]);
    const [row] = await rowsOf(campaign.id);
    if (!row) throw new Error("no row");
    const outbox: EmailConfig = { from: "Зерно <no-reply@zerno.test>" };
    await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: outbox });
    await db.admin
      .update(campaignSends)
      .set({ status: "sending", nextAttemptAt: noon })
      .where(eq(campaignSends.id, row.id));
    await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(later(noon, 1)), config: outbox });
    expect(await db.admin.select().from(emailOutbox).where(eq(emailOutbox.id, row.id))).toHaveLength(1);
  });
});

describe("rate limits and failures", () => {
  it("on 429 stops the batch, puts every claimed row back without an attempt, and resumes after Retry-After", async () => {
    const ids = await addGuests(db.admin, cafe, [{}, {}, {}]);
    const campaign = await campaignFor(ids);
    fake.fail(429, 1);
    const first = await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend });
    expect(first).toMatchObject({ sent: 0, retrying: 3 });
    // One request hit the limit; the other two of the batch were not tried into it.
    expect(fake.requests).toHaveLength(1);
    expect(first.nextAttemptAt?.getTime()).toBe(later(noon, 1).getTime());
    const waiting = await rowsOf(campaign.id);
    expect(waiting.every((row) => row.status === "queued" && row.attempts === 0)).toBe(true);
    expect(waiting.some((row) => row.lastError?.includes("429"))).toBe(true);
    const second = await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(later(noon, 1)), config: resend });
    expect(second.sent).toBe(3);
    expect((await rowsOf(campaign.id)).every((row) => row.status === "sent" && row.attempts === 1)).toBe(true);
  });

  it("paces requests to the provider's rate", async () => {
    const ids = await addGuests(db.admin, cafe, [{}, {}, {}]);
    const campaign = await campaignFor(ids);
    const started = Date.now();
    const result = await sendQueued(db.app, cafe.tenantId, campaign.id, {
      now: at(noon),
      config: resend,
      ratePerSecond: 5,
    });
    expect(result.sent).toBe(3);
    // Three requests at 5 a second: the third goes at least 2 × 200 ms after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it("a resend after a lost answer is the same request (same body and headers), so it counts as sent", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{ balance: 10 }]);
    const campaign = await campaignFor([guest as string], { body: "У вас {points} баллов" });
    await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend });
    const [row] = await rowsOf(campaign.id);
    if (!row) throw new Error("no row");
    // The provider accepted the mail, but its answer was lost; meanwhile the balance moved.
    await db.admin.update(emailOutbox).set({ delivered: false }).where(eq(emailOutbox.id, row.id));
    await db.admin
      .update(campaignSends)
      .set({ status: "sending", sentAt: null, nextAttemptAt: later(noon, 1) })
      .where(eq(campaignSends.id, row.id));
    await db.admin
      .update(guests)
      .set({ balance: 99 })
      .where(eq(guests.id, guest as string));
    const resumed = await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(later(noon, 2)), config: resend });
    expect(resumed.sent).toBe(1);
    const bodies = fake.requests
      .filter((request) => request.headers["idempotency-key"] === row.id)
      .map((request) => JSON.stringify(request.body));
    expect(bodies).toHaveLength(2);
    expect(new Set(bodies).size).toBe(1);
    expect((await rowsOf(campaign.id))[0]?.status).toBe("sent");
  });

  it("treats Resend's 409 invalid_idempotent_request (key used for an accepted mail) as sent", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{}]);
    const campaign = await campaignFor([guest as string]);
    const [row] = await rowsOf(campaign.id);
    if (!row) throw new Error("no row");
    // Another payload went out under this send's key (the stored copy is gone).
    await emailChannel(resend).deliver(db.app, {
      sendId: row.id,
      tenantId: cafe.tenantId,
      context: cafe.slug,
      to: "someone@example.test",
      subject: "earlier",
      html: "<p>h</p>",
      text: "t",
    });
    await db.admin.delete(emailOutbox).where(eq(emailOutbox.id, row.id));
    const result = await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend });
    expect(fake.requests.at(-1)?.body).toBeDefined();
    expect(result).toMatchObject({ sent: 1, retrying: 0 });
    expect((await rowsOf(campaign.id))[0]?.status).toBe("sent");
  });

  it("one row that throws is a failed attempt of that row; the others go out", async () => {
    const ids = await addGuests(db.admin, cafe, [{}, {}, {}]);
    const campaign = await campaignFor(ids);
    const [bad] = await rowsOf(campaign.id);
    const channel: Channel = {
      name: "test",
      address: (guest) => guest.email,
      async deliver(_db, message) {
        if (message.sendId === bad?.id) throw new Error("render exploded");
        return { ok: true, providerMessageId: null };
      },
    };
    const result = await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), channel });
    expect(result).toMatchObject({ sent: 2, retrying: 1 });
    const row = (await rowsOf(campaign.id)).find((send) => send.id === bad?.id);
    expect(row).toMatchObject({ status: "queued", attempts: 1, lastError: "render exploded" });
  });

  it("a row that used up its attempts (its senders kept dying) is failed at the claim", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{}]);
    const campaign = await campaignFor([guest as string]);
    await db.admin
      .update(campaignSends)
      .set({ status: "sending", attempts: MAX_ATTEMPTS, nextAttemptAt: noon })
      .where(eq(campaignSends.campaignId, campaign.id));
    const result = await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(later(noon, 1)), config: resend });
    expect(result).toMatchObject({ sent: 0, failed: 1 });
    expect(fake.requests).toHaveLength(0);
    expect((await rowsOf(campaign.id))[0]).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
  });

  it("gives up at once on a refusal that a retry cannot fix (422)", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{}]);
    const campaign = await campaignFor([guest as string]);
    fake.fail(422, 1);
    expect(await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend })).toMatchObject({
      failed: 1,
      nextAttemptAt: null,
    });
    expect((await rowsOf(campaign.id))[0]?.status).toBe("failed");
  });
});

describe("consent and timing", () => {
  it("a guest who unsubscribed between selection and sending gets nothing", async () => {
    const [stays, leaves] = await addGuests(db.admin, cafe, [{}, {}]);
    const campaign = await campaignFor([stays as string, leaves as string]);
    const token = new URL(unsubscribeUrl({ id: cafe.tenantId, slug: cafe.slug }, leaves as string)).searchParams.get(
      "token",
    );
    expect(await unsubscribeFromCampaign(db.app, { id: cafe.tenantId }, token ?? "", null)).toBe(true);
    const result = await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend });
    expect(result).toMatchObject({ sent: 1, skipped: 1 });
    const rows = await rowsOf(campaign.id);
    expect(rows.find((row) => row.guestId === leaves)).toMatchObject({ status: "skipped", skipReason: "unsubscribed" });
    expect(fake.sent).toHaveLength(1);
  });

  it("a guest deleted after the draw is skipped 'deleted' and stays in the comparison, as a held-out one does", async () => {
    const ids = await addGuests(
      db.admin,
      cafe,
      Array.from({ length: 12 }, () => ({})),
    );
    const campaign = await campaignFor(ids, { holdoutPercent: 50 });
    const drawn = await rowsOf(campaign.id);
    const target = drawn.find((row) => row.group === "target");
    const heldOut = drawn.find((row) => row.group === "holdout");
    if (!target || !heldOut) throw new Error("the draw should give both groups");
    for (const guestId of [target.guestId, heldOut.guestId]) {
      await withTenant(cafe.tenantId, (tx) => deleteGuestAccount(tx, guestId, { kind: "guest" }), db.app);
    }
    const result = await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend });
    expect(result.skipped).toBe(1);
    expect((await rowsOf(campaign.id)).find((row) => row.id === target.id)).toMatchObject({
      status: "skipped",
      skipReason: "deleted",
    });
    const results = await withTenant(
      cafe.tenantId,
      (tx) => campaignResults(tx, cafe.tenantId, campaign.id, { now: later(noon, 30 * 86_400) }),
      db.app,
    );
    // Both deleted guests are compared: every guest drawn is in one group or the other.
    expect(results.target.n + results.control.n).toBe(12);
    expect(results.target.n).toBe(drawn.filter((row) => row.group === "target").length);
    expect(results.counts.skipped).toMatchObject({ deleted: 1, no_email: 0 });
  });

  it("reads the frequency cap again: a guest mailed by other campaigns since the draw is skipped", async () => {
    const [capped, free] = await addGuests(db.admin, cafe, [{}, {}]);
    const campaign = await campaignFor([capped as string, free as string]);
    // Since the draw, two other campaigns' messages reached the first guest (the café's cap: 2 in 7 days).
    for (const hoursAgo of [30, 2]) {
      const other = await addCampaign(db.admin, cafe.tenantId, { kind: "one_off", name: `other ${hoursAgo}` });
      await db.admin.insert(campaignSends).values({
        tenantId: cafe.tenantId,
        campaignId: other.id,
        guestId: capped as string,
        status: "delivered",
        queuedAt: later(noon, -hoursAgo * 3600),
        sentAt: later(noon, -hoursAgo * 3600),
      });
    }
    const result = await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend });
    expect(result).toMatchObject({ sent: 1, skipped: 1 });
    const rows = await rowsOf(campaign.id);
    expect(rows.find((row) => row.guestId === capped)).toMatchObject({
      status: "skipped",
      skipReason: "frequency_cap",
    });
    expect(rows.find((row) => row.guestId === free)?.status).toBe("sent");
  });

  it("waits out the café's quiet hours (in its time zone) instead of dropping, and the job comes back then", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{}]);
    const campaign = await campaignFor([guest as string]);
    const night = new Date("2026-03-10T19:30:00Z"); // 22:30 in Moscow
    expect(quietUntil(night, "Europe/Moscow", "21:00:00", "09:00:00")?.toISOString()).toBe("2026-03-11T06:00:00.000Z");
    const enqueued: [string, CampaignSendJob, unknown][] = [];
    const job = await handleCampaignSend(
      db.app,
      { tenantId: cafe.tenantId, campaignId: campaign.id },
      async (name, data, options) => {
        enqueued.push([name, data, options]);
      },
      { now: at(night), config: resend },
    );
    expect(job.sent).toBe(0);
    expect(job.deferredUntil?.toISOString()).toBe("2026-03-11T06:00:00.000Z");
    expect(enqueued).toEqual([
      [
        "campaigns.send",
        { tenantId: cafe.tenantId, campaignId: campaign.id },
        { singletonKey: campaign.id, startAfter: job.deferredUntil },
      ],
    ]);
    expect((await rowsOf(campaign.id))[0]?.status).toBe("queued");
    const morning = await sendQueued(db.app, cafe.tenantId, campaign.id, {
      now: at(new Date("2026-03-11T06:00:00Z")),
      config: resend,
    });
    expect(morning.sent).toBe(1);
  });
});

describe("pause, archive and webhooks that come first", () => {
  it("a pause stops a send in progress after the batch in hand", async () => {
    const ids = await addGuests(
      db.admin,
      cafe,
      Array.from({ length: 30 }, () => ({})),
    );
    const campaign = await campaignFor(ids);
    let delivered = 0;
    const channel: Channel = {
      name: "test",
      address: (guest) => guest.email,
      async deliver() {
        delivered += 1;
        if (delivered === 1)
          await db.admin.update(campaigns).set({ status: "paused" }).where(eq(campaigns.id, campaign.id));
        return { ok: true, providerMessageId: null };
      },
    };
    const result = await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), channel });
    // The first batch (25) was claimed before the pause; nothing more after it.
    expect(result.sent).toBe(25);
    expect((await rowsOf(campaign.id)).filter((row) => row.status === "queued")).toHaveLength(5);
  });

  it("an archived campaign sends nothing more, and the automations do not list it", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{}]);
    const campaign = await campaignFor([guest as string]);
    await db.admin.update(campaigns).set({ status: "finished" }).where(eq(campaigns.id, campaign.id));
    expect((await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend })).sent).toBe(0);
    expect(fake.requests).toHaveLength(0);
    expect((await rowsOf(campaign.id))[0]?.status).toBe("queued");
    const tick = await withTenant(cafe.tenantId, (tx) => runCafeAutomations(tx, cafe.tenantId, noon), db.app);
    expect(tick.toSend.some((job) => job.campaignId === campaign.id)).toBe(false);
  });

  it("recording the send keeps a delivery status a webhook set first", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{}]);
    const campaign = await campaignFor([guest as string]);
    const channel: Channel = {
      name: "test",
      address: (guest) => guest.email,
      async deliver(_db, message) {
        await db.admin.update(campaignSends).set({ status: "bounced" }).where(eq(campaignSends.id, message.sendId));
        return { ok: true, providerMessageId: "prov-1" };
      },
    };
    expect((await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), channel })).sent).toBe(1);
    const [row] = await rowsOf(campaign.id);
    expect(row).toMatchObject({ status: "bounced", providerMessageId: "prov-1" });
    expect(row?.sentAt?.toISOString()).toBe(noon.toISOString());
  });
});

describe("the bonus", () => {
  it("is given once with the message and taken back unspent at its expiry", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{ segment: "sleeping" }]);
    const campaign = await campaignFor([guest as string], { kind: "win_back", bonusPoints: 50, bonusExpiresDays: 14 });
    // A win-back draws every sleeping guest of the café: send only this guest's row.
    await db.admin
      .update(campaignSends)
      .set({ status: "skipped" })
      .where(and(eq(campaignSends.campaignId, campaign.id), sql`${campaignSends.guestId} <> ${guest}`));
    await withTenant(cafe.tenantId, (tx) => selectAudience(tx, cafe.tenantId, campaign.id, noon), db.app);
    await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend });
    const balance = async () =>
      (
        await db.admin
          .select({ balance: guests.balance })
          .from(guests)
          .where(eq(guests.id, guest as string))
      )[0]?.balance;
    expect(await balance()).toBe(50);
    const [row] = (await rowsOf(campaign.id)).filter((send) => send.guestId === guest);
    expect(row?.bonusLedgerEntryId).not.toBeNull();
    expect(row?.bonusExpiresAt?.toISOString()).toBe(later(noon, 14 * 86_400).toISOString());

    const expiry = later(noon, 15 * 86_400);
    await withTenant(cafe.tenantId, (tx) => runCafeAutomations(tx, cafe.tenantId, expiry), db.app);
    await withTenant(cafe.tenantId, (tx) => runCafeAutomations(tx, cafe.tenantId, expiry), db.app);
    expect(await balance()).toBe(0);
    const entries = await db.admin
      .select({ kind: ledgerEntries.kind, delta: ledgerEntries.delta })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.guestId, guest as string));
    expect(entries.sort((a, b) => b.delta - a.delta)).toEqual([
      { kind: "campaign_bonus", delta: 50 },
      { kind: "expiry", delta: -50 },
    ]);
  });
});

describe("the bonus's expiry", () => {
  it("takes back only what is left of the bonus: never points earned since, nothing after an inactivity expiry", async () => {
    const [spender, expired] = await addGuests(db.admin, cafe, [{ segment: "sleeping" }, { segment: "sleeping" }]);
    const campaign = await campaignFor([spender as string, expired as string], {
      kind: "win_back",
      bonusPoints: 50,
      bonusExpiresDays: 14,
    });
    await db.admin
      .update(campaignSends)
      .set({ status: "skipped" })
      .where(
        and(
          eq(campaignSends.campaignId, campaign.id),
          sql`${campaignSends.guestId} not in (${spender}::uuid, ${expired}::uuid)`,
        ),
      );
    await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend });
    const post = (guestId: string, entries: Parameters<typeof postPoints>[2]) =>
      withTenant(
        cafe.tenantId,
        async (tx) => {
          const guest = await lockGuest(tx, guestId);
          if (!guest) throw new Error("no guest");
          await postPoints(tx, guest, entries);
        },
        db.app,
      );
    // The first guest earns 200 points at the till and pays with 30: 20 of the bonus are left.
    await post(spender as string, [{ kind: "accrual", delta: 200 }]);
    await post(spender as string, [{ kind: "redemption_hold", delta: -30 }]);
    // The second guest's points all expired for inactivity, then they earned 80: none of the bonus is left.
    await post(expired as string, [{ kind: "expiry", delta: -50, note: "no visit for 180 days" }]);
    await post(expired as string, [{ kind: "accrual", delta: 80 }]);

    const tick = await withTenant(
      cafe.tenantId,
      (tx) => runCafeAutomations(tx, cafe.tenantId, later(noon, 15 * 86_400)),
      db.app,
    );
    expect(tick.bonusesExpired).toBe(2);
    const balances = await db.admin
      .select({ id: guests.id, balance: guests.balance })
      .from(guests)
      .where(sql`${guests.id} in (${spender}::uuid, ${expired}::uuid)`);
    expect(Object.fromEntries(balances.map((row) => [row.id, row.balance]))).toEqual({
      [spender as string]: 200,
      [expired as string]: 80,
    });
    const takeBacks = await db.admin
      .select({ guestId: ledgerEntries.guestId, delta: ledgerEntries.delta })
      .from(ledgerEntries)
      .where(
        sql`${ledgerEntries.note} like 'campaign-expiry:%' and ${ledgerEntries.guestId} in (${spender}::uuid, ${expired}::uuid)`,
      );
    expect(takeBacks).toEqual([{ guestId: spender, delta: -20 }]);
  });
});

describe("automations", () => {
  it("launch a one-off when its time comes and list it for sending", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{ name: "scheduled-guest" }]);
    const campaign = await addCampaign(db.admin, cafe.tenantId, {
      kind: "one_off",
      status: "scheduled",
      scheduledAt: later(noon, 3600),
      holdoutPercent: 0,
      audience: { directoryFilter: { q: "scheduled-guest" } },
    });
    const early = await withTenant(cafe.tenantId, (tx) => runCafeAutomations(tx, cafe.tenantId, noon), db.app);
    expect(early.toSend.some((job) => job.campaignId === campaign.id)).toBe(false);
    const due = await withTenant(
      cafe.tenantId,
      (tx) => runCafeAutomations(tx, cafe.tenantId, later(noon, 3601)),
      db.app,
    );
    expect(due.toSend).toContainEqual({ tenantId: cafe.tenantId, campaignId: campaign.id });
    expect((await rowsOf(campaign.id)).map((row) => [row.guestId, row.status])).toEqual([[guest, "queued"]]);
  });
});

describe("one-click unsubscribe (RFC 8058)", () => {
  it("withdraws the consent from the exact POST body, records it, and marks the message", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{}]);
    const campaign = await campaignFor([guest as string]);
    await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend });
    const [row] = await rowsOf(campaign.id);
    const url = oneClickUnsubscribeUrl({ id: cafe.tenantId, slug: cafe.slug }, guest as string, row?.id as string);
    const post = (body: string, target = url) =>
      answerOneClickUnsubscribe(
        db.app,
        { id: cafe.tenantId },
        new Request(target, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body,
        }),
      );
    expect((await post("something=else")).status).toBe(400);
    expect((await post("List-Unsubscribe=One-Click", url.replace(/token=[^&]+/, "token=forged"))).status).toBe(400);
    const [before] = await db.admin
      .select()
      .from(guests)
      .where(eq(guests.id, guest as string));
    expect(before?.marketingOptIn).toBe(true);

    const response = await post("List-Unsubscribe=One-Click");
    expect(response.status).toBe(200);
    const [after] = await db.admin
      .select()
      .from(guests)
      .where(eq(guests.id, guest as string));
    expect(after?.marketingOptIn).toBe(false);
    const consents = await db.admin
      .select({ kind: guestConsents.kind, granted: guestConsents.granted })
      .from(guestConsents)
      .where(eq(guestConsents.guestId, guest as string));
    expect(consents).toContainEqual({ kind: "marketing", granted: false });
    expect((await rowsOf(campaign.id))[0]?.unsubscribedAt).not.toBeNull();
    // A second click is fine and changes nothing more.
    expect((await post("List-Unsubscribe=One-Click")).status).toBe(200);
  });
});

describe("Resend webhooks", () => {
  const secret = `whsec_${Buffer.from("a-test-secret-of-thirty-two-byte").toString("base64")}`;
  const request = (body: string, id: string, signature: string, timestamp = Math.floor(Date.now() / 1000)) =>
    new Request("http://localhost/api/webhooks/resend", {
      method: "POST",
      headers: { "svix-id": id, "svix-timestamp": String(timestamp), "svix-signature": signature },
      body,
    });

  it("refuses a forged or stale signature, applies an event once however often it is delivered", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{}]);
    const campaign = await campaignFor([guest as string]);
    await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend });
    const [row] = await rowsOf(campaign.id);
    const body = JSON.stringify({
      type: "email.delivered",
      created_at: "2026-03-10T09:00:05.000Z",
      data: { email_id: row?.providerMessageId, tags: { tenant_id: cafe.tenantId, send_id: row?.id } },
    });
    const now = Math.floor(Date.now() / 1000);
    const forged = signWebhook(`whsec_${Buffer.from("another-secret").toString("base64")}`, "msg_1", now, body);
    expect((await answerResendWebhook(db.app, secret, request(body, "msg_1", forged))).status).toBe(401);
    const stale = signWebhook(secret, "msg_1", now - 600, body);
    expect((await answerResendWebhook(db.app, secret, request(body, "msg_1", stale, now - 600))).status).toBe(401);
    expect((await rowsOf(campaign.id))[0]?.status).toBe("sent");

    const signed = signWebhook(secret, "msg_1", now, body);
    const first = await answerResendWebhook(db.app, secret, request(body, "msg_1", signed));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ outcome: "applied" });
    const replay = await answerResendWebhook(db.app, secret, request(body, "msg_1", signed));
    expect(await replay.json()).toMatchObject({ outcome: "duplicate" });
    expect(
      await db.admin
        .select()
        .from(messageEvents)
        .where(eq(messageEvents.sendId, row?.id as string)),
    ).toHaveLength(1);
    expect((await rowsOf(campaign.id))[0]).toMatchObject({ status: "delivered" });

    // A bounce reported later wins over delivered; an old "delivered" arriving after it does not undo it.
    const bounce = body.replace("email.delivered", "email.bounced");
    await answerResendWebhook(db.app, secret, request(bounce, "msg_2", signWebhook(secret, "msg_2", now, bounce)));
    await answerResendWebhook(db.app, secret, request(body, "msg_3", signWebhook(secret, "msg_3", now, body)));
    expect((await rowsOf(campaign.id))[0]?.status).toBe("bounced");
  });

  it("keeps no address, name or subject of an event: a guest who deletes the account leaves none behind", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{ name: "Анна Личная" }]);
    const campaign = await campaignFor([guest as string]);
    await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend });
    const [row] = await rowsOf(campaign.id);
    const [{ email } = { email: null }] = await db.admin
      .select({ email: guests.email })
      .from(guests)
      .where(eq(guests.id, guest as string));
    // Resend's event as it comes: the recipient, the subject (with the guest's name), a bounce quoting the address.
    const body = JSON.stringify({
      type: "email.bounced",
      created_at: "2026-03-10T09:00:05.000Z",
      data: {
        email_id: row?.providerMessageId,
        created_at: "2026-03-10T09:00:00.000Z",
        from: "Зерно <no-reply@zerno.test>",
        to: [email],
        subject: "Анна Личная, мы соскучились!",
        bounce: { type: "Permanent", subType: "General", message: `550 5.1.1 <${email}>: user unknown` },
        tags: { tenant_id: cafe.tenantId, send_id: row?.id },
      },
    });
    const now = Math.floor(Date.now() / 1000);
    const answer = await answerResendWebhook(
      db.app,
      secret,
      request(body, "msg_pii", signWebhook(secret, "msg_pii", now, body)),
    );
    expect(await answer.json()).toMatchObject({ outcome: "applied" });
    const storedPayload = async () =>
      (
        await db.admin
          .select({ payload: messageEvents.payload })
          .from(messageEvents)
          .where(eq(messageEvents.sendId, row?.id as string))
      )[0]?.payload;
    // Never stored, so nothing waits for the account's deletion to be erased.
    const stored = await storedPayload();
    expect(JSON.stringify(stored)).not.toMatch(/@example\.test|Анна/);
    await withTenant(cafe.tenantId, (tx) => deleteGuestAccount(tx, guest as string, { kind: "guest" }), db.app);
    expect(await storedPayload()).toEqual(stored);
    expect(stored).toEqual({
      type: "email.bounced",
      created_at: "2026-03-10T09:00:05.000Z",
      data: {
        email_id: row?.providerMessageId,
        created_at: "2026-03-10T09:00:00.000Z",
        tags: { tenant_id: cafe.tenantId, send_id: row?.id },
        bounce: { type: "Permanent", subType: "General" },
      },
    });
    expect((await rowsOf(campaign.id))[0]?.status).toBe("bounced");
  });

  it("withdraws the marketing consent of a guest who marks the mail as spam", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{}]);
    const campaign = await campaignFor([guest as string]);
    await sendQueued(db.app, cafe.tenantId, campaign.id, { now: at(noon), config: resend });
    const [row] = await rowsOf(campaign.id);
    const body = JSON.stringify({
      type: "email.complained",
      created_at: "2026-03-10T09:30:00.000Z",
      data: { email_id: row?.providerMessageId, tags: { tenant_id: cafe.tenantId, send_id: row?.id } },
    });
    const now = Math.floor(Date.now() / 1000);
    const answer = await answerResendWebhook(
      db.app,
      secret,
      request(body, "msg_9", signWebhook(secret, "msg_9", now, body)),
    );
    expect(answer.status).toBe(200);
    const [after] = await db.admin
      .select({ optedIn: guests.marketingOptIn })
      .from(guests)
      .where(eq(guests.id, guest as string));
    expect(after?.optedIn).toBe(false);
    expect((await rowsOf(campaign.id))[0]).toMatchObject({ status: "complained" });
    expect((await rowsOf(campaign.id))[0]?.unsubscribedAt).not.toBeNull();
  });
});
