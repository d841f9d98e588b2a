import { randomInt } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { appDb, type Database, type Tx, withTenant } from "@/db/client";
import { guestImportBatches, guestImportMappings, guestImportRows } from "@/db/schema";
import { recordAudit } from "../../audit/record";
import { AppError } from "../../errors";
import { lockName } from "../../locks";
import { loadProgram } from "../../loyalty/program";
import { newQrSecret } from "../../loyalty/qr";
import { type BalanceMode, type CreateRow, ImportPlanner, type Report, type TierMode, type UpdateRow } from "./plan";
import {
  type ColumnMapping,
  guessPreset,
  IMPORT_FIELDS,
  mappingByNames,
  PRESET_IDS,
  type PresetId,
  presetMapping,
} from "./presets";
import { DEFAULT_LIMITS, type FileRow, type ReadLimits, readGuestFile } from "./read";

export type Batch = typeof guestImportBatches.$inferSelect;
export type Actor = { kind: "staff" | "system"; userId?: string | null; ip?: string | null };
/** How far a job is: rows done of rows in all. */
export type Progress = (done: number, total: number) => void;
export type JobKind = "checking" | "applying";

/** Rows written per statement: big enough to be quick, small enough for one JSON parameter. */
const WRITE_CHUNK = 5_000;
/** A job whose row has not moved for this long died with its server: another may start. */
export const STALE_JOB_SECONDS = 60;

const notFound = () => new AppError("not_found", "No such import", "import_not_found");

/** A new batch for a file about to be read (the upload). Old unapplied batches' rows are dropped. */
export async function createBatch(tx: Tx, input: { tenantId: string; fileName: string; createdBy?: string | null }) {
  // Rows of files checked but never applied are personal data with no use after a week.
  await tx.execute(sql`
    delete from guest_import_rows r using guest_import_batches b
     where b.id = r.batch_id and b.status not in ('applied') and b.created_at < now() - interval '7 days'`);
  const [batch] = await tx
    .insert(guestImportBatches)
    .values({
      tenantId: input.tenantId,
      fileName: input.fileName.slice(0, 200) || "guests",
      createdBy: input.createdBy ?? null,
      status: "reading",
    })
    .returning();
  if (!batch) throw new Error("batch insert returned nothing");
  return batch;
}

/**
 * Reads the file into the batch (its rows kept as text until the batch is applied) in one
 * transaction: a file refused halfway leaves no row behind, only the batch marked failed with
 * the reason as its report's one line. Answers the batch as it then is.
 */
export async function readIntoBatch(
  db: Database,
  tenantId: string,
  batchId: string,
  source: AsyncIterable<Uint8Array>,
  limits: ReadLimits = DEFAULT_LIMITS,
): Promise<Batch> {
  try {
    await withTenant(
      tenantId,
      async (tx) => {
        const result = await readGuestFile(source, (rows) => storeRows(tx, tenantId, batchId, rows), limits);
        await tx
          .update(guestImportBatches)
          .set({
            status: "uploaded",
            format: result.format,
            fileSha256: result.sha256,
            header: result.header,
            rowCount: result.rowCount,
          })
          .where(eq(guestImportBatches.id, batchId));
      },
      db,
    );
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await withTenant(
      tenantId,
      (tx) =>
        tx
          .update(guestImportBatches)
          .set({
            status: "failed",
            report: fileRefusal(error),
          })
          .where(eq(guestImportBatches.id, batchId)),
      db,
    );
  }
  return withTenant(tenantId, (tx) => getBatch(tx, batchId), db);
}

function fileRefusal(error: AppError): Record<string, unknown> {
  const limit = (error.details as { limit?: number } | undefined)?.limit;
  const reason = error.reason ?? "unreadable";
  return {
    rows: 0,
    create: 0,
    update: 0,
    skip: 0,
    reasons: { [reason]: 1 },
    lines: [{ row: null, kind: "skip", reason, value: limit === undefined ? undefined : String(limit) }],
    fileTotal: 0,
    skippedTotal: 0,
  } satisfies Report;
}

async function storeRows(tx: Tx, tenantId: string, batchId: string, rows: FileRow[]) {
  const json = JSON.stringify(rows.map((row) => [row.rowNo, row.cells]));
  await tx.execute(sql`
    insert into guest_import_rows (tenant_id, batch_id, row_no, cells)
    select ${tenantId}::uuid, ${batchId}::uuid, (e->>0)::int, array(select jsonb_array_elements_text(e->1))
      from jsonb_array_elements(${json}::jsonb) e`);
}

export async function getBatch(tx: Tx, batchId: string): Promise<Batch> {
  const [batch] = await tx.select().from(guestImportBatches).where(eq(guestImportBatches.id, batchId));
  if (!batch) throw notFound();
  return batch;
}

/** The café's recent imports, newest first. */
export async function listBatches(tx: Tx, limit = 20) {
  return tx
    .select({
      id: guestImportBatches.id,
      fileName: guestImportBatches.fileName,
      status: guestImportBatches.status,
      rowCount: guestImportBatches.rowCount,
      createdAt: guestImportBatches.createdAt,
      appliedAt: guestImportBatches.appliedAt,
    })
    .from(guestImportBatches)
    .orderBy(desc(guestImportBatches.createdAt))
    .limit(limit);
}

export async function listMappings(tx: Tx) {
  return tx
    .select({
      id: guestImportMappings.id,
      name: guestImportMappings.name,
      columns: guestImportMappings.columns,
      balanceMode: guestImportMappings.balanceMode,
      tierMode: guestImportMappings.tierMode,
    })
    .from(guestImportMappings)
    .orderBy(guestImportMappings.name);
}

export type CheckInput = {
  batchId: string;
  preset: PresetId | "saved";
  mapping: ColumnMapping;
  balanceMode: BalanceMode;
  tierMode: TierMode;
  /** Save this mapping under a name for the café's next file. */
  saveAs?: string;
};

/**
 * Sets the batch's mapping and modes and claims it for a dry run (job "checking"): the caller
 * then runs `checkBatch` once the transaction is committed. A mapping must name a phone, a card
 * or an email column, each column once.
 */
export async function prepareCheck(tx: Tx, tenantId: string, input: CheckInput): Promise<Batch> {
  const batch = await getBatch(tx, input.batchId);
  if (batch.status !== "uploaded" && batch.status !== "checked") {
    throw new AppError("conflict", "This import cannot be checked again", "import_not_checkable");
  }
  const columns = Object.values(input.mapping);
  const width = batch.header?.length ?? 0;
  if (columns.some((column) => column === undefined || column < 0 || column >= width)) {
    throw invalidMapping("A column the file does not have");
  }
  if (new Set(columns).size !== columns.length) throw invalidMapping("A column is mapped twice");
  if (input.mapping.phone === undefined && input.mapping.card === undefined && input.mapping.email === undefined) {
    throw invalidMapping("Map a phone, card or email column");
  }
  assertIdle(batch);
  if (input.saveAs?.trim()) {
    const names = Object.fromEntries(
      IMPORT_FIELDS.filter((field) => input.mapping[field] !== undefined).map((field) => [
        field,
        batch.header?.[input.mapping[field] ?? -1] ?? "",
      ]),
    );
    await tx
      .insert(guestImportMappings)
      .values({
        tenantId,
        name: input.saveAs.trim().slice(0, 60),
        columns: names,
        balanceMode: input.balanceMode,
        tierMode: input.tierMode,
      })
      .onConflictDoUpdate({
        target: [guestImportMappings.tenantId, guestImportMappings.name],
        set: { columns: names, balanceMode: input.balanceMode, tierMode: input.tierMode },
      });
  }
  const [claimed] = await tx
    .update(guestImportBatches)
    .set({
      preset: input.preset,
      mapping: input.mapping,
      balanceMode: input.balanceMode,
      tierMode: input.tierMode,
      ...jobStart("checking", batch.rowCount),
    })
    .where(eq(guestImportBatches.id, batch.id))
    .returning();
  if (!claimed) throw notFound();
  return claimed;
}

const invalidMapping = (message: string) =>
  new AppError("invalid_request", message, "invalid_mapping", [{ path: "mapping", message }]);

/** Refuses a second job on a batch while one is alive. */
function assertIdle(batch: Batch) {
  const alive =
    batch.job !== null &&
    batch.heartbeatAt !== null &&
    Date.now() - batch.heartbeatAt.getTime() < STALE_JOB_SECONDS * 1000;
  if (alive) throw new AppError("conflict", "This import is busy", "import_busy");
}

const jobStart = (job: JobKind, total: number) => ({
  job,
  jobError: null,
  progressDone: 0,
  progressTotal: total,
  heartbeatAt: sql`now()`,
});

/** Claims a batch that was checked for its apply (job "applying"); `applyBatch` then does it. */
export async function prepareApply(tx: Tx, batchId: string): Promise<Batch> {
  const batch = await getBatch(tx, batchId);
  if (batch.status === "applied") throw new AppError("conflict", "This import is applied already", "import_applied");
  if (batch.status !== "checked") throw new AppError("conflict", "Check the file first", "import_not_checked");
  assertIdle(batch);
  const [claimed] = await tx
    .update(guestImportBatches)
    .set(jobStart("applying", batch.rowCount))
    .where(eq(guestImportBatches.id, batch.id))
    .returning();
  if (!claimed) throw notFound();
  return claimed;
}

// ---------------------------------------------------------------------------------------------
// The work: dry run and apply

/** Loads what a plan needs: the café's guests (for matching) and tiers. */
async function planner(tx: Tx, batch: Batch): Promise<ImportPlanner> {
  const program = await loadProgram(tx);
  const rows = await tx.execute<{
    id: string;
    phone: string | null;
    card_code: string;
    email: string | null;
    tier_id: string;
    gone: boolean;
  }>(sql`select id, phone, card_code, lower(email) as email, tier_id,
                (deleted_at is not null or blocked_at is not null) as gone
           from guests`);
  const planning = new ImportPlanner(
    program.tiers.map((tier) => ({ id: tier.id, name: tier.name, minSpend: tier.minSpend })),
    batch.mapping ?? {},
    { balanceMode: batch.balanceMode as BalanceMode, tierMode: batch.tierMode as TierMode },
  );
  for (const row of rows) {
    // A deleted or blocked guest is never matched, but its card number, phone and email stay taken.
    if (row.gone) {
      planning.takenCards.add(row.card_code);
      if (row.phone) planning.closedIdentities.add(`phone:${row.phone}`);
      if (row.email) planning.closedIdentities.add(`email:${row.email}`);
    } else
      planning.addExisting({
        id: row.id,
        phone: row.phone,
        cardCode: row.card_code,
        email: row.email,
        tierId: row.tier_id,
      });
  }
  if (batch.fileSha256) {
    const [earlier] = await tx
      .select({ id: guestImportBatches.id })
      .from(guestImportBatches)
      .where(and(eq(guestImportBatches.fileSha256, batch.fileSha256), eq(guestImportBatches.status, "applied")));
    if (earlier) planning.fileNote("already_imported");
  }
  return planning;
}

/** Plans every row of the batch, in row order, a piece at a time. */
async function planRows(tx: Tx, batch: Batch, planning: ImportPlanner, progress: Progress) {
  const plans: (CreateRow | UpdateRow)[] = [];
  let after = 0;
  let done = 0;
  for (;;) {
    const rows = await tx
      .select({ rowNo: guestImportRows.rowNo, cells: guestImportRows.cells })
      .from(guestImportRows)
      .where(and(eq(guestImportRows.batchId, batch.id), sql`${guestImportRows.rowNo} > ${after}`))
      .orderBy(guestImportRows.rowNo)
      .limit(20_000);
    if (rows.length === 0) break;
    for (const row of rows) {
      const plan = planning.plan(row.rowNo, row.cells);
      if (plan) plans.push(plan);
    }
    after = rows[rows.length - 1]?.rowNo ?? after;
    done += rows.length;
    progress(done, batch.rowCount);
  }
  return plans;
}

/**
 * The dry run: plans every row and stores the report (created, updated, skipped and why), the
 * file's total and the batch as "checked". Writes nothing else.
 */
export async function checkBatch(db: Database, tenantId: string, batchId: string, progress: Progress = () => {}) {
  return withTenant(
    tenantId,
    async (tx) => {
      const batch = await getBatch(tx, batchId);
      const planning = await planner(tx, batch);
      await planRows(tx, batch, planning, progress);
      const report = planning.report();
      const [checked] = await tx
        .update(guestImportBatches)
        .set({ status: "checked", report, fileTotal: report.fileTotal, job: null, heartbeatAt: sql`now()` })
        .where(eq(guestImportBatches.id, batchId))
        .returning();
      return { batch: checked as Batch, report };
    },
    db,
  );
}

/**
 * Applies a checked batch as one transaction: plans again under a lock on the file's hash (the
 * café's guests may have changed since the dry run), creates and updates the guests, writes each
 * balance change as a ledger entry of kind "import" naming the batch, records the consent the
 * café had (channel "import", this batch), and checks the reconciliation — the file's points
 * equal the ledger's, to the point — before it commits. Any failure rolls all of it back.
 * Two applies of the same file (one batch twice, or two uploads of it) apply it once: the
 * second waits on the lock and is then refused (import_applied, already_imported).
 */
export async function applyBatch(
  db: Database,
  tenantId: string,
  batchId: string,
  actor: Actor,
  progress: Progress = () => {},
) {
  return withTenant(
    tenantId,
    async (tx) => {
      const first = await getBatch(tx, batchId);
      if (!first.fileSha256) throw new AppError("conflict", "Check the file first", "import_not_checked");
      await lockName(tx, `guest-import:${tenantId}:${first.fileSha256}`);
      const batch = await getBatch(tx, batchId);
      if (batch.status === "applied")
        throw new AppError("conflict", "This import is applied already", "import_applied");
      if (batch.status !== "checked") throw new AppError("conflict", "Check the file first", "import_not_checked");
      const [twin] = await tx
        .select({ id: guestImportBatches.id })
        .from(guestImportBatches)
        .where(and(eq(guestImportBatches.fileSha256, first.fileSha256), eq(guestImportBatches.status, "applied")));
      if (twin) throw new AppError("conflict", "This file was imported already", "already_imported");

      const planning = await planner(tx, batch);
      const total = batch.rowCount * 2;
      const plans = await planRows(tx, batch, planning, (done) => progress(done, total));
      const report = planning.report();
      const creates = plans.filter((plan): plan is CreateRow => plan.action === "create");
      const updates = plans.filter((plan): plan is UpdateRow => plan.action === "update");
      const written = { done: batch.rowCount };
      const step = (rows: number) => {
        written.done += rows;
        progress(Math.min(written.done, total), total);
      };

      const before = await lockUpdated(tx, updates);
      const lowestTier = (await loadProgram(tx)).tiers[0]?.id;
      if (!lowestTier) throw new Error("The café's programme has no tier");
      await insertCreated(tx, tenantId, batch.id, creates, planning.takenCards, lowestTier, step);
      const balancesBefore = await updateMatched(tx, tenantId, batch, updates, before, step);

      const [{ ledger_total: ledgerTotal = 0 } = {}] = await tx.execute<{ ledger_total: number }>(
        sql`select coalesce(sum(delta), 0)::bigint as ledger_total from ledger_entries where import_batch_id = ${batch.id}`,
      );
      const ledger = Number(ledgerTotal);
      // add: the ledger holds the file's points; set: the balances before plus the ledger are the file's.
      const expected = batch.balanceMode === "set" ? report.fileTotal - balancesBefore : report.fileTotal;
      if (ledger !== expected) {
        throw new AppError(
          "conflict",
          `Reconciliation failed: the file holds ${report.fileTotal} points, the ledger ${ledger}`,
          "reconciliation_failed",
        );
      }
      await tx.delete(guestImportRows).where(eq(guestImportRows.batchId, batch.id));
      const stored = { ...report, ledgerTotal: ledger, balancesBefore };
      const [applied] = await tx
        .update(guestImportBatches)
        .set({
          status: "applied",
          report: stored,
          fileTotal: report.fileTotal,
          ledgerTotal: ledger,
          reconciled: true,
          appliedAt: sql`now()`,
          job: null,
          jobError: null,
          progressDone: total,
          progressTotal: total,
          heartbeatAt: sql`now()`,
        })
        .where(eq(guestImportBatches.id, batch.id))
        .returning();
      await recordAudit(tx, {
        tenantId,
        actorKind: actor.kind,
        actorUserId: actor.userId ?? null,
        ip: actor.ip ?? null,
        action: "guests.import_applied",
        targetType: "guest_import",
        targetId: batch.id,
        meta: {
          file: batch.fileName,
          sha256: batch.fileSha256,
          created: report.create,
          updated: report.update,
          skipped: report.skip,
          fileTotal: report.fileTotal,
          ledgerTotal: ledger,
          balanceMode: batch.balanceMode,
        },
      });
      return { batch: applied as Batch, report: stored };
    },
    db,
  );
}

/** Locks the guests an apply updates, in id order, and reads their balances and tiers under the lock. */
async function lockUpdated(tx: Tx, updates: UpdateRow[]) {
  const locked = new Map<string, { balance: number; tierId: string; minSpend: number }>();
  const ids = updates.map((row) => row.guestId).sort();
  for (let at = 0; at < ids.length; at += WRITE_CHUNK) {
    const json = JSON.stringify(ids.slice(at, at + WRITE_CHUNK));
    const rows = await tx.execute<{ id: string; balance: number; tier_id: string; min_spend: number }>(sql`
      select g.id, g.balance, g.tier_id, t.min_spend
        from guests g join loyalty_tiers t on t.id = g.tier_id
       where g.id in (select value::uuid from jsonb_array_elements_text(${json}::jsonb))
       order by g.id
         for update of g`);
    for (const row of rows) {
      locked.set(row.id, { balance: row.balance, tierId: row.tier_id, minSpend: Number(row.min_spend) });
    }
  }
  return locked;
}

/** A printed card code like the till's (9 digits, never starting with 0), not taken yet. */
function freshCardCode(taken: Set<string>): string {
  for (;;) {
    const code = `${randomInt(1, 10)}${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
    if (!taken.has(code)) {
      taken.add(code);
      return code;
    }
  }
}

async function insertCreated(
  tx: Tx,
  tenantId: string,
  batchId: string,
  creates: CreateRow[],
  takenCards: Set<string>,
  lowestTier: string,
  step: (rows: number) => void,
) {
  for (let at = 0; at < creates.length; at += WRITE_CHUNK) {
    const piece = creates.slice(at, at + WRITE_CHUNK).map((row) => ({
      phone: row.phone,
      email: row.email,
      name: row.name,
      birthday: row.birthday,
      card: row.cardCode ?? freshCardCode(takenCards),
      qr: newQrSecret(),
      tier: row.tierId ?? lowestTier,
      balance: row.balance ?? 0,
      paid: row.lifetimePaid ?? 0,
      marketing: row.marketing,
    }));
    const json = JSON.stringify(piece);
    // Balance and ledger are written by the same statement: the balance equals the ledger's sum.
    await tx.execute(sql`
      with input as (
        select gen_random_uuid() as id, x.*
          from jsonb_to_recordset(${json}::jsonb) as x(phone text, email text, name text, birthday date, card text,
               qr text, tier uuid, balance int, paid bigint, marketing boolean)
      ),
      created as (
        insert into guests (tenant_id, id, phone, email, name, birthday, card_code, qr_secret, tier_id, balance,
                            lifetime_paid, marketing_opt_in, import_batch_id)
        select ${tenantId}::uuid, id, phone, email, name, birthday, card, qr, tier, balance, paid, marketing, ${batchId}::uuid
          from input
        returning id, balance, marketing_opt_in
      ),
      points as (
        insert into ledger_entries (tenant_id, guest_id, kind, delta, import_batch_id, note)
        select ${tenantId}::uuid, id, 'import'::ledger_kind, balance, ${batchId}::uuid, 'import' from created where balance <> 0
      )
      insert into guest_consents (tenant_id, guest_id, kind, granted, channel, text_version, import_batch_id)
      select ${tenantId}::uuid, id, 'personal_data'::consent_kind, true, 'import'::consent_channel, ${IMPORTED_CONSENT}, ${batchId}::uuid
        from created
      union all
      select ${tenantId}::uuid, id, 'marketing'::consent_kind, true, 'import'::consent_channel, ${IMPORTED_CONSENT}, ${batchId}::uuid
        from created
       where marketing_opt_in`);
    step(piece.length);
  }
}

/** The text version of a consent brought with a guest file: the café's own, given before Zerno. */
export const IMPORTED_CONSENT = "cafe-before-import";

/** Moves the matched guests' balances (add or set), fills their empty fields, raises their tier. */
async function updateMatched(
  tx: Tx,
  tenantId: string,
  batch: Batch,
  updates: UpdateRow[],
  locked: Map<string, { balance: number; tierId: string; minSpend: number }>,
  step: (rows: number) => void,
): Promise<number> {
  const program = await loadProgram(tx);
  const minSpendOf = new Map(program.tiers.map((tier) => [tier.id, tier.minSpend]));
  let balancesBefore = 0;
  for (let at = 0; at < updates.length; at += WRITE_CHUNK) {
    const piece = updates.slice(at, at + WRITE_CHUNK).map((row) => {
      const current = locked.get(row.guestId);
      if (!current) throw new AppError("conflict", "A guest changed during the import", "import_guest_changed");
      let delta = 0;
      if (row.balance !== null) {
        delta = batch.balanceMode === "set" ? row.balance - current.balance : row.balance;
        if (batch.balanceMode === "set") balancesBefore += current.balance;
      }
      // A tier only rises with an import: what the guest has here is kept when it is higher.
      const offered = row.tierId ? (minSpendOf.get(row.tierId) ?? -1) : -1;
      return {
        id: row.guestId,
        delta,
        name: row.name,
        email: row.email,
        birthday: row.birthday,
        tier: offered > current.minSpend ? row.tierId : null,
        paid: row.lifetimePaid,
      };
    });
    const json = JSON.stringify(piece);
    await tx.execute(sql`
      with input as (
        select * from jsonb_to_recordset(${json}::jsonb)
          as x(id uuid, delta int, name text, email text, birthday date, tier uuid, paid bigint)
      ),
      points as (
        insert into ledger_entries (tenant_id, guest_id, kind, delta, import_batch_id, note)
        select ${tenantId}::uuid, id, 'import'::ledger_kind, delta, ${batch.id}::uuid, ${`import:${batch.balanceMode}`}
          from input where delta <> 0
      )
      update guests g
         set balance = g.balance + i.delta,
             name = coalesce(g.name, i.name),
             email = coalesce(g.email, i.email),
             birthday = coalesce(g.birthday, i.birthday),
             tier_id = coalesce(i.tier, g.tier_id),
             lifetime_paid = greatest(g.lifetime_paid, coalesce(i.paid, 0)),
             updated_at = now()
        from input i
       where g.id = i.id`);
    step(piece.length);
  }
  return balancesBefore;
}

// ---------------------------------------------------------------------------------------------
// Undo

/**
 * Undoes an applied import in one transaction, while no guest it touched has spent points since
 * (a negative ledger entry after the import's — a redemption, a hold, an expiry — refuses it:
 * points_spent): each guest gets a compensating "import_undo" entry (the ledger is append-only),
 * and the guests the import created, untouched since, are taken away (personal fields erased,
 * like a deleted account). Tiers the import raised and fields it filled stay.
 */
export async function undoBatch(tx: Tx, tenantId: string, batchId: string, actor: Actor) {
  const first = await getBatch(tx, batchId);
  if (first.fileSha256) await lockName(tx, `guest-import:${tenantId}:${first.fileSha256}`);
  const batch = await getBatch(tx, batchId);
  if (batch.status !== "applied")
    throw new AppError("conflict", "Only an applied import can be undone", "import_not_applied");
  // Guests locked in id order (as every multi-guest change here) before anything is checked: a
  // receipt spending imported points cannot slip in between the check and the undo.
  await tx.execute(sql`
    select id from guests
     where id in (select guest_id from ledger_entries where import_batch_id = ${batch.id})
     order by id for update`);
  const [spent] = await tx.execute<{ guests: number }>(sql`
    with mine as (select guest_id, id from ledger_entries where import_batch_id = ${batch.id})
    select count(distinct l.guest_id)::int as guests
      from ledger_entries l
     where l.guest_id in (select guest_id from mine)
       and l.id > (select max(id) from mine)
       and l.delta < 0`);
  if ((spent?.guests ?? 0) > 0) {
    throw new AppError("conflict", `${spent?.guests} guests have spent points since the import`, "points_spent", {
      guests: spent?.guests,
    });
  }
  const [moved] = await tx.execute<{ guests: number; points: number }>(sql`
    with totals as (
      select guest_id, sum(delta)::int as total from ledger_entries
       where import_batch_id = ${batch.id} and kind = 'import' group by guest_id having sum(delta) <> 0
    ),
    back as (
      insert into ledger_entries (tenant_id, guest_id, kind, delta, import_batch_id, note)
      select ${tenantId}::uuid, guest_id, 'import_undo'::ledger_kind, -total, ${batch.id}::uuid, 'import undone' from totals
    ),
    moved as (
      update guests g set balance = g.balance - t.total, updated_at = now() from totals t where g.id = t.guest_id
      returning t.total
    )
    select count(*)::int as guests, coalesce(sum(total), 0)::int as points from moved`);
  const removed = await tx.execute<{ id: string }>(sql`
    update guests g
       set name = null, phone = null, email = null, birthday = null, marketing_opt_in = false,
           card_code = 'undone-' || g.id::text, blocked_at = now(), deleted_at = now(), updated_at = now()
     where g.import_batch_id = ${batch.id} and g.deleted_at is null
       and not exists (select 1 from ledger_entries l
                        where l.guest_id = g.id and l.import_batch_id is distinct from ${batch.id})
       and not exists (select 1 from receipts r where r.guest_id = g.id)
       and not exists (select 1 from orders o where o.guest_id = g.id)
    returning g.id`);
  const [undone] = await tx
    .update(guestImportBatches)
    .set({ status: "undone", undoneAt: sql`now()` })
    .where(eq(guestImportBatches.id, batch.id))
    .returning();
  await recordAudit(tx, {
    tenantId,
    actorKind: actor.kind,
    actorUserId: actor.userId ?? null,
    ip: actor.ip ?? null,
    action: "guests.import_undone",
    targetType: "guest_import",
    targetId: batch.id,
    meta: { file: batch.fileName, guests: moved?.guests ?? 0, points: moved?.points ?? 0, removed: removed.length },
  });
  return { batch: undone as Batch, guests: moved?.guests ?? 0, points: moved?.points ?? 0, removed: removed.length };
}

// ---------------------------------------------------------------------------------------------
// Jobs: progress in the batch row, for the page that polls it and for the CLI's bar

/**
 * Runs a claimed job (`prepareCheck` or `prepareApply` set it) and keeps its progress in the
 * batch row from a connection of its own, about twice a second, since the work's transaction is
 * invisible to others until it commits. A failure clears the job and records its reason; the
 * work's own transaction has rolled back, so nothing of it remains.
 */
export async function runJob<T>(
  db: Database,
  tenantId: string,
  batchId: string,
  work: (progress: Progress) => Promise<T>,
  onProgress: Progress = () => {},
): Promise<T> {
  let current: [number, number] = [0, 0];
  let flushing: Promise<unknown> | null = null;
  // Every half second, also while one long statement runs: the heartbeat says the job lives.
  const timer = setInterval(() => {
    if (flushing) return;
    const [done, total] = current;
    flushing = withTenant(
      tenantId,
      (tx) =>
        tx
          .update(guestImportBatches)
          .set({ progressDone: done, progressTotal: total, heartbeatAt: sql`now()` })
          .where(and(eq(guestImportBatches.id, batchId), sql`${guestImportBatches.job} is not null`)),
      db,
    )
      .catch(() => {})
      .finally(() => {
        flushing = null;
      });
  }, 500);
  const stop = async () => {
    clearInterval(timer);
    await flushing;
  };
  try {
    const result = await work((done, total) => {
      current = [done, total];
      onProgress(done, total);
    });
    await stop();
    return result;
  } catch (error) {
    await stop();
    await withTenant(
      tenantId,
      (tx) =>
        tx
          .update(guestImportBatches)
          .set({ job: null, jobError: failureReason(error) })
          .where(eq(guestImportBatches.id, batchId)),
      db,
    );
    throw error;
  }
}

/** The reason code a failed job leaves for the page. */
function failureReason(error: unknown): string {
  if (error instanceof AppError) return error.reason ?? error.code;
  // A unique key hit: a guest with one of the file's phones, cards or emails appeared meanwhile.
  if ((error as { code?: string }).code === "23505") return "guests_changed";
  return "internal_error";
}

/** Starts a claimed job in the background of this server; its outcome is in the batch row. */
export function startJobInBackground(run: () => Promise<unknown>): void {
  run().catch(() => {
    // Recorded in the batch row by runJob; nothing more to do here.
  });
}

// ---------------------------------------------------------------------------------------------
// What the page shows

/** A batch as the page shows it, with the mapping to offer while it is not applied yet. */
export async function batchView(tx: Tx, batchId: string) {
  const batch = await getBatch(tx, batchId);
  const header = batch.header ?? [];
  const running =
    batch.job !== null &&
    batch.heartbeatAt !== null &&
    Date.now() - batch.heartbeatAt.getTime() < STALE_JOB_SECONDS * 1000;
  const saved = (await listMappings(tx)).map((mapping) => ({
    name: mapping.name,
    mapping: mappingByNames(mapping.columns, header),
    balanceMode: mapping.balanceMode as BalanceMode,
    tierMode: mapping.tierMode as TierMode,
  }));
  const guessed = guessPreset(header);
  return {
    id: batch.id,
    fileName: batch.fileName,
    format: batch.format,
    status: batch.status,
    header,
    rowCount: batch.rowCount,
    preset: (batch.preset as PresetId | "saved" | null) ?? guessed,
    mapping: batch.mapping ?? presetMapping(guessed, header),
    balanceMode: batch.balanceMode as BalanceMode,
    tierMode: batch.tierMode as TierMode,
    /** Each preset's mapping of this header, for the page's preset picker. */
    presets: Object.fromEntries(PRESET_IDS.map((id) => [id, presetMapping(id, header)])) as Record<
      PresetId,
      ColumnMapping
    >,
    saved,
    report: batch.report as (Report & { ledgerTotal?: number; balancesBefore?: number }) | null,
    fileTotal: batch.fileTotal,
    ledgerTotal: batch.ledgerTotal,
    reconciled: batch.reconciled,
    job: running ? (batch.job as JobKind) : null,
    /** A job whose server stopped answering: the page offers to run it again. */
    interrupted: batch.job !== null && !running,
    progress: { done: batch.progressDone, total: batch.progressTotal },
    jobError: batch.jobError,
    createdAt: batch.createdAt,
    appliedAt: batch.appliedAt,
    undoneAt: batch.undoneAt,
  };
}

/** readIntoBatch on the app's pool, for the upload route (a batch beginUpload made). */
export function readUploadIntoBatch(
  tenantId: string,
  batchId: string,
  source: AsyncIterable<Uint8Array>,
): Promise<Batch> {
  return readIntoBatch(appDb(), tenantId, batchId, source);
}
