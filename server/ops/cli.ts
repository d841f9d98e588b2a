// npm run zerno -- <command>: the operator's CLI. Uses DATABASE_URL, or the embedded PostgreSQL
// under DATA_DIR (the running demo's, if one is up). Results go to stdout, progress to stderr.
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import { type Database, openDatabase, withTenant } from "@/db/client";
import { tenants } from "@/db/schema";
import { seed } from "@/db/seed";
import { EnvError, env } from "../env";
import { AppError } from "../errors";
import { grantBirthdayBonuses } from "../loyalty/birthday";
import { expireInactivePoints } from "../loyalty/expiry";
import { releaseExpiredHolds } from "../loyalty/sweeper";
import { createPosKey, listPosKeys, revokePosKey } from "../pos/keys";
import { tenantsReport } from "../tenants/report";
import { openOpsDatabase } from "./database";

const USAGE = `Usage: npm run zerno -- <command> [options]

Commands:
  migrate                                   apply the committed migrations
  seed                                      create the demo tenants (idempotent)
  tenants list                              list tenants: plan, subscription status, access, open
                                            locations and last receipt (UTC)
  pos-keys create --tenant T --location L [--name N]
                                            create a POS key; the key alone is the last line of stdout
  pos-keys list --tenant T                  list a tenant's keys (prefixes, never the keys)
  pos-keys revoke --tenant T --key ID|PREFIX
                                            revoke a key; it answers 401 from then on
  check-ledger                              compare every guest's balance with the sum of their ledger;
                                            exits 1 on any mismatch
  release-holds                             release holds whose time ran out (the server does it every 30 s)
  expire-points                             expire the points of guests inactive past the program's limit
  birthday-bonuses                          give the birthday bonus to guests in their birthday week
                                            (once per birthday year; the server does it every hour)
`;

const OPERATOR = { actorKind: "system" as const, actorUserId: null };

type Options = { tenant?: string; location?: string; name?: string; key?: string };

const commands: Record<string, (db: Database, admin: Database, options: Options) => Promise<number>> = {
  migrate: async () => {
    console.log("Migrations applied.");
    return 0;
  },
  seed: async (db) => {
    const result = await seed(db);
    for (const tenant of result.tenants)
      console.log(`${tenant.slug}\t${tenant.created ? "created" : "already present"}`);
    return 0;
  },
  "tenants list": async (_db, admin) => {
    const rows = await tenantsReport(admin);
    console.log(["slug", "name", "plan", "status", "access", "locations", "last receipt"].join("\t"));
    for (const row of rows) {
      const last = row.lastReceiptAt ? row.lastReceiptAt.toISOString().slice(0, 16).replace("T", " ") : "—";
      console.log([row.slug, row.name, row.plan, row.status, row.access, row.locations, last].join("\t"));
    }
    return 0;
  },
  "pos-keys create": async (db, _admin, options) => {
    const tenantId = await requireTenant(db, options.tenant);
    const location = required(options.location, "--location");
    const created = await withTenant(
      tenantId,
      (tx) =>
        createPosKey(tx, {
          tenantId,
          locationSlug: location,
          name: options.name ?? `POS ${location}`,
          actor: OPERATOR,
        }),
      db,
    );
    console.error(
      `Created key ${created.id} (${created.prefix}…) for ${options.tenant}/${location}. It is shown once:`,
    );
    console.log(created.key);
    return 0;
  },
  "pos-keys list": async (db, _admin, options) => {
    const tenantId = await requireTenant(db, options.tenant);
    const keys = await withTenant(tenantId, (tx) => listPosKeys(tx), db);
    for (const key of keys) {
      const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : "active";
      const lastUsed = key.lastUsedAt ? key.lastUsedAt.toISOString() : "never used";
      console.log([key.id, `${key.prefix}…`, key.location, key.name, state, lastUsed].join("\t"));
    }
    return 0;
  },
  "pos-keys revoke": async (db, _admin, options) => {
    const tenantId = await requireTenant(db, options.tenant);
    const key = required(options.key, "--key");
    const revoked = await withTenant(tenantId, (tx) => revokePosKey(tx, { tenantId, key, actor: OPERATOR }), db);
    console.log(`Revoked ${revoked.id} (${revoked.prefix}…, ${revoked.name}).`);
    return 0;
  },
  "release-holds": async (db) => {
    console.log(`${await releaseExpiredHolds(db)} guests' expired holds released.`);
    return 0;
  },
  "expire-points": async (db) => {
    for (const [slug, count] of Object.entries(await expireInactivePoints(db))) console.log(`${slug}\t${count}`);
    return 0;
  },
  "birthday-bonuses": async (db) => {
    for (const [slug, count] of Object.entries(await grantBirthdayBonuses(db))) console.log(`${slug}\t${count}`);
    return 0;
  },
  "check-ledger": async (_db, admin) => {
    // Across all tenants, so it runs as the migrating role rather than under one tenant's RLS.
    const mismatches = await admin.execute<{ slug: string; guest_id: string; balance: number; ledger_sum: number }>(sql`
      select t.slug, g.id as guest_id, g.balance, coalesce(l.sum, 0)::int as ledger_sum
      from guests g
      join tenants t on t.id = g.tenant_id
      left join (select tenant_id, guest_id, sum(delta) as sum from ledger_entries group by 1, 2) l
        on l.tenant_id = g.tenant_id and l.guest_id = g.id
      where g.balance <> coalesce(l.sum, 0)`);
    const [{ guests = 0 } = {}] = await admin.execute<{ guests: number }>(
      sql`select count(*)::int as guests from guests`,
    );
    for (const row of mismatches) {
      console.log(`MISMATCH ${row.slug} guest ${row.guest_id}: balance ${row.balance}, ledger ${row.ledger_sum}`);
    }
    console.log(`${guests} guests checked, ${mismatches.length} mismatches.`);
    return mismatches.length === 0 ? 0 : 1;
  },
};

function required(value: string | undefined, flag: string): string {
  if (!value) throw new AppError("invalid_request", `${flag} is required`);
  return value;
}

async function requireTenant(db: Database, slug: string | undefined): Promise<string> {
  const [tenant] = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(eq(tenants.slug, required(slug, "--tenant")));
  if (!tenant) throw new AppError("not_found", `No tenant ${slug}`);
  return tenant.id;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      tenant: { type: "string" },
      location: { type: "string" },
      name: { type: "string" },
      key: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const name = positionals.join(" ");
  const command = commands[name];
  if (values.help || !command) {
    (command || values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const database = await openOpsDatabase(env(), { log: () => {} });
  const app = openDatabase(database.appUrl, { max: 2 });
  const admin = openDatabase(database.adminUrl, { max: 1 });
  try {
    return await command(app.db, admin.db, values);
  } finally {
    await Promise.all([app.client.end(), admin.client.end()]);
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof AppError || error instanceof EnvError ? `Error: ${error.message}` : error);
    process.exit(1);
  },
);
