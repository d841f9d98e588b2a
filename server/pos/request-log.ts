import { sql } from "drizzle-orm";
import { type Database, withTenant } from "@/db/client";
import { posApiKeys, posRequestLog } from "@/db/schema";
import { logger } from "../log";

type LoggedRequest = typeof posRequestLog.$inferInsert & { tenantId: string; keyId: string };

/** Requests kept per key for the integrations page. */
export const REQUESTS_KEPT_PER_KEY = 50;
const FLUSH_EVERY_MS = 1_000;
/** Trimming scans each key's log: once in a while is enough to keep it near 50 rows. */
const TRIM_EVERY_MS = 30_000;
const lastTrim = new Map<string, number>();

let queue: { db: Database; entry: LoggedRequest }[] = [];
let flushScheduled = false;

/**
 * Notes a POS request after its response, off the request's path: written in batches about once
 * a second (with the key's last use), trimmed to the last 50 per key. A crash may lose the last
 * second of this log; it is diagnostics, not data.
 */
export function recordPosRequest(db: Database, entry: LoggedRequest): void {
  queue.push({ db, entry });
  if (flushScheduled) return;
  flushScheduled = true;
  setTimeout(() => {
    flushScheduled = false;
    void flushPosRequests().catch((error) => logger().warn({ err: error }, "POS request log flush failed"));
  }, FLUSH_EVERY_MS).unref();
}

export async function flushPosRequests(): Promise<void> {
  const batch = queue;
  queue = [];
  const groups = new Map<string, { db: Database; tenantId: string; entries: LoggedRequest[] }>();
  const databases = new Map<Database, number>();
  for (const { db, entry } of batch) {
    if (!databases.has(db)) databases.set(db, databases.size);
    const key = `${databases.get(db)}:${entry.tenantId}`;
    const group = groups.get(key) ?? { db, tenantId: entry.tenantId, entries: [] };
    group.entries.push(entry);
    groups.set(key, group);
  }
  for (const { db, tenantId, entries } of groups.values()) {
    await withTenant(
      tenantId,
      async (tx) => {
        await tx.insert(posRequestLog).values(entries);
        const keyIds = [...new Set(entries.map((entry) => entry.keyId))];
        await tx.execute(sql`
        update ${posApiKeys} set last_used_at = now() where id in ${keyIds}`);
        if (Date.now() - (lastTrim.get(tenantId) ?? 0) < TRIM_EVERY_MS) return;
        lastTrim.set(tenantId, Date.now());
        await tx.execute(sql`
        delete from ${posRequestLog} l
        where l.key_id in ${keyIds}
          and l.id < (select min(id) from (
            select id from ${posRequestLog} k where k.key_id = l.key_id order by id desc limit ${REQUESTS_KEPT_PER_KEY}
          ) newest)`);
      },
      db,
    );
  }
}
