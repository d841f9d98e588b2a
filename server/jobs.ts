import type { Database } from "@/db/client";
import { logger } from "./log";
import { grantBirthdayBonuses } from "./loyalty/birthday";
import { expireInactivePoints } from "./loyalty/expiry";
import { releaseExpiredHolds } from "./loyalty/sweeper";

/**
 * Periodic upkeep in every app server. The jobs are safe to run on several servers at once: each
 * change happens under the guest's row lock and re-checks its condition there.
 */
export function startBackgroundJobs(db: Database) {
  every(30_000, "release expired holds", () => releaseExpiredHolds(db));
  every(60 * 60_000, "expire inactive points", () => expireInactivePoints(db));
  every(60 * 60_000, "birthday bonuses", () => grantBirthdayBonuses(db));
}

function every(intervalMs: number, name: string, job: () => Promise<unknown>) {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return; // a slow run is never overlapped by the next
    running = true;
    try {
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
