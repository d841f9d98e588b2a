import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { campaignSends, campaignSettings } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { holdoutSql, inGlobalControl, inHoldout, selectAudience } from "./audience";
import { renderCampaignMessage } from "./render";
import { addCampaign, addGuests, createCampaignCafe, setStats } from "./testing";

// Who a campaign reaches: the hold-out by hash, consent, addresses, the frequency cap, and the
// occasion that makes a guest's message once per sleep or birthday.

const db = await testDatabase();
let cafe: Awaited<ReturnType<typeof createCampaignCafe>>;
const now = new Date("2026-03-10T09:00:00Z"); // 12:00 in Moscow

const select = (campaignId: string, at: Date = now) =>
  withTenant(cafe.tenantId, (tx) => selectAudience(tx, cafe.tenantId, campaignId, at), db.app);
const rowsOf = (campaignId: string) =>
  db.admin.select().from(campaignSends).where(eq(campaignSends.campaignId, campaignId));

beforeAll(async () => {
  cafe = await createCampaignCafe(db.app, db.admin, "campaigns-audience");
});

describe("the hold-out", () => {
  it("keeps back about the chosen share of 2 000 guests, the same guests on every run, as the SQL twin does", async () => {
    const ids = await addGuests(
      db.admin,
      cafe,
      Array.from({ length: 2000 }, () => ({ segment: "sleeping" })),
    );
    const campaign = await addCampaign(db.admin, cafe.tenantId, { holdoutPercent: 10 });
    const first = await select(campaign.id);
    expect(first.eligible).toBe(2000);
    expect(first.heldOut + first.target).toBe(2000);
    // 10 % of 2 000 = 200, binomial sd ≈ 13.4: within ±4 sd.
    expect(first.heldOut).toBeGreaterThan(146);
    expect(first.heldOut).toBeLessThan(254);

    const rows = await rowsOf(campaign.id);
    const held = new Set(rows.filter((row) => row.group === "holdout").map((row) => row.guestId));
    expect(rows.filter((row) => row.group === "holdout").every((row) => row.status === "held_out")).toBe(true);
    // The TypeScript function names exactly the guests the INSERT … SELECT held out.
    expect(ids.filter((id) => inHoldout(cafe.tenantId, campaign.id, id, 10))).toEqual(ids.filter((id) => held.has(id)));

    // A second run adds nobody and flips nobody.
    expect((await select(campaign.id)).eligible).toBe(0);
    const again = await rowsOf(campaign.id);
    expect(new Set(again.filter((row) => row.group === "holdout").map((row) => row.guestId))).toEqual(held);
  });

  it("agrees with SQL for random keys and every percent at the boundary", async () => {
    const tenantId = randomUUID();
    const campaignId = randomUUID();
    const guestIds = Array.from({ length: 300 }, () => randomUUID());
    for (const percent of [0, 5, 10, 33, 50, 100]) {
      const rows = await db.admin.execute<{ id: string; held: boolean }>(sql`
        select id::text, ${holdoutSql(tenantId, campaignId, sql`id`, percent)} as held
          from unnest(${`{${guestIds.join(",")}}`}::uuid[]) as id`);
      for (const row of rows) expect(row.held).toBe(inHoldout(tenantId, campaignId, row.id, percent));
    }
  });

  it("draws the optional global control group before the hold-out, re-drawn each month", async () => {
    await db.admin.insert(campaignSettings).values({ tenantId: cafe.tenantId, globalControlEnabled: true });
    try {
      const ids = await addGuests(
        db.admin,
        cafe,
        Array.from({ length: 400 }, () => ({ segment: "sleeping", lastVisitAt: new Date("2026-02-01T10:00:00Z") })),
      );
      const campaign = await addCampaign(db.admin, cafe.tenantId, { holdoutPercent: 10 });
      await select(campaign.id);
      const rows = await rowsOf(campaign.id);
      for (const row of rows) {
        expect(row.group === "global_control").toBe(inGlobalControl(cafe.tenantId, "2026-03", row.guestId, 5));
      }
      const march = ids.filter((id) => inGlobalControl(cafe.tenantId, "2026-03", id, 5));
      expect(march.length).toBeGreaterThan(0);
      expect(ids.filter((id) => inGlobalControl(cafe.tenantId, "2026-04", id, 5))).not.toEqual(march);
    } finally {
      await db.admin.delete(campaignSettings).where(eq(campaignSettings.tenantId, cafe.tenantId));
    }
  });
});

describe("who is reached", () => {
  it("counts guests without consent or an address as skipped, never queued", async () => {
    const [consenting, refused, noEmail] = await addGuests(db.admin, cafe, [
      { segment: "sleeping", lastVisitAt: new Date("2026-01-15T10:00:00Z") },
      { segment: "sleeping", optIn: false },
      { segment: "sleeping", email: null },
    ]);
    const campaign = await addCampaign(db.admin, cafe.tenantId, { holdoutPercent: 5 });
    const counts = await select(campaign.id);
    const rows = await rowsOf(campaign.id);
    const of = (id: string | undefined) => rows.find((row) => row.guestId === id);
    expect(of(refused)).toMatchObject({ status: "skipped", skipReason: "no_consent" });
    expect(of(noEmail)).toMatchObject({ status: "skipped", skipReason: "no_email" });
    expect(["queued", "held_out"]).toContain(of(consenting)?.status);
    expect(of(consenting)?.occasion).toBe("2026-01-15");
    expect(counts.skippedBy.no_consent).toBeGreaterThanOrEqual(1);
    expect(counts.skippedBy.no_email).toBeGreaterThanOrEqual(1);
    expect(counts.skipped).toBe(rows.filter((row) => row.status === "skipped").length);
  });

  it("wins a guest back again after they came back and fell asleep again (a new occasion)", async () => {
    const [guest] = await addGuests(db.admin, cafe, [
      { segment: "sleeping", lastVisitAt: new Date("2026-01-20T10:00:00Z") },
    ]);
    const campaign = await addCampaign(db.admin, cafe.tenantId, { holdoutPercent: 5 });
    await select(campaign.id);
    await setStats(db.admin, guest as string, { segment: "regular", lastVisitAt: new Date("2026-03-01T10:00:00Z") });
    await select(campaign.id);
    await setStats(db.admin, guest as string, { segment: "sleeping" });
    await select(campaign.id);
    const mine = (await rowsOf(campaign.id)).filter((row) => row.guestId === guest);
    expect(mine.map((row) => row.occasion).sort()).toEqual(["2026-01-20", "2026-03-01"]);
  });

  it("holds a guest at the café's frequency cap across campaigns", async () => {
    const [guest] = await addGuests(db.admin, cafe, [{ segment: "sleeping", visits: 5 }]);
    const heldBack = (campaignId: string) => inHoldout(cafe.tenantId, campaignId, guest as string, 5);
    // Three campaigns that would each send to the guest (not held out): the cap is 2 a week.
    const sending: string[] = [];
    while (sending.length < 3) {
      const campaign = await addCampaign(db.admin, cafe.tenantId, {
        kind: "one_off",
        holdoutPercent: 5,
        audience: { segment: "sleeping" },
      });
      if (!heldBack(campaign.id)) sending.push(campaign.id);
    }
    for (const id of sending) await select(id);
    const statuses = await db.admin
      .select({ status: campaignSends.status, reason: campaignSends.skipReason })
      .from(campaignSends)
      .where(and(eq(campaignSends.guestId, guest as string)));
    expect(statuses.filter((row) => row.status === "queued")).toHaveLength(2);
    expect(statuses.filter((row) => row.reason === "frequency_cap")).toHaveLength(1);
  });

  it("sends a birthday message N days before, once per birthday year", async () => {
    const [soon, later] = await addGuests(db.admin, cafe, [{ birthday: "1990-03-15" }, { birthday: "1990-03-25" }]);
    const campaign = await addCampaign(db.admin, cafe.tenantId, { kind: "birthday", daysBefore: 7, holdoutPercent: 5 });
    await select(campaign.id);
    await select(campaign.id, new Date("2026-03-11T09:00:00Z"));
    const rows = await rowsOf(campaign.id);
    expect(rows.filter((row) => row.guestId === soon).map((row) => row.occasion)).toEqual(["2026"]);
    expect(rows.some((row) => row.guestId === later)).toBe(false);
  });

  it("invites guests to the survey from their third visit, once", async () => {
    const [third, second] = await addGuests(db.admin, cafe, [{ visits: 3 }, { visits: 2 }]);
    const campaign = await addCampaign(db.admin, cafe.tenantId, { kind: "survey_invite", holdoutPercent: 5 });
    await select(campaign.id);
    await select(campaign.id);
    const rows = await rowsOf(campaign.id);
    expect(rows.filter((row) => row.guestId === third).map((row) => row.occasion)).toEqual(["survey"]);
    expect(rows.some((row) => row.guestId === second)).toBe(false);
  });

  it("sends a one-off to the guests table's filter", async () => {
    const [many, few] = await addGuests(db.admin, cafe, [
      { visits: 12, segment: "loyal" },
      { visits: 1, segment: "new" },
    ]);
    const campaign = await addCampaign(db.admin, cafe.tenantId, {
      kind: "one_off",
      holdoutPercent: 0,
      audience: { directoryFilter: { visitsMin: "10" } },
    });
    await select(campaign.id);
    const rows = await rowsOf(campaign.id);
    expect(rows.some((row) => row.guestId === many)).toBe(true);
    expect(rows.some((row) => row.guestId === few)).toBe(false);
    expect(rows.every((row) => row.occasion === "")).toBe(true);
  });
});

describe("the message", () => {
  it("fills in the guest's favourite product and escapes what guests typed", () => {
    const message = renderCampaignMessage(
      { subject: "Мы соскучились!", body: "Ваш {favourite} ждёт вас, {name}. У вас {points} баллов в «{cafe}»." },
      {
        guestName: "<b>Аня</b>",
        favouriteProduct: "капучино",
        points: 1500,
        cafeName: "Зерно",
        locale: "ru",
        unsubscribeUrl: "https://zerno.test/u",
      },
    );
    expect(message.subject).toBe("Мы соскучились!");
    expect(message.text).toContain("Ваш капучино ждёт вас, <b>Аня</b>.");
    expect(message.html).toContain("&lt;b&gt;Аня&lt;/b&gt;");
    expect(message.html).not.toContain("<b>Аня");
    expect(message.html).toContain("https://zerno.test/u");
    const english = renderCampaignMessage(
      { subject: "We miss you, {name}", body: "Your {favourite} is waiting." },
      { guestName: "", points: 0, cafeName: "Bean", locale: "en" },
    );
    expect(english.subject).toBe("We miss you, friend");
    expect(english.text).toContain("Your favourite drink is waiting.");
  });
});
