import PgBoss from "pg-boss";
import { APP_ROLE } from "../app-role";
import { QUEUES, type QueueDefinition } from "./queues";

/** The schema pg-boss keeps its queues, jobs and schedules in. */
export const QUEUE_SCHEMA = "pgboss";

/** pg-boss's own queue for cron: a schedule's match passes through it (created here, not at run time). */
const CRON_QUEUE = "__pgboss__send-it";

/** pg-boss's settings for a queue of ours (the cron is kept apart, in pgboss.schedule). */
export function queueOptions({ cron: _cron, ...definition }: QueueDefinition): PgBoss.Queue {
  return definition;
}

/**
 * Creates or upgrades the pg-boss schema and every queue, as the owner (part of the migration
 * step, db/migrate.ts), and lets the app role use them: it reads and writes rows in `pgboss`
 * but creates nothing, so the app never needs DDL rights at run time. Creating a queue is DDL
 * (each is a partition of pgboss.job), hence all queues here. Safe to run on every start.
 */
export async function installJobQueue(adminUrl: string, queues: readonly QueueDefinition[] = QUEUES) {
  const boss = new PgBoss({
    connectionString: adminUrl,
    schema: QUEUE_SCHEMA,
    max: 1,
    migrate: true,
    schedule: false,
    supervise: false,
    application_name: "zerno-migrate",
  });
  let failure: unknown;
  boss.on("error", (error) => {
    failure ??= error;
  });
  await boss.start();
  try {
    await boss.createQueue(CRON_QUEUE);
    for (const queue of queues) {
      await boss.createQueue(queue.name, queueOptions(queue));
      // createQueue keeps an existing queue as it was: changed rules apply from this start on.
      await boss.updateQueue(queue.name, queueOptions(queue));
    }
    await (boss.getDb() as PgBoss.Db).executeSql(
      `grant usage on schema ${QUEUE_SCHEMA} to ${APP_ROLE};
       grant select, insert, update, delete on all tables in schema ${QUEUE_SCHEMA} to ${APP_ROLE};
       revoke execute on all functions in schema ${QUEUE_SCHEMA} from public`,
      [],
    );
    if (failure) throw failure;
  } finally {
    await boss.stop({ graceful: false });
  }
}
