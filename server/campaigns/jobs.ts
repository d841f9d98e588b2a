import type { Database } from "@/db/client";
import { JOB } from "@/db/queue/queues";
import type { EnqueueOptions } from "../queue";
import { runCampaignAutomations } from "./automations";
import { type SendOptions, sendQueued } from "./send";

// The campaign jobs' handlers as plain functions; server/jobs.ts registers them on the queue:
//   queue.work(JOB.campaignAutomations, () => handleCampaignAutomations(db, queue.enqueue.bind(queue)))
//   queue.work(JOB.campaignSend, (data) => handleCampaignSend(db, data, queue.enqueue.bind(queue)))

/** How a handler adds a job (the queue's `enqueue`; tests pass a recorder). */
export type Enqueue = (name: string, data: CampaignSendJob, options?: EnqueueOptions) => Promise<unknown>;

/** The data of a `campaigns.send` job: one campaign of one café. */
export type CampaignSendJob = { tenantId: string; campaignId: string };

/** Messages sent per send job; the job enqueues itself again for the rest. */
export const SEND_JOB_LIMIT = 500;

const sendJob = (job: CampaignSendJob, startAfter?: Date): [string, CampaignSendJob, EnqueueOptions] => [
  JOB.campaignSend,
  { tenantId: job.tenantId, campaignId: job.campaignId },
  { singletonKey: job.campaignId, ...(startAfter ? { startAfter } : {}) },
];

/**
 * `campaigns.automations` (cron): every café's tick (scheduled one-offs launched, automations'
 * new guests drawn, campaign bonuses expired), then a send job for each campaign with messages
 * waiting.
 */
export async function handleCampaignAutomations(db: Database, enqueue: Enqueue, now: Date = new Date()) {
  const result = await runCampaignAutomations(db, now);
  for (const job of result.toSend) await enqueue(...sendJob(job));
  return { queued: result.queued, sendJobs: result.toSend.length, bonusesExpired: result.bonusesExpired };
}

/**
 * `campaigns.send` ({ tenantId, campaignId }): sends up to SEND_JOB_LIMIT of the campaign's
 * queued messages (sendQueued binds every transaction to the job's café), then comes back for
 * the rest: at once when the limit was reached, at the end of quiet hours, or at the earliest
 * retry time.
 */
export async function handleCampaignSend(
  db: Database,
  data: CampaignSendJob,
  enqueue: Enqueue,
  options: Omit<SendOptions, "limit"> = {},
) {
  const result = await sendQueued(db, data.tenantId, data.campaignId, { ...options, limit: SEND_JOB_LIMIT });
  const handled = result.sent + result.failed + result.retrying + result.skipped;
  const again = result.deferredUntil ?? (handled >= SEND_JOB_LIMIT ? new Date() : result.nextAttemptAt);
  if (again) await enqueue(...sendJob(data, again));
  return { ...result, again };
}
