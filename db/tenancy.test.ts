import { createHash } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTenant } from "../server/tenants/create";
import { type Database, type Tx, withTenant } from "./client";
import { testDatabase } from "./testing/database";
import { type FilledTenant, fillTenant } from "./testing/fill-tenant";

/**
 * The tenancy rules of DESIGN.md ("Tenancy and access — the non-negotiables"), proven for every
 * tenant table: every table in schema public with a `tenant_id` column, read from the catalog, so
 * a new table is covered the day it is created.
 */
const db = await testDatabase();

type TenantTable = { name: string };

/** The tenant tables, straight from the catalog (ordinary and partitioned tables in public). */
async function tenantTables(): Promise<TenantTable[]> {
  const rows = await db.admin.execute<{ name: string }>(sql`
    select c.relname as name
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped and a.attnum > 0
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`);
  return rows.map((row) => ({ name: row.name }));
}

/** The same set as a CTE, for the catalog checks. */
const TENANT_TABLES = sql`
  with tenant_tables as (
    select c.oid as relid, c.relname as table_name, a.attnum as tenant_attnum, a.attnotnull as tenant_not_null,
      format_type(a.atttypid, a.atttypmod) as tenant_type
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped and a.attnum > 0
    where n.nspname = 'public' and c.relkind in ('r', 'p')
  )`;

/** Runs a catalog query that returns one `offender` text per broken rule. */
async function offenders(query: SQL): Promise<string[]> {
  const rows = await db.admin.execute<{ offender: string }>(sql`${TENANT_TABLES} ${query}`);
  return rows.map((row) => row.offender).sort();
}

const MIN_TENANT_TABLES = 30;

describe("tenancy schema (catalog)", () => {
  it(`finds the tenant tables in the catalog (at least ${MIN_TENANT_TABLES})`, async () => {
    const tables = await tenantTables();
    expect(tables.length, `tenant tables found: ${tables.map((t) => t.name).join(", ")}`).toBeGreaterThanOrEqual(
      MIN_TENANT_TABLES,
    );
  });

  it("tenant_id is a NOT NULL uuid", async () => {
    expect(
      await offenders(sql`
        select t.table_name || '.tenant_id is ' ||
          concat_ws(' and ', case when not t.tenant_not_null then 'nullable' end,
            case when t.tenant_type <> 'uuid' then 'of type ' || t.tenant_type || ', not uuid' end) as offender
        from tenant_tables t
        where not t.tenant_not_null or t.tenant_type <> 'uuid'`),
    ).toEqual([]);
  });

  it("tenant_id leads the primary key", async () => {
    expect(
      await offenders(sql`
        select case when con.oid is null then t.table_name || ': has no primary key'
          else t.table_name || ': primary key ' || con.conname || ' is ' || pg_get_constraintdef(con.oid) ||
            ', it must start with tenant_id' end as offender
        from tenant_tables t
        left join pg_constraint con on con.conrelid = t.relid and con.contype = 'p'
        where con.oid is null or con.conkey[1] <> t.tenant_attnum`),
    ).toEqual([]);
  });

  it("tenant_id leads every unique (and exclusion) constraint", async () => {
    expect(
      await offenders(sql`
        select t.table_name || ': constraint ' || con.conname || ' is ' || pg_get_constraintdef(con.oid) ||
          ', it must start with tenant_id' as offender
        from tenant_tables t
        join pg_constraint con on con.conrelid = t.relid and con.contype in ('u', 'x')
        where con.conkey[1] <> t.tenant_attnum`),
    ).toEqual([]);
  });

  it("tenant_id leads every unique index, partial and expression ones included", async () => {
    expect(
      await offenders(sql`
        select t.table_name || ': unique index ' || ic.relname || ' is ' || pg_get_indexdef(i.indexrelid) ||
          ', it must start with tenant_id' as offender
        from tenant_tables t
        join pg_index i on i.indrelid = t.relid and i.indisunique
        join pg_class ic on ic.oid = i.indexrelid
        where i.indkey[0] <> t.tenant_attnum`),
    ).toEqual([]);
  });

  it("foreign keys go tenant_id → tenant_id between tenant tables, and only tenant_id → tenants.id or one column to platform tables", async () => {
    expect(
      await offenders(sql`
        select t.table_name || ': foreign key ' || con.conname || ' is ' || pg_get_constraintdef(con.oid) ||
          case when target.tenant_attnum is not null
            then ', between tenant tables it must be (tenant_id, …) REFERENCES ' || con.confrelid::regclass::text ||
              '(tenant_id, …)'
            else ', to a platform table it must be tenant_id → tenants(id) or a single other column' end
          as offender
        from tenant_tables t
        join pg_constraint con on con.conrelid = t.relid and con.contype = 'f'
        left join tenant_tables target on target.relid = con.confrelid
        where case
          when target.relid is not null then
            con.conkey[1] <> t.tenant_attnum or con.confkey[1] <> target.tenant_attnum
          when con.conkey = array[t.tenant_attnum] then
            con.confrelid <> 'public.tenants'::regclass
            or con.confkey <> array[(select a.attnum from pg_attribute a
              where a.attrelid = con.confrelid and a.attname = 'id')]
          else cardinality(con.conkey) <> 1 or t.tenant_attnum = any (con.conkey)
        end`),
    ).toEqual([]);
  });

  it("tenant_id references tenants(id)", async () => {
    expect(
      await offenders(sql`
        select t.table_name || ': tenant_id has no foreign key to tenants(id)' as offender
        from tenant_tables t
        where not exists (
          select 1 from pg_constraint con
          where con.conrelid = t.relid and con.contype = 'f' and con.conkey = array[t.tenant_attnum]
            and con.confrelid = 'public.tenants'::regclass
        )`),
    ).toEqual([]);
  });

  it("row-level security is enabled and forced, and filtered by app.tenant_id", async () => {
    expect(
      await offenders(sql`
        select t.table_name || ': row-level security is not enabled (ENABLE ROW LEVEL SECURITY)' as offender
        from tenant_tables t join pg_class c on c.oid = t.relid
        where not c.relrowsecurity
        union all
        select t.table_name || ': row-level security is not forced (FORCE ROW LEVEL SECURITY)'
        from tenant_tables t join pg_class c on c.oid = t.relid
        where not c.relforcerowsecurity
        union all
        select t.table_name || ': no policy uses app.tenant_id'
        from tenant_tables t
        where not exists (
          select 1 from pg_policy p
          where p.polrelid = t.relid
            and concat(pg_get_expr(p.polqual, p.polrelid), ' ', pg_get_expr(p.polwithcheck, p.polrelid))
              like '%app.tenant_id%'
        )
        union all
        select t.table_name || ': permissive policy ' || p.polname || ' does not filter on app.tenant_id:' ||
          coalesce(' USING (' || pg_get_expr(p.polqual, p.polrelid) || ')', '') ||
          coalesce(' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')', '')
        from tenant_tables t join pg_policy p on p.polrelid = t.relid
        where p.polpermissive and (
          coalesce(pg_get_expr(p.polqual, p.polrelid), 'app.tenant_id') not like '%app.tenant_id%'
          or coalesce(pg_get_expr(p.polwithcheck, p.polrelid), 'app.tenant_id') not like '%app.tenant_id%'
        )`),
    ).toEqual([]);
  });
});

/** The SQLSTATE and message of a failed query (drizzle wraps the driver's error in `cause`). */
function pgError(error: unknown): { code?: string; message: string } {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string") return { code, message: String(message) };
    current = cause;
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

type Outcome = { count: number; error?: undefined } | { count?: undefined; error: { code?: string; message: string } };

class Rollback extends Error {
  constructor(readonly count: number) {
    super("rollback");
  }
}

/** Runs one statement as the app bound to `tenantId`; commits only when asked. */
async function asTenant(tenantId: string, query: SQL, commit: boolean): Promise<Outcome> {
  try {
    const count = await withTenant(
      tenantId,
      async (tx) => {
        const result = await tx.execute(query);
        if (!commit) throw new Rollback(result.count);
        return result.count;
      },
      db.app,
    );
    return { count };
  } catch (error) {
    if (error instanceof Rollback) return { count: error.count };
    return { error: pgError(error) };
  }
}

const show = (outcome: Outcome) =>
  outcome.error
    ? `failed with ${outcome.error.code ?? "no SQLSTATE"}: ${outcome.error.message}`
    : `${outcome.count} rows`;

async function count(database: Database | Tx, query: SQL): Promise<number> {
  const [row] = await database.execute<{ n: number }>(sql`select count(*)::int as n from (${query}) as q`);
  return row?.n ?? -1;
}

/** A digest of one tenant's rows in a table, read by the superuser (RLS bypassed). */
async function fingerprint(table: string, tenantId: string): Promise<string> {
  const [row] = await db.admin.execute<{ digest: string }>(sql`
    select count(*) || ':' || md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as digest
    from ${sql.identifier(table)} as x where x.tenant_id = ${tenantId}`);
  return row?.digest ?? "";
}

const newTenant = (slug: string) => ({
  slug,
  name: `Café ${slug}`,
  currency: "RUB",
  timezone: "Europe/Moscow",
  locale: "ru" as const,
  locations: [{ slug: "main", name: "Main", address: "1 Main Street" }],
});

describe("tenant isolation (behaviour, as the application role)", () => {
  let tables: TenantTable[] = [];
  let tenantA = "";
  let tenantB = "";
  let filledA: FilledTenant;
  let filledB: FilledTenant;

  beforeAll(async () => {
    tables = await tenantTables();
    // createTenant binds its own transaction to the new tenant before writing tenant rows.
    const a = await db.app.transaction((tx) => createTenant(tx, newTenant("tenant-a")));
    const b = await db.app.transaction((tx) => createTenant(tx, newTenant("tenant-b")));
    tenantA = a.tenant.id;
    tenantB = b.tenant.id;
    filledA = await withTenant(tenantA, (tx) => fillTenant(tx, tenantA), db.app);
    filledB = await withTenant(tenantB, (tx) => fillTenant(tx, tenantB), db.app);
  });

  it("the application connection is an unprivileged role (no superuser, no BYPASSRLS)", async () => {
    const [role] = await db.app.execute<{ name: string; rolsuper: boolean; rolbypassrls: boolean }>(
      sql`select rolname as name, rolsuper, rolbypassrls from pg_roles where rolname = current_user`,
    );
    expect(role).toEqual({ name: "zerno_app", rolsuper: false, rolbypassrls: false });
  });

  it("the fixture writes rows of both tenants into every tenant table (seen by the superuser)", async () => {
    expect(tables.length).toBeGreaterThanOrEqual(MIN_TENANT_TABLES);
    const missing: string[] = [];
    for (const { name } of tables) {
      const t = sql.identifier(name);
      const [row] = await db.admin.execute<{ a: number; b: number }>(sql`
        select count(*) filter (where tenant_id = ${tenantA})::int as a,
          count(*) filter (where tenant_id = ${tenantB})::int as b
        from ${t}`);
      if (!row || row.a === 0 || row.b === 0) {
        missing.push(`fill-tenant.ts writes no row into ${name} (tenant A: ${row?.a ?? 0}, tenant B: ${row?.b ?? 0})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("with no tenant bound, the app reads no row of any tenant table", async () => {
    const leaks: string[] = [];
    for (const { name } of tables) {
      const rows = sql`select 1 from ${sql.identifier(name)}`;
      const plain = await count(db.app, rows);
      if (plain !== 0) leaks.push(`${name}: a plain query reads ${plain} rows`);
      const inTransaction = await db.app.transaction((tx) => count(tx, rows));
      if (inTransaction !== 0) leaks.push(`${name}: a transaction without set_config reads ${inTransaction} rows`);
      const emptySetting = await db.app.transaction(async (tx) => {
        await tx.execute(sql`select set_config('app.tenant_id', '', true)`);
        return count(tx, rows);
      });
      if (emptySetting !== 0) leaks.push(`${name}: app.tenant_id = '' reads ${emptySetting} rows`);
    }
    expect(leaks).toEqual([]);
  });

  it("bound to tenant A, the app reads exactly A's rows", async () => {
    const wrong: string[] = [];
    for (const { name } of tables) {
      const t = sql.identifier(name);
      const [own] = await db.admin.execute<{ n: number }>(
        sql`select count(*)::int as n from ${t} where tenant_id = ${tenantA}`,
      );
      const [seen] = await withTenant(
        tenantA,
        (tx) =>
          tx.execute<{ total: number; others: number }>(sql`
            select count(*)::int as total, count(*) filter (where tenant_id <> ${tenantA})::int as others
            from ${t}`),
        db.app,
      );
      if (seen?.others !== 0) wrong.push(`${name}: tenant A reads ${seen?.others} rows of other tenants`);
      if (!seen || seen.total === 0 || seen.total !== own?.n) {
        wrong.push(`${name}: tenant A reads ${seen?.total} rows, it owns ${own?.n}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("bound to tenant A, the app cannot insert a row of tenant B (RLS, SQLSTATE 42501)", async () => {
    const accepted: string[] = [];
    for (const { name } of tables) {
      const t = sql.identifier(name);
      const [sample] = await db.admin.execute<{ row: string }>(
        sql`select row_to_json(x)::text as row from ${t} as x where x.tenant_id = ${tenantB} limit 1`,
      );
      if (!sample) {
        accepted.push(`${name}: no row of tenant B to copy (fill-tenant.ts writes no row into ${name})`);
        continue;
      }
      // OVERRIDING SYSTEM VALUE keeps identity columns as copied; PostgreSQL accepts it on tables
      // without identity columns too.
      const outcome = await asTenant(
        tenantA,
        sql`insert into ${t} overriding system value select * from json_populate_record(null::${t}, ${sample.row}::json)`,
        false,
      );
      if (outcome.error?.code !== "42501") accepted.push(`${name}: inserting B's row as A ${show(outcome)}`);
    }
    expect(accepted).toEqual([]);
  });

  it("bound to tenant A, the app can neither change nor delete B's rows, nor hand its own rows to B", async () => {
    const wrong: string[] = [];
    // A statement that reaches none of B's rows either touches 0 rows or is refused (42501:
    // not granted, like UPDATE/DELETE on ledger_entries, or the append-only trigger).
    const untouched = (outcome: Outcome) => outcome.count === 0 || outcome.error?.code === "42501";
    for (const { name } of tables) {
      const t = sql.identifier(name);
      const before = await fingerprint(name, tenantB);
      const update = await asTenant(
        tenantA,
        sql`update ${t} set tenant_id = tenant_id where tenant_id = ${tenantB}`,
        true,
      );
      if (!untouched(update)) wrong.push(`${name}: updating B's rows as A ${show(update)}`);
      const remove = await asTenant(tenantA, sql`delete from ${t} where tenant_id = ${tenantB}`, true);
      if (!untouched(remove)) wrong.push(`${name}: deleting B's rows as A ${show(remove)}`);
      const after = await fingerprint(name, tenantB);
      if (after !== before) wrong.push(`${name}: B's rows changed (${before} → ${after})`);
      // Moving A's own (visible) rows to B must fail the policy's WITH CHECK; rolled back regardless.
      const move = await asTenant(
        tenantA,
        sql`update ${t} set tenant_id = ${tenantB} where tenant_id = ${tenantA}`,
        false,
      );
      if (move.error?.code !== "42501") wrong.push(`${name}: moving A's rows to B as A ${show(move)}`);
    }
    expect(wrong).toEqual([]);
  });

  it("the ledger is append-only, even for the superuser", async () => {
    const before = await fingerprint("ledger_entries", tenantA);
    const update = await db.admin
      .execute(sql`update ledger_entries set note = 'changed' where tenant_id = ${tenantA}`)
      .then(
        (result) => ({ count: result.count }),
        (error: unknown) => ({ error: pgError(error) }),
      );
    expect(update).toMatchObject({ error: { code: "42501", message: expect.stringMatching(/append-only/) } });
    const remove = await db.admin.execute(sql`delete from ledger_entries where tenant_id = ${tenantA}`).then(
      (result) => ({ count: result.count }),
      (error: unknown) => ({ error: pgError(error) }),
    );
    expect(remove).toMatchObject({ error: { code: "42501", message: expect.stringMatching(/append-only/) } });
    expect(await fingerprint("ledger_entries", tenantA)).toBe(before);
  });

  it("pos_key_lookup finds a POS key's tenant with no tenant bound, and nothing for an unknown hash", async () => {
    const lookup = (hash: string) =>
      db.app.execute<{ tenant_id: string; key_id: string; location_id: string; revoked_at: Date | null }>(
        sql`select tenant_id, key_id, location_id, revoked_at from pos_key_lookup(${hash})`,
      );
    expect([...(await lookup(filledA.posKeyHash))]).toEqual([
      { tenant_id: tenantA, key_id: filledA.posKeyId, location_id: filledA.locationId, revoked_at: null },
    ]);
    const inTransaction = await db.app.transaction((tx) =>
      tx.execute<{ tenant_id: string }>(sql`select tenant_id from pos_key_lookup(${filledB.posKeyHash})`),
    );
    expect([...inTransaction]).toEqual([{ tenant_id: tenantB }]);
    const unknown = createHash("sha256").update("no such key").digest("hex");
    expect([...(await lookup(unknown))]).toEqual([]);
  });

  it("staff_memberships_of lists a user's tenants with no tenant bound", async () => {
    const memberships = await db.app.execute<{ tenant_id: string; role: string }>(
      sql`select tenant_id, role from staff_memberships_of(${filledA.userId})`,
    );
    expect([...memberships]).toEqual([{ tenant_id: tenantA, role: "owner" }]);
  });
});
