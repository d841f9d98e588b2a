import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  foreignKey,
  index,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, points, tenantIdColumn } from "./columns";
import { guestImportBatches } from "./guest-imports";
import { guests } from "./guests";
import { offers } from "./offers";
import { orders } from "./orders";
import { tenants, users } from "./platform";
import { receipts, refunds } from "./receipts";
import { redemptions } from "./redemptions";

export const ledgerKind = pgEnum("ledger_kind", [
  "welcome_bonus",
  "birthday_bonus",
  "survey_bonus",
  "campaign_bonus",
  "accrual",
  "redemption_hold",
  "redemption_release",
  "refund_reversal",
  "refund_return",
  "expiry",
  "manual_adjustment",
  /** Points brought over from the café's former loyalty system (import_batch_id names the file). */
  "import",
  /** Takes an import's points back when the café undoes that import. */
  "import_undo",
  /** Points added by an offer (points_multiplier, bonus_points); offer_id names it. */
  "offer_points",
  /** A refund taking an offer's points back; offer_id names the offer. */
  "offer_points_reversal",
]);

/**
 * The append-only points ledger (a trigger refuses UPDATE and DELETE). A hold is a negative
 * entry; committing it changes the redemption's status, not the ledger.
 */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity(),
    guestId: uuid("guest_id").notNull(),
    kind: ledgerKind("kind").notNull(),
    delta: points("delta").notNull(),
    receiptId: uuid("receipt_id"),
    refundId: uuid("refund_id"),
    redemptionId: uuid("redemption_id"),
    orderId: uuid("order_id"),
    /** Staff member behind a manual adjustment. */
    actorUserId: uuid("actor_user_id").references(() => users.id),
    note: text("note"),
    /** The guest import whose points these are (kinds import and import_undo). */
    importBatchId: uuid("import_batch_id"),
    /** The offer whose points these are (kinds offer_points and offer_points_reversal). */
    offerId: uuid("offer_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.guestId], foreignColumns: [guests.tenantId, guests.id] }),
    foreignKey({ columns: [t.tenantId, t.receiptId], foreignColumns: [receipts.tenantId, receipts.id] }),
    foreignKey({ columns: [t.tenantId, t.refundId], foreignColumns: [refunds.tenantId, refunds.id] }),
    foreignKey({ columns: [t.tenantId, t.redemptionId], foreignColumns: [redemptions.tenantId, redemptions.id] }),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }),
    foreignKey({
      columns: [t.tenantId, t.importBatchId],
      foreignColumns: [guestImportBatches.tenantId, guestImportBatches.id],
    }),
    foreignKey({ columns: [t.tenantId, t.offerId], foreignColumns: [offers.tenantId, offers.id] }),
    index("ledger_guest_idx").on(t.tenantId, t.guestId, t.id),
    index("ledger_import_batch_idx").on(t.tenantId, t.importBatchId).where(sql`${t.importBatchId} is not null`),
    check("ledger_delta_nonzero", sql`${t.delta} <> 0`),
    // One birthday bonus per guest and birthday year (the note says which: "birthday:2026").
    uniqueIndex("ledger_birthday_once").on(t.tenantId, t.guestId, t.note).where(sql`${t.kind} = 'birthday_bonus'`),
  ],
);
