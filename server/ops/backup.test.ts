import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Database, openDatabase } from "@/db/client";
import { seed } from "@/db/seed";
import { testDatabase } from "@/db/testing/database";
import { backupDatabase, listBackups, restoreDatabase } from "./backup";
import { ledgerMismatches } from "./ledger-check";

const db = await testDatabase();
const folder = mkdtempSync(path.join(os.tmpdir(), "zerno-backup-"));
const server = postgres(inject("testServerUrl"), { max: 1, onnotice: () => {} });
const restoredName = `${new URL(db.adminUrl).pathname.slice(1)}_restored`;
const restoredUrl = (() => {
  const url = new URL(db.adminUrl);
  url.pathname = `/${restoredName}`;
  return url.toString();
})();
let restored: { db: Database; client: { end: () => Promise<void> } } | undefined;

beforeAll(async () => {
  await seed(db.app);
  await server.unsafe(`create database "${restoredName}"`);
});

afterAll(async () => {
  await restored?.client.end();
  await server.unsafe(`drop database if exists "${restoredName}" with (force)`);
  await server.end();
  rmSync(folder, { recursive: true, force: true });
});

/** Every table's row count, by name. */
async function rowCounts(database: Database): Promise<Record<string, number>> {
  const tables = await database.execute<{ name: string }>(sql`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' order by 1`);
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await database.execute<{ n: number }>(sql.raw(`select count(*)::int as n from "${name}"`));
    counts[name] = row?.n ?? 0;
  }
  return counts;
}

describe("backup and restore", () => {
  it("round-trips the seeded demo: every table's rows, a balanced ledger, sequences that go on", async () => {
    const file = path.join(folder, "zerno-20261207T120000Z.zbak");
    const made = await backupDatabase(db.adminUrl, file, { format: "zerno" });
    expect(made).toMatchObject({ file, format: "zerno" });
    expect(made.rows).toBeGreaterThan(100);
    expect(listBackups(folder)).toEqual([file]);

    const summary = await restoreDatabase(restoredUrl, file);
    expect(summary).toMatchObject({ format: "zerno", tables: made.tables, rows: made.rows });
    restored = openDatabase(restoredUrl, { max: 2 });

    const before = await rowCounts(db.admin);
    expect(Object.keys(before).length).toBeGreaterThan(30);
    expect(await rowCounts(restored.db)).toEqual(before);
    const check = await ledgerMismatches(restored.db);
    expect(check.guests).toBeGreaterThan(0);
    expect(check.mismatches).toEqual([]);
    // Identity columns go on after the restored rows (a new audit entry does not collide).
    const [{ max = 0 } = {}] = await restored.db.execute<{ max: number }>(
      sql`select coalesce(max(id), 0)::int as max from audit_log`,
    );
    const [next] = await restored.db.execute<{ id: number }>(
      sql`select nextval(pg_get_serial_sequence('audit_log', 'id'))::int as id`,
    );
    expect(next?.id).toBeGreaterThan(max);
    // The restored database is migrated like a new one: the app role sees the café through RLS.
    const [rls] = await restored.db.execute<{ forced: number }>(
      sql`select count(*)::int as forced from pg_class where relforcerowsecurity`,
    );
    expect(rls?.forced).toBeGreaterThan(30);
  });

  it("refuses to restore into a database that is not empty", async () => {
    const file = path.join(folder, "zerno-20261207T120000Z.zbak");
    await expect(restoreDatabase(db.adminUrl, file)).rejects.toThrow(/not empty/);
  });
});
