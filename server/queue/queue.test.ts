import { setTimeout as sleep } from "node:timers/promises";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { installJobQueue } from "@/db/queue/install";
import type { QueueDefinition } from "@/db/queue/queues";
import { guests } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { fillTenant } from "@/db/testing/fill-tenant";
import { createTenant } from "../tenants/create";
import { enqueueInTransaction, JobQueue, type JobQueueOptions } from "./index";

const db = await testDatabase();

const queue = (name: string, rules: Partial<QueueDefinition> = {}): QueueDefinition => ({
  name,
  policy: "standard",
  retryLimit: 0,
  retryDelay: 0,
  retryBackoff: false,
  expireInSeconds: 60,
  ...rules,
});

const KEYED = queue("test.keyed", { policy: "stately" });
const EVERY_MINUTE = queue("test.every-minute", { cron: "* * * * *" });
const FLAKY = queue("test.flaky", { retryLimit: 3, retryDelay: 1, retryBackoff: true });
const ABANDONED = queue("test.abandoned", { retryLimit: 2, expireInSeconds: 2 });
const TENANT_BOUND = queue("test.tenant-bound");
const AFTER_COMMIT = queue("test.after-commit");
const TEST_QUEUES = [KEYED, EVERY_MINUTE, FLAKY, ABANDONED, TENANT_BOUND, AFTER_COMMIT];

/** An app server's queue on the test database (as the app role), with short intervals. */
const running: JobQueue[] = [];
async function server(options: Partial<JobQueueOptions> = {}) {
  const started = await new JobQueue({
    url: db.appUrl,
    db: db.app,
    queues: TEST_QUEUES,
    pollingIntervalSeconds: 0.5,
    cronMonitorIntervalSeconds: 1,
    cronWorkerIntervalSeconds: 1,
    maintenanceIntervalSeconds: 1,
    ...options,
  }).start();
  running.push(started);
  return started;
}

async function until(condition: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await sleep(100);
}

beforeAll(async () => {
  // The migration step makes queues (DDL); the app role could not.
  await installJobQueue(db.adminUrl, TEST_QUEUES);
});
afterAll(async () => {
  await Promise.all(running.map((one) => one.stop(1_000)));
});

describe("the job queue (pg-boss) across app servers", () => {
  it("the app role cannot create a queue: queues come from the migration step", async () => {
    const app = await server({ background: false });
    await expect(app.boss.createQueue("test.made-at-run-time")).rejects.toThrow(/permission denied/);
  });

  it("a job enqueued twice with one singletonKey while it waits runs once", async () => {
    const app = await server({ queues: [] });
    const first = await app.enqueue(KEYED.name, { campaignId: "c-1" }, { singletonKey: "c-1" });
    const second = await app.enqueue(KEYED.name, { campaignId: "c-1" }, { singletonKey: "c-1" });
    const other = await app.enqueue(KEYED.name, { campaignId: "c-2" }, { singletonKey: "c-2" });
    expect(first).toEqual(expect.any(String));
    expect(second).toBeNull();
    expect(other).toEqual(expect.any(String));
    const runs: string[] = [];
    await app.work<{ campaignId: string }>(KEYED.name, async ({ campaignId }) => {
      runs.push(campaignId);
    });
    await until(() => runs.length >= 2, 10_000);
    await sleep(1_500); // time enough for a duplicate to show
    expect(runs.sort()).toEqual(["c-1", "c-2"]);
  });

  it("two servers keeping one cron schedule run each match once", async () => {
    // One match a minute: stay inside one minute (with a margin for the servers' start).
    const intoMinute = new Date().getSeconds();
    if (intoMinute > 48) await sleep((61 - intoMinute) * 1000);
    const runs: string[] = [];
    for (const name of ["A", "B"]) {
      const app = await server();
      await app.work(EVERY_MINUTE.name, async () => {
        runs.push(name);
      });
    }
    await until(() => runs.length >= 1, 8_000);
    // Both servers check the cron every second meanwhile; neither adds a second run.
    await sleep(4_000);
    expect(runs).toHaveLength(1);
  });

  it("a failing job is retried with back-off until it succeeds", async () => {
    const app = await server({ queues: [] });
    const attempts: number[] = [];
    await app.work(FLAKY.name, async () => {
      attempts.push(Date.now());
      if (attempts.length < 3) throw new Error("the provider answered 503");
      return { sent: true };
    });
    const id = await app.enqueue(FLAKY.name, {});
    await until(() => attempts.length >= 3, 15_000);
    const [first = 0, second = 0, third = 0] = attempts;
    // Back-off doubles the one-second delay (with jitter up to as much again): ≥1 s, then ≥2 s.
    expect(second - first).toBeGreaterThanOrEqual(1_000);
    expect(third - second).toBeGreaterThanOrEqual(2_000);
    await until(() => false, 1_000);
    const job = id ? await app.boss.getJobById(FLAKY.name, id) : null;
    expect(job).toMatchObject({ state: "completed", retryCount: 2 });
  });

  it("a job left active by a server that died is run by another after it expires", async () => {
    // Server A takes the job and dies before finishing it (no graceful stop hands it back).
    const a = await server({ queues: [], background: false });
    const id = await a.enqueue(ABANDONED.name, { step: "send" });
    const [taken] = await a.boss.fetch(ABANDONED.name);
    expect(taken?.id).toBe(id);
    await a.boss.stop({ graceful: false });
    // Server B starts later: once the job's two seconds are up, it is handed over as a retry.
    const b = await server({ queues: [] });
    const runs: string[] = [];
    await b.work<{ step: string }>(ABANDONED.name, async (_data, job) => {
      runs.push(job.id);
    });
    await until(() => runs.length > 0, 12_000);
    expect(runs).toEqual([id]);
  });

  it("a tenant-bound job sees its café's rows and not another café's", async () => {
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
      const filled = await withTenant(tenant.id, (tx) => fillTenant(tx, tenant.id), db.app);
      return { id: tenant.id, guestId: filled.guestId };
    };
    const mine = await cafe("queue-mine");
    const theirs = await cafe("queue-theirs");
    const app = await server({ queues: [] });
    const seen: { all: string[]; theirs: number }[] = [];
    await app.workForTenant<{ tenantId: string; otherGuestId: string }>(TENANT_BOUND.name, async (tx, data) => {
      const all = await tx.select({ id: guests.id }).from(guests);
      const other = await tx.select({ id: guests.id }).from(guests).where(eq(guests.id, data.otherGuestId));
      seen.push({ all: all.map((row) => row.id), theirs: other.length });
    });
    await app.enqueue(TENANT_BOUND.name, { tenantId: mine.id, otherGuestId: theirs.guestId });
    await until(() => seen.length > 0, 10_000);
    expect(seen).toEqual([{ all: [mine.guestId], theirs: 0 }]);
    // A job that names no café fails instead of running unbound.
    const unbound = await app.enqueue(TENANT_BOUND.name, { otherGuestId: theirs.guestId });
    await until(() => false, 2_000);
    const job = unbound ? await app.boss.getJobById(TENANT_BOUND.name, unbound) : null;
    expect(job?.state).toBe("failed");
    expect(seen).toHaveLength(1);
  });

  it("a job enqueued in a transaction exists only if the transaction commits", async () => {
    // The process-wide enqueueInTransaction: no queue started, the job row is written by `tx`.
    await expect(
      db.app.transaction(async (tx) => {
        await enqueueInTransaction(tx, AFTER_COMMIT.name, { launched: "rolled back" });
        throw new Error("the launch failed");
      }),
    ).rejects.toThrow("the launch failed");
    const committed = await db.app.transaction((tx) =>
      enqueueInTransaction(tx, AFTER_COMMIT.name, { launched: "committed" }, { singletonKey: "k" }),
    );
    expect(committed).toEqual(expect.any(String));
    const waiting = await db.admin.execute<{ data: { launched: string } }>(
      sql`select data from pgboss.job where name = ${AFTER_COMMIT.name}`,
    );
    expect(waiting.map((row) => row.data.launched)).toEqual(["committed"]);
  });
});
