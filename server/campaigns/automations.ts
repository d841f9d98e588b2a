import { and, asc, eq, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { type Database, type Tx, withTenant } from "@/db/client";
import { campaignSends, campaigns, tenants } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { logger } from "../log";
import { type Guest, lockGuest, postPoints } from "../loyalty/ledger";
import { type AudienceCounts, selectAudience } from "./audience";

/** The kinds that draw guests by themselves while running. */
const AUTOMATIONS = ["win_back", "birthday", "survey_invite"] as const;

/** A campaign with messages waiting to be sent (the automations job enqueues its send job). */
export type CampaignToSend = { tenantId: string; campaignId: string };

export type AutomationsResult = {
  /** New queued messages per café slug. */
  queued: Record<string, number>;
  toSend: CampaignToSend[];
  /** Campaign bonuses taken back at their expiry. */
  bonusesExpired: number;
};

/**
 * Ledger entries by which a guest spends points (or loses all of them): redemption holds less
 * their releases and refunded redemptions, the inactivity expiry (server/loyalty/expiry.ts, the
 * whole balance), and points staff took away. Not spending: points of another origin taken back
 * (refund and offer reversals, an undone import) and other campaign bonuses' own take-backs.
 */
const SPENDS = sql`(e.kind in ('redemption_hold', 'redemption_release', 'refund_return')
  or (e.kind = 'expiry' and coalesce(e.note, '') not like 'campaign-expiry:%')
  or (e.kind = 'manual_adjustment' and e.delta < 0))`;

/**
 * What is left of a campaign bonus (its ledger entry): the bonus less what the locked guest spent
 * since it was posted, never more than the balance. The ledger keeps no lots — the loyalty's own
 * expiry takes the whole balance after inactivity — so whatever was spent after the bonus counts
 * as spent from it (in the guest's favour); an inactivity expiry since leaves nothing of it to
 * take back a second time, so the two expiries agree. Points earned or bought since stay.
 */
async function unspentBonus(tx: Tx, guest: Guest, bonusEntryId: number): Promise<number> {
  const [row] = await tx.execute<{ bonus: number; spent: number }>(sql`
    select b.delta::int as bonus, greatest(0, -coalesce(sum(e.delta) filter (where ${SPENDS}), 0))::int as spent
      from ledger_entries b
      left join ledger_entries e on e.guest_id = b.guest_id and e.id > b.id
     where b.id = ${bonusEntryId} and b.guest_id = ${guest.id} and b.kind = 'campaign_bonus'
     group by b.delta`);
  if (!row) return 0;
  return Math.max(0, Math.min(row.bonus - row.spent, guest.balance));
}

/**
 * Takes back the unspent part of campaign bonuses whose time ran out: for each send row past its
 * bonus_expires_at, what is left of its bonus (`unspentBonus`), once (the row is locked and its
 * bonus_expiry_entry_id recorded). The ledger has no per-entry expiry; this is it for campaign
 * bonuses. Returns how many bonuses were handled.
 */
export async function expireCampaignBonuses(tx: Tx, tenantId: string, now: Date): Promise<number> {
  const due = await tx
    .select({ id: campaignSends.id })
    .from(campaignSends)
    .where(and(lte(campaignSends.bonusExpiresAt, now), isNull(campaignSends.bonusExpiryEntryId)))
    .orderBy(asc(campaignSends.bonusExpiresAt))
    .limit(500);
  let handled = 0;
  for (const { id } of due) {
    const [row] = await tx
      .select({
        guestId: campaignSends.guestId,
        campaignId: campaignSends.campaignId,
        bonusEntryId: campaignSends.bonusLedgerEntryId,
      })
      .from(campaignSends)
      .where(
        and(
          eq(campaignSends.id, id),
          isNotNull(campaignSends.bonusExpiresAt),
          isNull(campaignSends.bonusExpiryEntryId),
        ),
      )
      .for("update", { of: campaignSends, skipLocked: true });
    if (!row) continue;
    const guest = await lockGuest(tx, row.guestId);
    const takeBack = guest && row.bonusEntryId !== null ? await unspentBonus(tx, guest, row.bonusEntryId) : 0;
    if (guest && takeBack > 0) {
      const note = `campaign-expiry:${id}`;
      await postPoints(tx, guest, [{ kind: "expiry", delta: -takeBack, note }]);
      const [entry] = await tx.execute<{ id: string }>(
        sql`select id::text from ledger_entries where guest_id = ${guest.id} and note = ${note}`,
      );
      await tx
        .update(campaignSends)
        .set({ bonusExpiryEntryId: Number(entry?.id) })
        .where(eq(campaignSends.id, id));
      await recordAudit(tx, {
        tenantId,
        actorKind: "system",
        action: "campaign.bonus_expired",
        targetType: "guest",
        targetId: guest.id,
        meta: { campaignId: row.campaignId, sendId: id, points: takeBack },
      });
    } else {
      // Nothing left to take back (spent, or the guest is gone): the expiry is done all the same.
      await tx.update(campaignSends).set({ bonusExpiresAt: null }).where(eq(campaignSends.id, id));
    }
    handled += 1;
  }
  return handled;
}

/** Whether the campaign has queued messages. */
async function hasQueued(tx: Tx, campaignId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: campaignSends.id })
    .from(campaignSends)
    .where(and(eq(campaignSends.campaignId, campaignId), inArray(campaignSends.status, ["queued", "sending"])))
    .limit(1);
  return row !== undefined;
}

/**
 * One café's tick (bound transaction): launches its one-offs whose time has come, draws the
 * guests its running automations reach now (win-back, birthday, survey invitation), expires due
 * campaign bonuses, and lists the campaigns with messages to send.
 */
export async function runCafeAutomations(
  tx: Tx,
  tenantId: string,
  now: Date,
): Promise<{ queued: number; toSend: CampaignToSend[]; bonusesExpired: number }> {
  const dueOneOffs = await tx
    .update(campaigns)
    .set({ status: "running", launchedAt: sql`coalesce(${campaigns.launchedAt}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(campaigns.kind, "one_off"), eq(campaigns.status, "scheduled"), lte(campaigns.scheduledAt, now)))
    .returning({ id: campaigns.id });
  const automations = await tx
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(eq(campaigns.status, "running"), inArray(campaigns.kind, [...AUTOMATIONS])))
    .orderBy(asc(campaigns.createdAt));
  let queued = 0;
  for (const { id } of [...dueOneOffs, ...automations]) queued += (await selectAudience(tx, tenantId, id, now)).target;
  const bonusesExpired = await expireCampaignBonuses(tx, tenantId, now);
  const running = await tx
    .select({ id: campaigns.id })
    .from(campaigns)
    // An archived (finished) campaign sends nothing more; a paused one waits for its resume.
    .where(eq(campaigns.status, "running"));
  const toSend: CampaignToSend[] = [];
  for (const { id } of running) if (await hasQueued(tx, id)) toSend.push({ tenantId, campaignId: id });
  return { queued, toSend, bonusesExpired };
}

/**
 * The automations tick for every café, each in its own transaction bound to it (one café's
 * failure is logged and does not keep the others back).
 */
export async function runCampaignAutomations(db: Database, now: Date = new Date()): Promise<AutomationsResult> {
  const cafes = await db.select({ id: tenants.id, slug: tenants.slug }).from(tenants).orderBy(asc(tenants.slug));
  const result: AutomationsResult = { queued: {}, toSend: [], bonusesExpired: 0 };
  for (const cafe of cafes) {
    try {
      const tick = await withTenant(cafe.id, (tx) => runCafeAutomations(tx, cafe.id, now), db);
      if (tick.queued > 0) result.queued[cafe.slug] = tick.queued;
      result.toSend.push(...tick.toSend);
      result.bonusesExpired += tick.bonusesExpired;
    } catch (error) {
      logger().error({ err: error, tenantId: cafe.id }, "campaign automations failed");
    }
  }
  return result;
}

/**
 * Launches a one-off campaign now (a draft, or a scheduled one ahead of its time): running,
 * and its audience drawn. A second call draws nobody new. Returns what was drawn.
 */
export async function launchOneOff(
  db: Database,
  tenantId: string,
  campaignId: string,
  now: Date = new Date(),
): Promise<AudienceCounts> {
  return withTenant(
    tenantId,
    async (tx) => {
      const [campaign] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId)).for("update");
      if (campaign?.kind !== "one_off") throw new Error(`No one-off campaign ${campaignId}`);
      if (campaign.status === "draft" || campaign.status === "scheduled") {
        await tx
          .update(campaigns)
          .set({ status: "running", launchedAt: campaign.launchedAt ?? now, updatedAt: sql`now()` })
          .where(eq(campaigns.id, campaignId));
      }
      return selectAudience(tx, tenantId, campaignId, now);
    },
    db,
  );
}
