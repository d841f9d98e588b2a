import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { auditLog, campaignSends, campaignSettings, campaigns, guestStats, guests, subscriptions } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { applyEnv } from "../env";
import { AppError } from "../errors";
import { guestTimeline } from "../guests/card";
import { flushPosRequests } from "../pos/request-log";
import { createPosTenant, posClient } from "../pos/testing";
import { startQueue, stopQueue } from "../queue";
import {
  type CampaignInput,
  createCampaign,
  getCampaignSettings,
  launchCampaign,
  listCampaigns,
  previewCampaign,
  setCampaignStatus,
  unknownPlaceholders,
  updateCampaign,
  updateCampaignSettings,
} from "./manage";

const db = await testDatabase();
let cafe: Awaited<ReturnType<typeof createPosTenant>>;
let other: Awaited<ReturnType<typeof createPosTenant>>;
let counter = 0;

const actor = () => ({ tenantId: cafe.tenantId, userId: null, ip: null });
const inCafe = <T>(work: Parameters<typeof withTenant<T>>[1]) => withTenant(cafe.tenantId, work, db.app);

/** A guest enrolled at the till of `where`, with the roll-up's segment and favourite as the nightly fit leaves them. */
async function guest(
  where: typeof cafe,
  options: { segment?: string; favourite?: string; email?: string; marketing?: boolean; name?: string } = {},
) {
  counter += 1;
  const phone = `+7926${String(1_000_000 + counter).slice(-7)}`;
  const reply = await posClient(db.app, where.key)<{ guest: { id: string; cardCode: string } }>("POST", "/guests", {
    phone,
    consent: true,
  });
  const { id, cardCode } = reply.body.guest;
  await db.admin
    .update(guests)
    .set({
      name: options.name ?? `Гость ${counter}`,
      email: options.email ?? null,
      marketingOptIn: options.marketing ?? false,
    })
    .where(eq(guests.id, id));
  if (options.segment) {
    await db.admin.insert(guestStats).values({
      tenantId: where.tenantId,
      guestId: id,
      segment: options.segment,
      visits: 5,
      firstVisitAt: new Date(Date.now() - 200 * 86_400_000),
      lastVisitAt: new Date(Date.now() - 60 * 86_400_000),
      medianGapDays: 7,
      favouriteSku: options.favourite ? "cappuccino" : null,
      favouriteName: options.favourite ?? null,
    });
  }
  return { id, cardCode, phone };
}

const winBack: CampaignInput = {
  name: "Вернуть спящих",
  kind: "win_back",
  subject: "{name}, мы соскучились!",
  body: "Ваш {favourite} ждёт вас в «{cafe}».",
  bonusPoints: 100,
  bonusExpiresDays: 14,
  daysBefore: null,
  holdoutPercent: 10,
  windowDays: 14,
  audience: null,
  scheduledAt: null,
};

/** The fields an AppError names (its details' paths). */
async function refusedFields(work: Promise<unknown>): Promise<string[]> {
  const error = await work.then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(AppError);
  return ((error as AppError).details as { path: string }[] | undefined)?.map((problem) => problem.path) ?? [];
}

async function reasonOf(work: Promise<unknown>): Promise<string | undefined> {
  const error = await work.then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).reason ?? (error as AppError).code;
}

const auditActions = async (campaignId: string) =>
  (
    await db.admin
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, cafe.tenantId), eq(auditLog.targetId, campaignId)))
      .orderBy(auditLog.createdAt)
  ).map((row) => row.action);

beforeAll(async () => {
  await startQueue({ url: db.appUrl, db: db.app, background: false });
  cafe = await createPosTenant(db.app, "campaigns-manage");
  other = await createPosTenant(db.app, "campaigns-manage-other");
});

afterAll(async () => {
  await stopQueue();
  await flushPosRequests();
});

describe("making a campaign", () => {
  it("refuses what cannot be sent, naming each field", async () => {
    expect(
      await refusedFields(
        inCafe((tx) => createCampaign(tx, actor(), { ...winBack, holdoutPercent: 3, body: "{favorite}" })),
      ),
    ).toEqual(["body", "holdoutPercent"]);
    // An automation keeps at least 5 % back; a one-off may send to everyone.
    expect(
      await refusedFields(
        inCafe((tx) =>
          createCampaign(tx, actor(), { ...winBack, kind: "survey_invite", bonusPoints: 50, holdoutPercent: 0 }),
        ),
      ),
    ).toEqual(["holdoutPercent", "bonusPoints", "bonusExpiresDays"]);
    expect(
      await refusedFields(
        inCafe((tx) => createCampaign(tx, actor(), { ...winBack, kind: "birthday", daysBefore: null })),
      ),
    ).toEqual(["daysBefore"]);
    const oneOff = { ...winBack, kind: "one_off" as const, bonusPoints: 0, bonusExpiresDays: null, holdoutPercent: 0 };
    expect(await refusedFields(inCafe((tx) => createCampaign(tx, actor(), oneOff)))).toEqual(["audience"]);
    expect(
      await refusedFields(
        inCafe((tx) =>
          createCampaign(tx, actor(), {
            ...oneOff,
            audience: { segment: "sleeping" },
            scheduledAt: new Date(Date.now() - 3_600_000),
          }),
        ),
      ),
    ).toEqual(["scheduledAt"]);
    expect(
      await refusedFields(
        inCafe((tx) => createCampaign(tx, actor(), { ...winBack, bonusPoints: 0, bonusExpiresDays: 7 })),
      ),
    ).toEqual(["bonusExpiresDays"]);
    expect(unknownPlaceholders("{name} и {cafe}, но {имя}")).toEqual(["имя"]);
  });

  it("a one-off to the guests table's filter must name the café's own location and tier", async () => {
    const [otherLocation] = [other.locationId];
    const refused = await inCafe((tx) =>
      createCampaign(tx, actor(), {
        ...winBack,
        kind: "one_off",
        bonusPoints: 0,
        bonusExpiresDays: null,
        audience: { directoryFilter: { location: otherLocation ?? "" } },
      }),
    ).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "not_found", reason: "location_not_found" });
    const made = await inCafe((tx) =>
      createCampaign(tx, actor(), {
        ...winBack,
        kind: "one_off",
        bonusPoints: 0,
        bonusExpiresDays: null,
        holdoutPercent: 0,
        audience: { directoryFilter: { location: cafe.locationId, segment: "sleeping" } },
      }),
    );
    expect(made).toMatchObject({ status: "draft", kind: "one_off", holdoutPercent: 0 });
  });

  it("a draft is saved with the hold-out the owner chose, audited; another café sees none of it", async () => {
    const made = await inCafe((tx) => createCampaign(tx, actor(), { ...winBack, holdoutPercent: 20 }));
    expect(made).toMatchObject({ status: "draft", holdoutPercent: 20, bonusPoints: 100, bonusExpiresDays: 14 });
    expect(await auditActions(made.id)).toEqual(["campaign.created"]);
    const seenByOther = await withTenant(other.tenantId, (tx) => listCampaigns(tx), db.app);
    expect(seenByOther.find((row) => row.id === made.id)).toBeUndefined();
    const refused = await withTenant(
      other.tenantId,
      (tx) => setCampaignStatus(tx, { tenantId: other.tenantId, userId: null }, made.id, "archive"),
      db.app,
    ).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "not_found", reason: "campaign_not_found" });
  });
});

describe("launching, pausing, archiving", () => {
  it("a win-back draws the sleeping guests at launch — consent decides who is sent — and queues the send once", async () => {
    const consenting = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        guest(cafe, {
          segment: "sleeping",
          favourite: "Капучино",
          email: `sleepy${index}@example.com`,
          marketing: true,
        }),
      ),
    );
    const noConsent = await guest(cafe, { segment: "sleeping", email: "quiet@example.com", marketing: false });
    await guest(cafe, { segment: "loyal", email: "loyal@example.com", marketing: true });
    // Half held back, so both groups almost surely have guests among six.
    const made = await inCafe((tx) => createCampaign(tx, actor(), { ...winBack, holdoutPercent: 50 }));
    const launched = await inCafe((tx) => launchCampaign(tx, actor(), made.id));
    expect(launched.campaign).toMatchObject({ status: "running" });
    expect(launched.campaign.launchedAt).toBeInstanceOf(Date);
    const rows = await db.admin.select().from(campaignSends).where(eq(campaignSends.campaignId, made.id));
    const byGuest = new Map(rows.map((row) => [row.guestId, row]));
    // Every sleeping guest has a row (sent, held back or skipped); the loyal guest none.
    expect(rows).toHaveLength(consenting.length + 1);
    expect(byGuest.get(noConsent.id)).toMatchObject({ status: "skipped", skipReason: "no_consent" });
    for (const sleeper of consenting) {
      expect(["queued", "held_out"]).toContain(byGuest.get(sleeper.id)?.status);
    }
    expect(launched.selected).toMatchObject({ eligible: rows.length });
    // The guest card's history says what became of each guest's message.
    const heldBack = rows.find((row) => row.status === "held_out");
    for (const [guestId, shown] of [
      [noConsent.id, { status: "skipped", skipReason: "no_consent" }],
      ...(heldBack ? [[heldBack.guestId, { status: "held_out", group: "holdout" }] as const] : []),
    ] as const) {
      const timeline = await inCafe((tx) => guestTimeline(tx, { guestId, staffLocationIds: [] }));
      expect(timeline.items).toContainEqual(
        expect.objectContaining({ kind: "campaign", campaignName: winBack.name, ...shown }),
      );
    }
    expect(await auditActions(made.id)).toEqual(["campaign.created", "campaign.launched"]);
    const jobs = await db.admin.execute<{ n: number }>(
      sql`select count(*)::int as n from pgboss.job where name = 'campaigns.send' and singleton_key = ${made.id}`,
    );
    expect(jobs[0]?.n).toBe(1);
    // Launched once: a second launch is refused, and nothing is drawn twice.
    expect(await reasonOf(inCafe((tx) => launchCampaign(tx, actor(), made.id)))).toBe("campaign_not_draft");
    expect(await db.admin.select().from(campaignSends).where(eq(campaignSends.campaignId, made.id))).toHaveLength(
      rows.length,
    );
  });

  it("once launched, the hold-out and kind stay (the groups drawn keep their meaning); the texts may change", async () => {
    const made = await inCafe((tx) => createCampaign(tx, actor(), winBack));
    await inCafe((tx) => launchCampaign(tx, actor(), made.id));
    expect(await refusedFields(inCafe((tx) => updateCampaign(tx, actor(), made.id, { holdoutPercent: 30 })))).toEqual([
      "holdoutPercent",
    ]);
    const changed = await inCafe((tx) => updateCampaign(tx, actor(), made.id, { subject: "{name}, ваш {favourite}!" }));
    expect(changed).toMatchObject({ subject: "{name}, ваш {favourite}!", holdoutPercent: 10, status: "running" });
  });

  it("pause, resume and archive move as they should; archived is final", async () => {
    // A sleeping guest who may be written to, so the launch queues a message the archive leaves unsent.
    await guest(cafe, { segment: "sleeping", email: `archived-${counter}@example.com`, marketing: true });
    const made = await inCafe((tx) => createCampaign(tx, actor(), { ...winBack, name: "Пауза", holdoutPercent: 5 }));
    expect(await reasonOf(inCafe((tx) => setCampaignStatus(tx, actor(), made.id, "pause")))).toBe(
      "campaign_not_launched",
    );
    await inCafe((tx) => launchCampaign(tx, actor(), made.id));
    expect(await inCafe((tx) => setCampaignStatus(tx, actor(), made.id, "pause"))).toMatchObject({ status: "paused" });
    expect(await inCafe((tx) => setCampaignStatus(tx, actor(), made.id, "resume"))).toMatchObject({
      status: "running",
    });
    const queued = (await db.admin.select().from(campaignSends).where(eq(campaignSends.campaignId, made.id))).filter(
      (row) => row.status === "queued",
    );
    expect(queued.length).toBeGreaterThan(0);
    const archived = await inCafe((tx) => setCampaignStatus(tx, actor(), made.id, "archive"));
    expect(archived).toMatchObject({ status: "finished" });
    expect(archived.finishedAt).toBeInstanceOf(Date);
    // What still waited is marked unsent for good, not pending forever.
    const after = await db.admin.select().from(campaignSends).where(eq(campaignSends.campaignId, made.id));
    expect(after.filter((row) => row.status === "queued")).toEqual([]);
    expect(
      after.filter((row) => queued.some((was) => was.id === row.id)).map((row) => [row.status, row.skipReason]),
    ).toEqual(queued.map(() => ["skipped", "archived"]));
    expect(await reasonOf(inCafe((tx) => setCampaignStatus(tx, actor(), made.id, "resume")))).toBe("campaign_finished");
    expect(await reasonOf(inCafe((tx) => updateCampaign(tx, actor(), made.id, { name: "Снова" })))).toBe(
      "campaign_finished",
    );
    expect((await inCafe((tx) => listCampaigns(tx))).map((row) => row.id)).not.toContain(made.id);
    expect((await inCafe((tx) => listCampaigns(tx, { finished: true }))).map((row) => row.id)).toContain(made.id);
    expect(await auditActions(made.id)).toEqual([
      "campaign.created",
      "campaign.launched",
      "campaign.status_changed",
      "campaign.status_changed",
      "campaign.status_changed",
    ]);
  });

  it("a one-off for later waits as scheduled; a café whose plan has no campaigns cannot launch", async () => {
    const later = new Date(Date.now() + 2 * 86_400_000);
    const made = await inCafe((tx) =>
      createCampaign(tx, actor(), {
        ...winBack,
        kind: "one_off",
        bonusPoints: 0,
        bonusExpiresDays: null,
        audience: { segment: "sleeping" },
        scheduledAt: later,
      }),
    );
    const launched = await inCafe((tx) => launchCampaign(tx, actor(), made.id));
    expect(launched).toMatchObject({ campaign: { status: "scheduled" }, selected: null });
    expect(await db.admin.select().from(campaignSends).where(eq(campaignSends.campaignId, made.id))).toHaveLength(0);

    const survey = await inCafe((tx) =>
      createCampaign(tx, actor(), { ...winBack, kind: "survey_invite", bonusPoints: 0, bonusExpiresDays: null }),
    );
    expect(await reasonOf(inCafe((tx) => launchCampaign(tx, actor(), survey.id)))).toBe("no_active_survey");

    // Billing on (no call reaches Stripe here): the Start plan has no campaigns.
    applyEnv({ STRIPE_SECRET_KEY: "sk_test_campaigns" });
    await db.admin
      .update(subscriptions)
      .set({ plan: "start", status: "active" })
      .where(eq(subscriptions.tenantId, cafe.tenantId));
    try {
      const draft = await inCafe((tx) => createCampaign(tx, actor(), winBack));
      const refused = await inCafe((tx) => launchCampaign(tx, actor(), draft.id)).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: "forbidden", reason: "plan_limit" });
    } finally {
      applyEnv({ STRIPE_SECRET_KEY: undefined });
    }
  });
});

describe("the list, the preview and the settings", () => {
  it("lists the café's campaigns with their counts", async () => {
    const list = await inCafe((tx) => listCampaigns(tx));
    const launched = list.find((row) => row.status === "running" && row.counts.queued + row.counts.heldOut > 0);
    expect(launched?.counts.skipped).toBe(1);
    expect(launched && launched.counts.queued + launched.counts.heldOut).toBe(6);
  });

  it("previews the message for a real sleeping guest with their favourite product, or for a guest chosen", async () => {
    const made = await inCafe((tx) => createCampaign(tx, actor(), winBack));
    const preview = await inCafe((tx) => previewCampaign(tx, cafe.tenantId, made.id));
    expect(preview.guest?.segment).toBe("sleeping");
    expect(preview.guest?.favourite).toBe("Капучино");
    expect(preview.message?.text).toContain("Капучино");
    expect(preview.message?.text).toContain("Café campaigns-manage");
    expect(preview.message?.subject).toContain(preview.guest?.name ?? "?");

    const chosen = await guest(cafe, { segment: "regular", favourite: "Раф", name: "Вера" });
    const forChosen = await inCafe((tx) =>
      previewCampaign(tx, cafe.tenantId, made.id, { identifier: chosen.cardCode }),
    );
    expect(forChosen.guest).toMatchObject({ id: chosen.id, name: "Вера" });
    expect(forChosen.message?.subject).toContain("Вера");
    expect(forChosen.message?.text).toContain("Раф");

    const stranger = await guest(other, { segment: "sleeping", favourite: "Латте" });
    const refused = await inCafe((tx) => previewCampaign(tx, cafe.tenantId, made.id, { guestId: stranger.id })).catch(
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: "not_found", reason: "guest_not_found" });
  });

  it("settings start at the defaults, refuse nonsense by field, keep the ROI assumptions, and are audited", async () => {
    expect(await inCafe((tx) => getCampaignSettings(tx))).toMatchObject({
      frequencyCapCount: 2,
      frequencyCapDays: 7,
      quietStart: "21:00",
      quietEnd: "09:00",
      globalControlEnabled: false,
    });
    const settings = {
      frequencyCapCount: 3,
      frequencyCapDays: 10,
      quietStart: "22:30",
      quietEnd: "08:00",
      globalControlEnabled: true,
    };
    expect(
      await refusedFields(
        inCafe((tx) => updateCampaignSettings(tx, actor(), { ...settings, frequencyCapCount: 0, quietEnd: "25:00" })),
      ),
    ).toEqual(["frequencyCapCount", "quietEnd"]);
    await db.admin.insert(campaignSettings).values({ tenantId: cafe.tenantId, cogsPercent: 35 });
    expect(await inCafe((tx) => updateCampaignSettings(tx, actor(), settings))).toMatchObject(settings);
    const [row] = await db.admin.select().from(campaignSettings).where(eq(campaignSettings.tenantId, cafe.tenantId));
    expect(row).toMatchObject({ cogsPercent: 35, quietStart: "22:30:00", globalControlEnabled: true });
    const [entry] = await db.admin
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, cafe.tenantId), eq(auditLog.action, "campaign.settings_changed")));
    expect(entry?.meta).toMatchObject({ before: { frequencyCapCount: 2 }, after: { frequencyCapCount: 3 } });
  });
});

describe("tenancy", () => {
  it("a campaign row of one café is invisible to the other (RLS)", async () => {
    const rows = await withTenant(other.tenantId, (tx) => tx.select().from(campaigns), db.app);
    expect(rows).toEqual([]);
  });
});
