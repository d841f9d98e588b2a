import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { refreshAnalytics } from "./analytics/rollups";
import { runNightlyAnalyticsWhereDue } from "./analytics/segments";
import { logger } from "./log";
import { grantBirthdayBonuses } from "./loyalty/birthday";
import { expireInactivePoints } from "./loyalty/expiry";
import { releaseExpiredHolds } from "./loyalty/sweeper";
import { runOfferAutomations } from "./offers/automation";
import { releaseLapsedOrderOffersEverywhere } from "./orders/lapsed";

/** Names this process among the app servers (in background_job_runs, for the operator). */
const SERVER_NAME = `${hostname()}:${process.pid}`;

/**
 * Periodic upkeep. Every app server (and every worker of `npm start -- --workers N`) ticks; the
 * first past the interval claims the run in PostgreSQL, so each job runs once per interval across
 * all of them. (The jobs would also be safe twice: each change happens under the guest's row lock
 * and re-checks its condition there.)
 */
export function startBackgroundJobs(db: Database) {
  every(db, 30_000, "release expired holds", () => releaseExpiredHolds(db));
  every(db, 60 * 60_000, "expire inactive points", () => expireInactivePoints(db));
  every(db, 60 * 60_000, "birthday bonuses", () => grantBirthdayBonuses(db));
  // The birthday offer and "the usual plus one" (on the pairs the nightly analytics compute).
  every(db, 60 * 60_000, "offer automations", () => runOfferAutomations(db));
  // Offer uses held by orders never collected nor cancelled go back once their points hold would.
  every(db, 10 * 60_000, "release lapsed order offers", () => releaseLapsedOrderOffersEverywhere(db));
  // The dashboards' roll-ups trail the receipts by at most about a minute (today's figures are read live).
  every(db, 60_000, "analytics roll-ups", () => refreshAnalytics(db));
  // Hourly tick; each café's rhythm and segments are computed once a night in its own time zone.
  every(db, 60 * 60_000, "nightly analytics", () => runNightlyAnalyticsWhereDue(db));
}

/**
 * Claims the job's run for this interval: true for exactly one of the servers asking within it.
 * One upsert decides: simultaneous claims queue on the row, and each later one sees the fresh
 * start time and claims nothing.
 */
export async function claimJobRun(db: Database, name: string, intervalMs: number, server = SERVER_NAME) {
  // A tenth of the interval of slack: servers' timers drift a little from tick to tick.
  const claimed = await db.execute<{ name: string }>(sql`
      insert into background_job_runs (name, last_started_at, last_server) values (${name}, now(), ${server})
      on conflict (name) do update set last_started_at = now(), last_server = ${server}
        where background_job_runs.last_started_at <= now() - make_interval(secs => ${(intervalMs * 0.9) / 1000})
      returning name`);
  return claimed.length > 0;
}

function every(db: Database, intervalMs: number, name: string, job: () => Promise<unknown>) {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return; // a slow run is never overlapped by the next
    running = true;
    try {
      if (!(await claimJobRun(db, name, intervalMs))) return;
      const result = await job();
      logger().debug({ job: name, result }, "background job done");
    } catch (error) {
      logger().error({ err: error, job: name }, "background job failed");
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
}
