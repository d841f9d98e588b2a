import { createHash } from "node:crypto";
import { z } from "zod";
import type { Database } from "@/db/client";
import { withTenant } from "@/db/client";
import { JOB } from "@/db/queue/queues";
import { refreshAnalytics } from "./analytics/rollups";
import { cafesForNightlyAnalytics, nightlyAnalyticsDue, runNightlyAnalytics } from "./analytics/segments";
import { type CampaignSendJob, handleCampaignAutomations, handleCampaignSend } from "./campaigns/jobs";
import { grantBirthdayBonuses } from "./loyalty/birthday";
import { expireInactivePoints } from "./loyalty/expiry";
import { releaseExpiredHolds } from "./loyalty/sweeper";
import { runOfferAutomations } from "./offers/automation";
import { deliverStrayOrderNotices } from "./orders/guest-notices";
import { releaseLapsedOrderOffersEverywhere } from "./orders/lapsed";
import { type JobQueue, startQueue } from "./queue";

const campaignSendJob = z.object({ tenantId: z.uuid(), campaignId: z.uuid() });

/** Holds released per pass of the sweeper; passes repeat while a pass comes back full. */
const HOLD_BATCH = 500;

/**
 * Starts this app server's job queue and its workers. The periodic upkeep is on pg-boss cron
 * schedules (db/queue/queues.ts): each match is one job, run by whichever server fetches it,
 * retried with back-off when it fails, and retried after its expiry when its server died. (The
 * jobs would also be safe twice: each change happens under the guest's row lock and re-checks its
 * condition there.)
 */
export async function startBackgroundJobs(db: Database) {
  const queue = await startQueue({ db });
  await registerJobs(queue, db);
  return queue;
}

/** Registers the handler of every queue of the app on `queue`. */
export async function registerJobs(queue: JobQueue, db: Database) {
  await queue.work(JOB.releaseExpiredHolds, async () => {
    let released = 0;
    for (let pass = 0; pass < 20; pass++) {
      const count = await releaseExpiredHolds(db, HOLD_BATCH);
      released += count;
      if (count < HOLD_BATCH) break;
    }
    return { released };
  });
  await queue.work(JOB.expireInactivePoints, () => expireInactivePoints(db));
  await queue.work(JOB.birthdayBonuses, () => grantBirthdayBonuses(db));
  await queue.work(JOB.offerAutomations, () => runOfferAutomations(db));
  await queue.work(JOB.releaseLapsedOrderOffers, async () => ({
    released: await releaseLapsedOrderOffersEverywhere(db),
  }));
  await queue.work(JOB.strayOrderNotices, async () => ({ delivered: await deliverStrayOrderNotices(db) }));
  await queue.work(JOB.analyticsRollups, () => refreshAnalytics(db));
  await queue.work(JOB.nightlyAnalyticsTick, () => enqueueDueNightlyAnalytics(queue, db));
  await queue.workForTenant<NightlyAnalyticsJob>(JOB.nightlyAnalyticsCafe, async (tx, { night }) => {
    const now = new Date();
    if (!(await nightlyAnalyticsDue(tx, now, night))) return { skipped: "not due" };
    const result = await runNightlyAnalytics(tx, { now });
    return { guests: result.guests };
  });
  const enqueue = queue.enqueue.bind(queue);
  await queue.work(JOB.campaignAutomations, () => handleCampaignAutomations(db, enqueue));
  // Not one transaction for the whole send (it waits on the mail provider): sendQueued binds each
  // of its own transactions to the job's café.
  await queue.work<CampaignSendJob>(
    JOB.campaignSend,
    (data) => handleCampaignSend(db, campaignSendJob.parse(data), enqueue),
    { pollingIntervalSeconds: 2 },
  );
}

export type NightlyAnalyticsJob = { tenantId: string; night: boolean };

/**
 * The hourly nightly-analytics tick: each café that is due gets a job of its own (one waiting at
 * most per café), so cafés are computed in parallel across servers and one café's failure is
 * retried without redoing the others.
 */
export async function enqueueDueNightlyAnalytics(queue: JobQueue, db: Database, now: Date = new Date()) {
  const enqueued: string[] = [];
  for (const cafe of await cafesForNightlyAnalytics(db, now)) {
    const due = await withTenant(cafe.id, (tx) => nightlyAnalyticsDue(tx, now, cafe.night), db);
    if (!due) continue;
    const job: NightlyAnalyticsJob = { tenantId: cafe.id, night: cafe.night };
    // One job per café and hour, whoever ticks: the id is derived from both, and a second insert of
    // an id is refused even after the first job finished (which the singletonKey alone allows).
    const id = uuidFrom(`nightly:${cafe.id}:${now.toISOString().slice(0, 13)}`);
    if (await queue.enqueue(JOB.nightlyAnalyticsCafe, job, { id, singletonKey: cafe.id })) enqueued.push(cafe.slug);
  }
  return { enqueued };
}

/** A stable UUID-shaped id for a name (the first 128 bits of its SHA-256). */
function uuidFrom(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
