import { sql } from "drizzle-orm";
import { appDb } from "@/db/client";

/** Resolves when the database answers a trivial query within `timeoutMs`; rejects otherwise. */
export async function databaseAnswers(timeoutMs = 2_000): Promise<void> {
  await Promise.race([
    appDb().execute(sql`select 1`),
    new Promise((_, reject) => setTimeout(() => reject(new Error("database timeout")), timeoutMs)),
  ]);
}
