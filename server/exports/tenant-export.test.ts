import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { auditLog, guests } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { type FilledTenant, fillTenant } from "@/db/testing/fill-tenant";
import { AppError } from "../errors";
import { createTenant } from "../tenants/create";
import { exportArchive, latestTenantExport, runTenantExport, startTenantExport } from "./tenant-export";

const db = await testDatabase();

async function cafe(slug: string) {
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
  return { id: tenant.id, filled };
}

let mine: { id: string; filled: FilledTenant };
let theirs: { id: string; filled: FilledTenant };

beforeAll(async () => {
  mine = await cafe("export-mine");
  theirs = await cafe("export-theirs");
});

type Manifest = {
  withPersonalData: boolean;
  tables: {
    table: string;
    file: string;
    rows: number;
    sha256: string;
    columns: { name: string }[];
    withheld: string[];
  }[];
};

/** Exports as `role` and opens the archive as the café would. */
async function exportAs(role: "owner" | "manager") {
  const actor = { userId: mine.filled.userId, ip: "192.0.2.5" };
  const started = await withTenant(mine.id, (tx) => startTenantExport(tx, { tenantId: mine.id, role, actor }), db.app);
  await runTenantExport(db.app, { appUrl: () => db.appUrl, tenantId: mine.id, exportId: started.exportId });
  const status = await withTenant(mine.id, (tx) => latestTenantExport(tx), db.app);
  const archive = await withTenant(mine.id, (tx) => exportArchive(tx, { exportId: started.exportId, role }), db.app);
  const bytes = Buffer.concat(archive.chunks);
  const files = unzipSync(new Uint8Array(bytes));
  const manifest = JSON.parse(new TextDecoder().decode(files["manifest.json"])) as Manifest;
  return { started, status, bytes, files, manifest };
}

const text = (file: Uint8Array | undefined) => new TextDecoder().decode(file);

describe("a café's full export", () => {
  it("holds every table the café owns, with counts and checksums that match the database, and nothing of another café", async () => {
    const { status, bytes, files, manifest } = await exportAs("owner");
    expect(status).toMatchObject({ status: "done", withPersonalData: true });
    expect(status?.rowsDone).toBe(status?.rowsTotal);
    expect(status?.tablesDone).toBe(status?.tablesTotal);
    expect(status?.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));

    const tenantTables = await db.admin.execute<{ name: string }>(sql`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id')
        and c.relname not in ('data_exports', 'data_export_chunks')`);
    expect(manifest.tables.map((table) => table.table).sort()).toEqual(tenantTables.map((row) => row.name).sort());
    for (const table of manifest.tables) {
      const [count] = await db.admin.execute<{ n: number }>(
        sql.raw(`select count(*)::int as n from "${table.table}" where tenant_id = '${mine.id}'`),
      );
      expect(table.rows, table.table).toBe(count?.n);
      const file = files[table.file];
      expect(file, table.file).toBeDefined();
      expect(
        createHash("sha256")
          .update(file ?? new Uint8Array())
          .digest("hex"),
        table.file,
      ).toBe(table.sha256);
      // The other café's id appears nowhere (RLS-bound reads).
      expect(text(file)).not.toContain(theirs.id);
    }
    expect(text(files["schema.md"])).toContain("## guests");
  });

  it("an owner's archive has the guests' personal fields, never a secret", async () => {
    const { files } = await exportAs("owner");
    const [guest] = await db.admin.select().from(guests).where(eq(guests.id, mine.filled.guestId));
    const csv = text(files["tables/guests.csv"]);
    expect(guest?.email).toBeTruthy();
    expect(csv).toContain(String(guest?.email));
    expect(csv.split("\n")[0]).not.toContain("qr_secret");
    expect(csv).not.toContain(String(guest?.qrSecret));
  });

  it("a manager's archive leaves the personal fields empty, and the owner's archive is not theirs to download", async () => {
    const owners = await exportAs("owner");
    const { files, manifest, status } = await exportAs("manager");
    expect(status).toMatchObject({ withPersonalData: false });
    const [guest] = await db.admin.select().from(guests).where(eq(guests.id, mine.filled.guestId));
    const csv = text(files["tables/guests.csv"]);
    expect(csv.split("\n")[0]).toContain("email");
    expect(csv).not.toContain(String(guest?.email));
    expect(csv).not.toContain(String(guest?.phone));
    expect(manifest.tables.find((table) => table.table === "guests")?.withheld).toEqual(
      expect.arrayContaining(["name", "phone", "email", "birthday"]),
    );
    await expect(
      withTenant(mine.id, (tx) => exportArchive(tx, { exportId: owners.started.exportId, role: "manager" }), db.app),
    ).rejects.toBeInstanceOf(AppError);
    const audited = await db.admin
      .select({ meta: auditLog.meta })
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, mine.id), eq(auditLog.action, "tenant.data_exported")));
    expect(audited.map((entry) => entry.meta)).toEqual(
      expect.arrayContaining([{ withPersonalData: true }, { withPersonalData: false }]),
    );
  });

  it("makes one export at a time: starting again while one is being made follows that one", async () => {
    const actor = { userId: mine.filled.userId, ip: null };
    const start = (role: "owner" | "manager") =>
      withTenant(mine.id, (tx) => startTenantExport(tx, { tenantId: mine.id, role, actor }), db.app);
    const first = await start("owner");
    expect(first.alreadyRunning).toBe(false);
    expect(await start("manager")).toEqual({ exportId: first.exportId, withPersonalData: true, alreadyRunning: true });
  });
});
