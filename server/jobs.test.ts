import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { QUEUE_SCHEMA } from "@/db/queue/install";
import { JOB, QUEUES } from "@/db/queue/queues";
import { guestStats } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { fillTenant } from "@/db/testing/fill-tenant";
import { enqueueDueNightlyAnalytics, registerJobs } from "./jobs";
import { JobQueue } from "./queue";
import { createTenant } from "./tenants/create";

const db = await testDatabase();

/** An app server: the app's queues and workers, as server/startup.ts starts them. */
const servers: JobQueue[] = [];
async function appServer() {
  const queue = await new JobQueue({ url: db.appUrl, db: db.app, pollingIntervalSeconds: 0.5 }).start();
  servers.push(queue);
  await registerJobs(queue, db.app);
  return queue;
}
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop(2_000)));
});

describe("the app's background jobs on the queue", () => {
  it("the migration made every queue with its rules; the app role uses them but may create none", async () => {
    const made = await db.admin.execute<{ name: string; policy: string; retry_limit: number; expire_seconds: number }>(
      sql`select name, policy, retry_limit, expire_seconds from pgboss.queue`,
    );
    for (const queue of QUEUES) {
      expect(made).toContainEqual({
        name: queue.name,
        policy: queue.policy,
        retry_limit: queue.retryLimit,
        expire_seconds: queue.expireInSeconds,
      });
    }
    const [rights] = await db.app.execute<{ usage: boolean; create: boolean }>(sql`
      select has_schema_privilege(${QUEUE_SCHEMA}, 'USAGE') as usage,
        has_schema_privilege(${QUEUE_SCHEMA}, 'CREATE') as create`);
    expect(rights).toEqual({ usage: true, create: false });
  });

  it("every periodic job is on a cron schedule once the servers start, whatever their number", async () => {
    await Promise.all([appServer(), appServer()]);
    const scheduled = await db.admin.execute<{ name: string; cron: string }>(
      sql`select name, cron from pgboss.schedule order by name`,
    );
    const periodic = QUEUES.filter((queue) => queue.cron)
      .map((queue) => ({ name: queue.name, cron: queue.cron }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(scheduled).toEqual(periodic);
    expect(periodic.map((queue) => queue.name)).toEqual(
      expect.arrayContaining([JOB.releaseExpiredHolds, JOB.analyticsRollups, JOB.nightlyAnalyticsTick]),
    );
  });

  it("two servers ticking the nightly analytics at once give each due café one job, run bound to it", async () => {
    const cafe = async (slug: string) => {
      const { tenant } = await db.app.transaction((tx) =>
        createTenant(tx, {
          slug,
          name: `Café ${slug}`,
          currency: "RUB",
          timezone: "Europe/Moscow",
          locale: "ru",
          locations: [{ slug: "main", name: "Main", address: "Main st. 1" }],
        }),
      );
      // A guest with stats and no rhythm yet: the café is due whatever the hour.
      await withTenant(tenant.id, (tx) => fillTenant(tx, tenant.id), db.app);
      return tenant;
    };
    const tenant = await cafe("jobs-nightly");
    await cafe("jobs-nightly-too");
    const [a, b] = servers.length >= 2 ? servers : [await appServer(), await appServer()];
    if (!a || !b) throw new Error("two servers expected");
    const ticks = await Promise.all([enqueueDueNightlyAnalytics(a, db.app), enqueueDueNightlyAnalytics(b, db.app)]);
    expect(ticks.flatMap((tick) => tick.enqueued).sort()).toEqual(["jobs-nightly", "jobs-nightly-too"]);

    const rhythmSet = async () => {
      const [row] = await withTenant(
        tenant.id,
        (tx) => tx.select({ at: sql<Date | null>`max(${guestStats.rhythmAt})` }).from(guestStats),
        db.app,
      );
      return row?.at ?? null;
    };
    const deadline = Date.now() + 20_000;
    while (!(await rhythmSet()) && Date.now() < deadline) await sleep(200);
    expect(await rhythmSet()).not.toBeNull();
    // Done for tonight: the next tick enqueues nothing for it.
    const again = await enqueueDueNightlyAnalytics(a, db.app);
    expect(again.enqueued).not.toContain("jobs-nightly");
  });
});
