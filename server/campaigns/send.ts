import { and, eq, inArray, sql } from "drizzle-orm";
import { type Database, type Tx, withTenant } from "@/db/client";
import { campaignSends, campaigns, emailOutbox, guestStats, guests, ledgerEntries, tenants } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { type EmailConfig, emailConfig, sendEmail } from "../email/send";
import { publicUrl } from "../env";
import { isLocale } from "../i18n/locales";
import { lockGuest, postPoints } from "../loyalty/ledger";
import { unsubscribeToken, unsubscribeUrl } from "../offers/notify";
import { type Channel, type DeliveryOutcome, emailChannel } from "./channel";
import { renderCampaignMessage } from "./render";
import { loadCampaignSettings } from "./settings";

/** Rows claimed per transaction. */
const BATCH = 25;
/** A row left 'sending' this long (its sender died) is claimed again, and resent under the same idempotency key. */
export const SENDING_LEASE_SECONDS = 120;
/** A message that failed this many times (rate limits, outages) is given up as failed. */
export const MAX_ATTEMPTS = 6;
/** Seconds before the n-th retry: 30 s, 1 min, 2 min, … at most an hour. */
export const backoffSeconds = (attempts: number) => Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
/** An unsubscribe link keeps working this long (a year of old mail in the inbox), as the offers' one does. */
/** Kinds whose bonus points are given with the message. */
const BONUS_KINDS = new Set(["win_back", "birthday"]);
/**
 * Campaign statuses whose queued messages go out: a paused one waits, an archived (finished) one
 * sends nothing more — its queued rows stay unsent. One-offs stay running after selection.
 */
const SENDING_STATUSES = new Set(["running"]);
/** Resend's default rate limit (requests per second), when RESEND_RATE_PER_SECOND does not say. */
const DEFAULT_RATE_PER_SECOND = 2;
/** A 429 without Retry-After waits this long. */
const RATE_LIMIT_WAIT_SECONDS = 1;

export type SendOptions = {
  /** At most this many messages in this call (the job calls again for the rest). */
  limit?: number;
  /** The clock (tests move it); the real time by default. */
  now?: () => Date;
  channel?: Channel;
  /** The email settings, when the channel is the default email one. */
  config?: EmailConfig;
  /**
   * At most this many deliveries a second. By default the config's (env RESEND_RATE_PER_SECOND,
   * else Resend's 2) when mail goes to Resend; unpaced otherwise (outbox, a channel of its own).
   */
  ratePerSecond?: number;
};

export type SendResult = {
  sent: number;
  failed: number;
  /** Put back to wait for a retry (rate limit or provider failure). */
  retrying: number;
  /** Consent withdrawn, the address or account gone, or the frequency cap reached between selection and sending. */
  skipped: number;
  /** In the café's quiet hours: nothing was sent, the queue waits until then. */
  deferredUntil: Date | null;
  /** The earliest retry still waiting, so the job can come back then. */
  nextAttemptAt: Date | null;
};

type Cafe = { id: string; slug: string; name: string; locale: string; timezone: string };

/** Minutes since local midnight of an instant in a time zone. */
function localMinutes(instant: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return Number(parts.hour) * 60 + Number(parts.minute);
}

const minutesOf = (time: string) => {
  const [hours = "0", minutes = "0"] = time.split(":");
  return Number(hours) * 60 + Number(minutes);
};

/**
 * When the café's quiet hours (local `start`–`end`, possibly across midnight) hold at `now`,
 * the moment they end; otherwise null. Equal start and end mean no quiet hours.
 */
export function quietUntil(now: Date, timeZone: string, start: string, end: string): Date | null {
  const from = minutesOf(start);
  const to = minutesOf(end);
  if (from === to) return null;
  const local = localMinutes(now, timeZone);
  const quiet = from < to ? local >= from && local < to : local >= from || local < to;
  if (!quiet) return null;
  const wait = (to - local + 1440) % 1440;
  const until = new Date(now.getTime() + wait * 60_000);
  until.setUTCSeconds(0, 0);
  return until;
}

/** The signed one-click unsubscribe endpoint of a send (RFC 8058: POSTed to by the mail client). */
export function oneClickUnsubscribeUrl(
  cafe: { id: string; slug: string },
  guestId: string,
  sendId: string,
  issuedAt?: Date,
): string {
  const token = unsubscribeToken(cafe, guestId, issuedAt);
  return `${publicUrl()}/${cafe.slug}/unsubscribe/one-click?token=${encodeURIComponent(token)}&send=${sendId}`;
}

async function boundCafe(tx: Tx, tenantId: string): Promise<Cafe> {
  const [cafe] = await tx
    .select({
      id: tenants.id,
      slug: tenants.slug,
      name: tenants.name,
      locale: tenants.locale,
      timezone: tenants.timezone,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!cafe) throw new Error(`No café ${tenantId}`);
  return cafe;
}

type Claimed = {
  id: string;
  guest_id: string;
  status: "sending" | "skipped" | "failed";
  attempts: number;
  queued_at: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  balance: number;
  favourite: string | null;
};

/**
 * Claims up to `size` due rows of the campaign: queued ones whose retry time has come, and ones
 * left 'sending' past their lease by a sender that died. FOR UPDATE SKIP LOCKED: two senders
 * never take one row. Consent is read again here, right before sending: a guest who withdrew
 * it (or lost the address) since selection is skipped and gets nothing. Only while the campaign
 * is running (read at every claim, so a pause stops a send in progress); a row that has used up
 * MAX_ATTEMPTS (say, its senders kept dying) is failed instead of tried again. A guest who deleted
 * their account since the draw is skipped 'deleted' (results keep them, as the control group
 * keeps its own: server/campaigns/results.ts). The frequency cap is read again too, for a row not
 * tried yet: a guest who got other campaigns' mail since the draw is skipped 'frequency_cap'. (A
 * row tried before may have reached the provider, so its resend under the same key goes on.)
 */
async function claim(
  tx: Tx,
  campaignId: string,
  now: Date,
  size: number,
  cap: { count: number; days: number },
): Promise<Claimed[]> {
  const at = now.toISOString();
  const capSince = new Date(now.getTime() - cap.days * 86_400_000).toISOString();
  const lease = new Date(now.getTime() + SENDING_LEASE_SECONDS * 1000).toISOString();
  const spent = sql`(s.attempts >= ${MAX_ATTEMPTS})`;
  const sendable = sql`(g.marketing_opt_in and g.deleted_at is null and g.blocked_at is null and coalesce(g.email, '') <> '' and not due.capped)`;
  return tx.execute<Claimed>(sql`
    with due as (
      select s.id,
             (s.status = 'queued' and s.attempts = 0
              and (select count(*) from campaign_sends o
                    where o.guest_id = s.guest_id and o.id <> s.id and o."group" = 'target'
                      and (o.sent_at > ${capSince}::timestamptz or (o.sent_at is null and o.status = 'sending'))
                  ) >= ${cap.count}) as capped
        from campaign_sends s
       where s.campaign_id = ${campaignId}
         and exists (select 1 from campaigns c where c.id = s.campaign_id and c.status = 'running')
         and ((s.status = 'queued' and (s.next_attempt_at is null or s.next_attempt_at <= ${at}::timestamptz))
           or (s.status = 'sending' and s.next_attempt_at <= ${at}::timestamptz))
       order by s.queued_at, s.id
       limit ${size}
       for update of s skip locked
    )
    update campaign_sends s
       set status = (case when ${spent} then 'failed' when ${sendable} then 'sending' else 'skipped' end)::campaign_send_status,
           skip_reason = (case when ${spent} or ${sendable} then null
                               when g.deleted_at is not null then 'deleted'
                               when coalesce(g.email, '') = '' then 'no_email'
                               when not g.marketing_opt_in or g.blocked_at is not null then 'unsubscribed'
                               else 'frequency_cap' end)::campaign_skip_reason,
           last_error = (case when ${spent} then coalesce(s.last_error, 'gave up after ' || s.attempts || ' attempts')
                              else s.last_error end),
           attempts = s.attempts + (case when not ${spent} and ${sendable} then 1 else 0 end),
           next_attempt_at = (case when not ${spent} and ${sendable} then ${lease}::timestamptz end)
      from due, guests g
      left join guest_stats gs on gs.tenant_id = g.tenant_id and gs.guest_id = g.id
     where s.id = due.id and g.id = s.guest_id
    returning s.id, s.guest_id, s.status, s.attempts, s.queued_at::text as queued_at, g.email, g.phone, g.name, g.balance, gs.favourite_name as favourite`);
}

/** The earliest retry of the campaign still waiting. */
async function nextRetry(tx: Tx, campaignId: string): Promise<Date | null> {
  const [row] = await tx.execute<{ at: string | null }>(sql`
    select min(next_attempt_at)::text as at from campaign_sends
     where campaign_id = ${campaignId} and status in ('queued', 'sending') and next_attempt_at is not null`);
  return row?.at ? new Date(row.at) : null;
}

/**
 * Records a message the provider accepted and, for a win-back or birthday campaign with bonus
 * points, gives the guest the points once per send row (the row is locked and its
 * bonus_ledger_entry_id checked, so a resend after a crash never gives them twice).
 */
async function markSent(
  tx: Tx,
  campaign: typeof campaigns.$inferSelect,
  sendId: string,
  providerMessageId: string | null,
  now: Date,
): Promise<void> {
  const [row] = await tx
    .select({
      guestId: campaignSends.guestId,
      status: campaignSends.status,
      bonusEntry: campaignSends.bonusLedgerEntryId,
    })
    .from(campaignSends)
    .where(eq(campaignSends.id, sendId))
    .for("update");
  if (!row) return;
  const set: Partial<typeof campaignSends.$inferInsert> = {
    // A webhook (delivered, bounced, complained) may have come first: its status stays.
    ...(row.status === "sending" || row.status === "queued" ? { status: "sent" as const } : {}),
    sentAt: now,
    providerMessageId,
    nextAttemptAt: null,
    lastError: null,
  };
  if (BONUS_KINDS.has(campaign.kind) && campaign.bonusPoints > 0 && row.bonusEntry === null) {
    const guest = await lockGuest(tx, row.guestId);
    if (guest && !guest.deletedAt) {
      const note = `campaign-send:${sendId}`;
      await postPoints(tx, guest, [{ kind: "campaign_bonus", delta: campaign.bonusPoints, note }]);
      const [entry] = await tx
        .select({ id: ledgerEntries.id })
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.guestId, guest.id), eq(ledgerEntries.note, note)));
      set.bonusLedgerEntryId = entry?.id ?? null;
      set.bonusExpiresAt = campaign.bonusExpiresDays
        ? new Date(now.getTime() + campaign.bonusExpiresDays * 86_400_000)
        : null;
      await recordAudit(tx, {
        tenantId: campaign.tenantId,
        actorKind: "system",
        action: "campaign.bonus_granted",
        targetType: "guest",
        targetId: guest.id,
        meta: { campaignId: campaign.id, sendId, points: campaign.bonusPoints, expiresAt: set.bonusExpiresAt },
      });
    }
  }
  await tx.update(campaignSends).set(set).where(eq(campaignSends.id, sendId));
}

/** Waits so that calls come at most `rate` a second (real time: the provider's clock is real). */
function pacer(rate: number): () => Promise<void> {
  const gapMs = Number.isFinite(rate) && rate > 0 ? 1000 / rate : 0;
  let nextAt = 0;
  return async () => {
    if (gapMs === 0) return;
    const wait = nextAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    nextAt = Math.max(Date.now(), nextAt) + gapMs;
  };
}

/**
 * Renders and delivers one claimed row. A resend (after a timeout or a crash) must be the same
 * request under the same idempotency key, or Resend refuses it (409): so the message stored at
 * the first attempt (email_outbox row named by the send id) is sent again as it was, and the
 * one-click link's token is dated from the row's queue time, not from now.
 */
async function deliverRow(
  db: Database,
  channel: Channel,
  input: {
    tenantId: string;
    campaign: typeof campaigns.$inferSelect;
    cafe: Cafe;
    locale: "ru" | "en";
    row: Claimed;
  },
): Promise<DeliveryOutcome> {
  const { tenantId, campaign, cafe, locale, row } = input;
  const to = channel.address(row);
  if (!to) return { ok: false, retryable: false, error: "no address" };
  const issuedAt = new Date(row.queued_at);
  const [stored] = await db
    .select({ subject: emailOutbox.subject, html: emailOutbox.html, text: emailOutbox.text })
    .from(emailOutbox)
    .where(eq(emailOutbox.id, row.id));
  const message =
    stored ??
    renderCampaignMessage(campaign, {
      guestName: row.name ?? "",
      favouriteProduct: row.favourite ?? undefined,
      points: campaign.bonusPoints > 0 ? campaign.bonusPoints : row.balance,
      cafeName: cafe.name,
      locale,
      // The page's link names the send too, so the unsubscribe is counted for this campaign.
      unsubscribeUrl: `${unsubscribeUrl(cafe, row.guest_id, issuedAt)}&send=${row.id}`,
      cabinetUrl: `${publicUrl()}/${cafe.slug}/me`,
    });
  return channel.deliver(db, {
    sendId: row.id,
    tenantId,
    context: cafe.slug,
    to,
    subject: message.subject,
    html: message.html,
    text: message.text,
    oneClickUnsubscribeUrl: oneClickUnsubscribeUrl(cafe, row.guest_id, row.id, issuedAt),
  });
}

/**
 * Sends the campaign's queued messages: claimed in small batches (FOR UPDATE SKIP LOCKED, so
 * any number of senders share the work and none sends a row twice), consent read again at the
 * claim, each message delivered under its send id as the idempotency key, then recorded. A
 * rate limit or provider failure puts the row back with back-off (attempts, next_attempt_at)
 * until MAX_ATTEMPTS; a row left 'sending' by a crash is resent under the same key after its
 * lease, which the provider answers with the first result — no double. In the café's quiet
 * hours nothing is sent and `deferredUntil` says when to come back.
 */
export async function sendQueued(
  db: Database,
  tenantId: string,
  campaignId: string,
  options: SendOptions = {},
): Promise<SendResult> {
  const clock = options.now ?? (() => new Date());
  const config = options.config ?? emailConfig();
  const channel = options.channel ?? emailChannel(config);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const rate =
    options.ratePerSecond ??
    (options.channel || !config.apiKey ? Number.POSITIVE_INFINITY : (config.ratePerSecond ?? DEFAULT_RATE_PER_SECOND));
  const pace = pacer(rate);
  const result: SendResult = { sent: 0, failed: 0, retrying: 0, skipped: 0, deferredUntil: null, nextAttemptAt: null };

  const setup = await withTenant(
    tenantId,
    async (tx) => {
      const [campaign] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId));
      return { campaign, cafe: await boundCafe(tx, tenantId), settings: await loadCampaignSettings(tx) };
    },
    db,
  );
  const { campaign, cafe, settings } = setup;
  if (!campaign || !SENDING_STATUSES.has(campaign.status)) return result;
  const locale = isLocale(cafe.locale) ? cafe.locale : "ru";

  let handled = 0;
  let rateLimited = false;
  while (handled < limit && !rateLimited) {
    const now = clock();
    const quiet = quietUntil(now, cafe.timezone, settings.quietStart, settings.quietEnd);
    if (quiet) {
      result.deferredUntil = quiet;
      break;
    }
    const batch = await withTenant(
      tenantId,
      (tx) =>
        claim(tx, campaignId, now, Math.min(BATCH, limit - handled), {
          count: settings.frequencyCapCount,
          days: settings.frequencyCapDays,
        }),
      db,
    );
    if (batch.length === 0) break;
    handled += batch.length;
    for (const [index, row] of batch.entries()) {
      if (row.status === "skipped") {
        result.skipped += 1;
        continue;
      }
      if (row.status === "failed") {
        result.failed += 1;
        continue;
      }
      let outcome: DeliveryOutcome;
      try {
        await pace();
        outcome = await deliverRow(db, channel, { tenantId, campaign, cafe, locale, row });
      } catch (error) {
        // One bad row (a render or store failure) is a failed attempt of that row, not the campaign's stop.
        outcome = { ok: false, retryable: true, error: error instanceof Error ? error.message : String(error) };
      }
      const after = clock();
      if (!outcome.ok && outcome.rateLimited) {
        // The provider asks to slow down: this and the rest of the batch wait, no attempt counted.
        const resumeAt = new Date(after.getTime() + (outcome.retryAfterSeconds ?? RATE_LIMIT_WAIT_SECONDS) * 1000);
        const waiting = batch.slice(index).filter((rest) => rest.status === "sending");
        await withTenant(
          tenantId,
          (tx) =>
            tx
              .update(campaignSends)
              .set({
                status: "queued",
                attempts: sql`greatest(${campaignSends.attempts} - 1, 0)`,
                lastError: outcome.error,
                nextAttemptAt: resumeAt,
              })
              .where(
                and(
                  inArray(
                    campaignSends.id,
                    waiting.map((rest) => rest.id),
                  ),
                  eq(campaignSends.status, "sending"),
                ),
              ),
          db,
        );
        result.retrying += waiting.length;
        rateLimited = true;
        break;
      }
      await withTenant(
        tenantId,
        async (tx) => {
          if (outcome.ok) {
            await markSent(tx, campaign, row.id, outcome.providerMessageId, after);
            result.sent += 1;
            return;
          }
          const giveUp = !outcome.retryable || row.attempts >= MAX_ATTEMPTS;
          await tx
            .update(campaignSends)
            .set(
              giveUp
                ? { status: "failed", lastError: outcome.error, nextAttemptAt: null }
                : {
                    status: "queued",
                    lastError: outcome.error,
                    nextAttemptAt: new Date(after.getTime() + backoffSeconds(row.attempts) * 1000),
                  },
            )
            .where(and(eq(campaignSends.id, row.id), eq(campaignSends.status, "sending")));
          if (giveUp) result.failed += 1;
          else result.retrying += 1;
        },
        db,
      );
    }
  }
  result.nextAttemptAt = await withTenant(tenantId, (tx) => nextRetry(tx, campaignId), db);
  return result;
}

/**
 * A test of the campaign to the member's own address, rendered for a real guest of the café
 * (a sleeping one with a favourite product when there is one) and marked as a test in the
 * subject. It is no campaign send: no row, no bonus, no unsubscribe link for that guest.
 */
export async function sendTestToSelf(
  db: Database,
  tenantId: string,
  campaignId: string,
  staffEmail: string,
  locale: string,
  config: EmailConfig = emailConfig(),
): Promise<{ outboxId: string; delivered: boolean }> {
  const { campaign, cafe, sample } = await withTenant(
    tenantId,
    async (tx) => {
      const [campaign] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId));
      const [sample] = await tx
        .select({ name: guests.name, balance: guests.balance, favourite: guestStats.favouriteName })
        .from(guests)
        .leftJoin(guestStats, eq(guestStats.guestId, guests.id))
        .where(sql`${guests.deletedAt} is null`)
        .orderBy(
          sql`(${guestStats.segment} = 'sleeping') is not true`,
          sql`${guestStats.favouriteName} is null`,
          guests.id,
        )
        .limit(1);
      return { campaign, cafe: await boundCafe(tx, tenantId), sample };
    },
    db,
  );
  if (!campaign) throw new Error(`No campaign ${campaignId}`);
  const message = renderCampaignMessage(campaign, {
    guestName: sample?.name ?? "",
    favouriteProduct: sample?.favourite ?? undefined,
    points: campaign.bonusPoints > 0 ? campaign.bonusPoints : (sample?.balance ?? 0),
    cafeName: cafe.name,
    locale,
    cabinetUrl: `${publicUrl()}/${cafe.slug}/me`,
  });
  const mark = locale === "en" ? "[Test]" : "[Тест]";
  const sent = await sendEmail(
    db,
    {
      to: staffEmail,
      subject: `${mark} ${message.subject}`,
      html: message.html,
      text: message.text,
      context: cafe.slug,
    },
    config,
  );
  return { outboxId: sent.id, delivered: sent.delivered };
}
