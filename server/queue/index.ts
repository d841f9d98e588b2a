import { type SQL, sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import { z } from "zod";
import { appDb, type Database, type Tx, withTenant } from "@/db/client";
import { QUEUE_SCHEMA } from "@/db/queue/install";
import { QUEUES, type QueueDefinition } from "@/db/queue/queues";
import { appDatabaseUrl, env } from "../env";
import { logger } from "../log";

/**
 * Background jobs in PostgreSQL (pg-boss): whichever app server fetches a job runs it (FOR UPDATE
 * SKIP LOCKED), a cron schedule enqueues one job per match across all servers, a failed job is
 * retried with back-off, and a job left active by a process that died is retried once it expires.
 * The app role only reads and writes rows in the `pgboss` schema; the queues themselves are made
 * by the migration step (install.ts).
 */

/** What a job may be enqueued with (a subset of pg-boss's send options). */
export type EnqueueOptions = Pick<
  PgBoss.SendOptions,
  | "id"
  | "singletonKey"
  | "singletonSeconds"
  | "startAfter"
  | "priority"
  | "retryLimit"
  | "retryDelay"
  | "retryBackoff"
  | "expireInSeconds"
>;

export type WorkOptions = { pollingIntervalSeconds?: number };

/** The data of every tenant-bound job: its handler runs in a transaction bound to this café. */
export type TenantJobData = { tenantId: string };

export type JobHandler<Data> = (data: Data, job: PgBoss.Job<Data>) => Promise<unknown>;
export type TenantJobHandler<Data extends TenantJobData> = (
  tx: Tx,
  data: Data,
  job: PgBoss.Job<Data>,
) => Promise<unknown>;

export type JobQueueOptions = {
  /** Connection URL as the app role (pg-boss keeps its own small pool of `pg` connections). */
  url: string;
  /** The app's drizzle database: tenant-bound handlers run their transaction on it. */
  db: Database;
  /** Queues whose cron this process keeps in pgboss.schedule (the app's by default). */
  queues?: readonly QueueDefinition[];
  /** False: send only (no schedules, no supervision) — scripts and one-off enqueuers. */
  background?: boolean;
  poolSize?: number;
  /** How often an idle worker asks for a job (seconds; tests shorten it). */
  pollingIntervalSeconds?: number;
  /** How often the cron is checked (one server per interval does it) and its matches passed on. */
  cronMonitorIntervalSeconds?: number;
  cronWorkerIntervalSeconds?: number;
  /** How often expired active jobs are handed back for retry (one server per interval does it). */
  maintenanceIntervalSeconds?: number;
};

const tenantJobData = z.object({ tenantId: z.uuid() });

/** One process's handle on the job queue. Most code uses the process-wide one (startQueue, enqueue, work…). */
export class JobQueue {
  readonly boss: PgBoss;
  private readonly db: Database;
  private readonly queues: readonly QueueDefinition[];
  private readonly background: boolean;
  private readonly pollingIntervalSeconds: number;

  constructor(options: JobQueueOptions) {
    this.db = options.db;
    this.queues = options.queues ?? QUEUES;
    this.background = options.background ?? true;
    this.pollingIntervalSeconds = options.pollingIntervalSeconds ?? 5;
    this.boss = new PgBoss({
      connectionString: options.url,
      schema: QUEUE_SCHEMA,
      max: options.poolSize ?? 3,
      application_name: "zerno-jobs",
      // The schema belongs to the migration step: at run time only check its version.
      migrate: false,
      schedule: this.background,
      supervise: this.background,
      cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds ?? 30,
      cronWorkerIntervalSeconds: options.cronWorkerIntervalSeconds ?? 5,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
    });
    this.boss.on("error", (error: Error & { code?: string }) => {
      // Only the message and code: pg's errors carry the whole client (connection settings) along.
      const summary = { message: error.message, code: error.code };
      // PostgreSQL stopping (57P01, 57P02, 57P03: shutdown, crash, starting) is the operator's
      // doing or passes; the queue reconnects. Anything else is a fault.
      if (error.code?.startsWith("57P")) logger().warn({ err: summary }, "job queue lost its database connection");
      else logger().error({ err: { ...summary, stack: error.stack } }, "job queue error");
    });
  }

  /** Connects; with `background`, keeps the cron schedules of its queues and starts supervising. */
  async start() {
    await this.boss.start();
    if (this.background) await this.keepSchedules();
    return this;
  }

  /**
   * Stops fetching, waits up to `timeoutMs` for running jobs, and hands back (for retry) any still
   * running then; a process killed without this leaves them to expire instead.
   */
  async stop(timeoutMs = 10_000) {
    await this.boss.stop({ graceful: true, timeout: timeoutMs, wait: true });
  }

  /**
   * Adds a job; null when a job with its singletonKey is already waiting (stately queues) or was
   * added in the same singletonSeconds slot.
   */
  enqueue<Data extends object>(name: string, data: Data, options: EnqueueOptions = {}) {
    return this.boss.send(name, data, options);
  }

  /**
   * Adds a job in the caller's transaction: it exists (and may run) only if that transaction
   * commits — a state change and the job that follows it up never come apart.
   */
  enqueueInTransaction<Data extends object>(tx: Tx, name: string, data: Data, options: EnqueueOptions = {}) {
    return this.boss.send(name, data, { ...options, db: transactionAdapter(tx) });
  }

  /** Runs `handler` for each job of `name`; a throw fails the job (retried by its queue's rules). */
  async work<Data extends object>(name: string, handler: JobHandler<Data>, options: WorkOptions = {}) {
    return this.boss.work<Data>(
      name,
      { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? this.pollingIntervalSeconds },
      async ([job]) => {
        if (!job) return;
        try {
          const result = await handler(job.data, job);
          logger().debug({ job: name, id: job.id, result }, "job done");
          return result;
        } catch (error) {
          logger().error({ err: error, job: name, id: job.id }, "job failed");
          throw error;
        }
      },
    );
  }

  /**
   * Runs `handler` for each job of `name` in a transaction bound to the job's `tenantId`, as a
   * request would be: row-level security shows it that café's rows only. A job without a valid
   * tenantId fails.
   */
  async workForTenant<Data extends TenantJobData>(
    name: string,
    handler: TenantJobHandler<Data>,
    options: WorkOptions = {},
  ) {
    return this.work<Data>(
      name,
      async (data, job) => {
        const { tenantId } = tenantJobData.parse(data);
        return withTenant(tenantId, (tx) => handler(tx, data, job), this.db);
      },
      options,
    );
  }

  /** Schedules its queues' crons and drops schedules no queue of this build has any more. */
  private async keepSchedules() {
    const wanted = this.queues.filter((queue) => queue.cron);
    for (const queue of wanted) {
      // Retries, expiry and policy come from the queue (install.ts).
      if (queue.cron) await this.boss.schedule(queue.name, queue.cron, {}, { tz: "UTC" });
    }
    const known = new Set(wanted.map((queue) => queue.name));
    for (const schedule of await this.boss.getSchedules()) {
      if (!known.has(schedule.name)) await this.boss.unschedule(schedule.name);
    }
  }
}

/** pg-boss's `db` option over a drizzle transaction: its `$n` parameters become bound values. */
function transactionAdapter(tx: Tx): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const parts = text.split(/\$(\d+)/);
      const chunks: SQL[] = parts.map((part, i) => {
        if (i % 2 === 0) return sql.raw(part);
        const value = values[Number(part) - 1];
        const bound =
          value === undefined ? null : typeof value === "object" && value !== null ? JSON.stringify(value) : value;
        return sql`${bound}`;
      });
      const rows = await tx.execute<Record<string, unknown>>(sql.join(chunks));
      return { rows: [...rows] };
    },
  };
}

const globalForQueue = globalThis as unknown as {
  zernoQueue?: JobQueue;
  zernoQueueStarting?: Promise<JobQueue>;
  zernoQueueSender?: PgBoss;
};

/**
 * Starts this process's queue (app servers: instrumentation → server/jobs.ts). Stored on
 * globalThis, so Next's separately bundled route code finds the same one.
 */
export async function startQueue(options: Partial<JobQueueOptions> = {}): Promise<JobQueue> {
  if (globalForQueue.zernoQueue) return globalForQueue.zernoQueue;
  globalForQueue.zernoQueueStarting ??= new JobQueue({
    url: options.url ?? appDatabaseUrl(env()),
    db: options.db ?? appDb(),
    ...options,
  })
    .start()
    .then((queue) => {
      globalForQueue.zernoQueue = queue;
      return queue;
    })
    .finally(() => {
      globalForQueue.zernoQueueStarting = undefined;
    });
  return globalForQueue.zernoQueueStarting;
}

/** Stops this process's queue gracefully (SIGTERM in server/ops/serve.ts); a no-op when none runs. */
export async function stopQueue(timeoutMs?: number) {
  const queue = globalForQueue.zernoQueue ?? (await globalForQueue.zernoQueueStarting?.catch(() => undefined));
  globalForQueue.zernoQueue = undefined;
  await queue?.stop(timeoutMs);
}

/** This process's queue; a process that never started one (a script) gets a send-only one. */
async function processQueue() {
  return globalForQueue.zernoQueue ?? (await startQueue({ background: false }));
}

/** Adds a job to the process's queue (see JobQueue.enqueue). */
export async function enqueue<Data extends object>(name: string, data: Data, options?: EnqueueOptions) {
  return (await processQueue()).enqueue(name, data, options);
}

/**
 * Adds a job within `tx` (see JobQueue.enqueueInTransaction). Needs no started queue nor a
 * connection of its own: the job row is written by `tx` (so domain code and its tests call it
 * freely).
 */
export async function enqueueInTransaction<Data extends object>(
  tx: Tx,
  name: string,
  data: Data,
  options: EnqueueOptions = {},
) {
  return transactionSender().send(name, data, { ...options, db: transactionAdapter(tx) });
}

/** A pg-boss never started, for sends through a caller's transaction only. */
function transactionSender() {
  globalForQueue.zernoQueueSender ??= new PgBoss({
    schema: QUEUE_SCHEMA,
    migrate: false,
    schedule: false,
    supervise: false,
    db: {
      executeSql: () => Promise.reject(new Error("the transaction sender has no connection of its own")),
    },
  });
  return globalForQueue.zernoQueueSender;
}

/** Registers a handler on the process's queue (see JobQueue.work). */
export async function work<Data extends object>(name: string, handler: JobHandler<Data>, options?: WorkOptions) {
  return (await processQueue()).work(name, handler, options);
}

/** Registers a tenant-bound handler on the process's queue (see JobQueue.workForTenant). */
export async function workForTenant<Data extends TenantJobData>(
  name: string,
  handler: TenantJobHandler<Data>,
  options?: WorkOptions,
) {
  return (await processQueue()).workForTenant(name, handler, options);
}
