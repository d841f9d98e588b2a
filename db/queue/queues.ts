/**
 * Every job queue the app uses, with its retry and expiry rules and, for periodic work, its cron
 * (UTC). The queues are created by the migration step (db/queue/install.ts, with the owner's
 * rights); the app role only reads and writes their rows, so a queue missing from this list cannot
 * be used at run time.
 */
export type QueuePolicy = "standard" | "short" | "singleton" | "stately";

export type QueueDefinition = {
  name: string;
  /**
   * `stately`: at most one job waiting and one running per singletonKey (periodic upkeep never
   * piles up or overlaps itself; a second enqueue with a waiting key is dropped).
   */
  policy: QueuePolicy;
  retryLimit: number;
  /** Seconds before the first retry; doubled (with jitter) on each further one when retryBackoff. */
  retryDelay: number;
  retryBackoff: boolean;
  /**
   * How long a job may stay active: a worker that dies mid-job (or overruns) leaves it active,
   * and after this the supervisor hands it to the next worker as a retry.
   */
  expireInSeconds: number;
  /** Five-field cron in UTC: one job per match across all app servers. */
  cron?: string;
};

const upkeep = (name: string, cron: string, expireInSeconds: number): QueueDefinition => ({
  name,
  policy: "stately",
  retryLimit: 3,
  retryDelay: 30,
  retryBackoff: true,
  expireInSeconds,
  cron,
});

/** Queue names, for `enqueue` and `work` callers. */
export const JOB = {
  releaseExpiredHolds: "loyalty.release-expired-holds",
  expireInactivePoints: "loyalty.expire-inactive-points",
  birthdayBonuses: "loyalty.birthday-bonuses",
  offerAutomations: "offers.automations",
  releaseLapsedOrderOffers: "orders.release-lapsed-offers",
  analyticsRollups: "analytics.rollups",
  nightlyAnalyticsTick: "analytics.nightly",
  nightlyAnalyticsCafe: "analytics.nightly-cafe",
  campaignAutomations: "campaigns.automations",
  campaignSend: "campaigns.send",
  strayOrderNotices: "orders.stray-notices",
} as const;

export const QUEUES: readonly QueueDefinition[] = [
  // Points held by a till or an order and never committed go back (hold TTL is minutes).
  upkeep(JOB.releaseExpiredHolds, "* * * * *", 5 * 60),
  upkeep(JOB.expireInactivePoints, "5 * * * *", 30 * 60),
  upkeep(JOB.birthdayBonuses, "10 * * * *", 30 * 60),
  // The birthday offer and "the usual plus one" (on the pairs the nightly analytics compute).
  upkeep(JOB.offerAutomations, "15 * * * *", 30 * 60),
  // Offer uses held by orders never collected nor cancelled go back once their points hold would.
  upkeep(JOB.releaseLapsedOrderOffers, "*/10 * * * *", 10 * 60),
  // The dashboards' roll-ups trail the receipts by at most about a minute (today's is read live).
  upkeep(JOB.analyticsRollups, "* * * * *", 15 * 60),
  // Hourly: enqueues the cafés whose night it is (and whose rhythm is due) as jobs of their own.
  upkeep(JOB.nightlyAnalyticsTick, "20 * * * *", 10 * 60),
  // One café's rhythm fit and segments (singletonKey = tenant id: one waiting, one running per café).
  {
    name: JOB.nightlyAnalyticsCafe,
    policy: "stately",
    retryLimit: 3,
    retryDelay: 60,
    retryBackoff: true,
    expireInSeconds: 60 * 60,
  },
  // "Your order is ready" notices whose server stopped between the status change and the send.
  upkeep(JOB.strayOrderNotices, "* * * * *", 5 * 60),
  upkeep(JOB.campaignAutomations, "*/15 * * * *", 30 * 60),
  // One campaign's queued messages (singletonKey = campaign id); the sender itself is resumable.
  {
    name: JOB.campaignSend,
    policy: "stately",
    retryLimit: 5,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 30 * 60,
  },
];
