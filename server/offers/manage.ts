import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guests, locations, offers, receipts, offerUses as uses } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { isUuid } from "./store";
import type { OfferActor, OfferInput, OfferRow, OfferStatus } from "./types";

export { titleIn } from "./store";

// The back-office's side of offers: making, changing, pausing and archiving them, and what each
// has done (uses, guests, discount given, revenue of those checks). Every change is audited.

/** Promo codes people read aloud and type: letters (Latin or Cyrillic), digits, - and _. */
const CODE_PATTERN = /^[\p{L}\p{N}_-]{3,32}$/u;

type Problem = { path: string; message: string };

const offerNotFound = () => new AppError("not_found", "No offer with this id", "offer_not_found");

/** The offer (404 offer_not_found for an unknown id or another café's). */
export async function getOffer(tx: Tx, offerId: string): Promise<OfferRow> {
  if (!isUuid(offerId)) throw offerNotFound();
  const [offer] = await tx.select().from(offers).where(eq(offers.id, offerId));
  if (!offer) throw offerNotFound();
  return offer;
}

/** Checks a whole offer (a new one, or an old one with a patch applied); 400 naming the fields. */
async function validate(tx: Tx, input: OfferInput, current?: OfferRow): Promise<void> {
  const problems: Problem[] = [];
  const need = (ok: boolean, path: string, message: string) => {
    if (!ok) problems.push({ path, message });
  };
  need(Number.isSafeInteger(input.value) && input.value > 0, "value", "A positive whole number");
  if (input.kind === "percent_off") need(input.value <= 100, "value", "At most 100 %");
  if (input.kind === "points_multiplier") need(input.value >= 2 && input.value <= 10, "value", "From ×2 to ×10");
  if (input.kind === "free_item") {
    need(
      (input.skus?.length ?? 0) + (input.categories?.length ?? 0) > 0 || input.source === "usual_plus_one",
      "skus",
      "Name the item that is free",
    );
  }
  need(
    Object.values(input.title).some((title) => Boolean(title?.trim())),
    "title",
    "Give the offer a title",
  );
  need((input.minCheck ?? 0) >= 0 && Number.isSafeInteger(input.minCheck ?? 0), "minCheck", "Zero or more");
  if (input.perGuestLimit != null) need(input.perGuestLimit >= 1, "perGuestLimit", "At least 1, or no limit");
  if (input.totalLimit != null) {
    need(input.totalLimit >= 1, "totalLimit", "At least 1, or no limit");
    if (current) need(input.totalLimit >= current.usesCount, "totalLimit", `Already used ${current.usesCount} times`);
  }
  if (input.grantDays != null) need(input.grantDays >= 1, "grantDays", "At least one day");
  if (input.validFrom && input.validUntil) need(input.validUntil > input.validFrom, "validUntil", "After the start");
  if (input.source === "code") {
    need(Boolean(input.code && CODE_PATTERN.test(input.code.trim())), "code", "3 to 32 letters, digits, - or _");
  } else {
    need(!input.code, "code", "Only promo-code offers have a code");
  }
  if (input.locationIds?.length) {
    const found = await tx
      .select({ id: locations.id })
      .from(locations)
      .where(inArray(locations.id, input.locationIds.filter(isUuid)));
    need(found.length === new Set(input.locationIds).size, "locationIds", "Unknown location");
  }
  if (problems.length > 0) throw new AppError("invalid_request", "The offer is not valid", undefined, problems);
  if (input.code) {
    const [taken] = await tx
      .select({ id: offers.id })
      .from(offers)
      .where(
        and(
          sql`lower(${offers.code}) = lower(${input.code.trim()})`,
          current ? sql`${offers.id} <> ${current.id}` : undefined,
        ),
      );
    if (taken) {
      throw new AppError("unprocessable", "Another offer of the café has this code", "code_taken", [
        { path: "code", message: "Taken" },
      ]);
    }
  }
}

function columnsOf(input: OfferInput) {
  return {
    kind: input.kind,
    value: input.kind === "free_item" ? 1 : input.value,
    skus: input.skus ?? [],
    categories: input.categories ?? [],
    requiredSkus: input.requiredSkus ?? [],
    title: input.title,
    description: input.description ?? {},
    validFrom: input.validFrom ?? new Date(),
    validUntil: input.validUntil ?? null,
    minCheck: input.minCheck ?? 0,
    perGuestLimit: input.perGuestLimit === undefined ? 1 : input.perGuestLimit,
    totalLimit: input.totalLimit ?? null,
    locationIds: input.locationIds ?? [],
    source: input.source,
    code: input.source === "code" ? (input.code?.trim() ?? null) : null,
    grantDays: input.grantDays ?? null,
  };
}

/** A code taken by a concurrent create (the unique index on lower(code)) as the form's 422. */
async function catchingCodeTaken<T>(tx: Tx, write: (inner: Tx) => Promise<T>): Promise<T> {
  try {
    // A savepoint, so the café's transaction survives the refused insert and answers 422.
    return await tx.transaction((inner) => write(inner as Tx));
  } catch (error) {
    const failure = error as { constraint_name?: string; cause?: { constraint_name?: string } };
    if ((failure.cause?.constraint_name ?? failure.constraint_name) === "offers_code_key") {
      throw new AppError("unprocessable", "Another offer of the café has this code", "code_taken", [
        { path: "code", message: "Taken" },
      ]);
    }
    throw error;
  }
}

/** Makes an offer (audited). 400 naming the field; 422 code_taken for a code the café uses. */
export async function createOffer(tx: Tx, actor: OfferActor, input: OfferInput): Promise<OfferRow> {
  await validate(tx, input);
  const row = await catchingCodeTaken(tx, async (inner) => {
    const [created] = await inner
      .insert(offers)
      .values({ tenantId: actor.tenantId, ...columnsOf(input), createdBy: actor.userId })
      .returning();
    return created as OfferRow;
  });
  await recordAudit(tx, {
    tenantId: actor.tenantId,
    actorKind: actor.userId ? "staff" : "system",
    actorUserId: actor.userId,
    ip: actor.ip ?? null,
    action: "offer.created",
    targetType: "offer",
    targetId: row.id,
    meta: auditMeta(row),
  });
  return row;
}

/**
 * Changes an offer (audited). Its kind, source and code stay as they are once it has been used
 * (422 offer_in_use): the uses recorded must keep meaning what they meant. A total limit below
 * the uses already taken is refused (400 totalLimit). An archived offer is not changed (422).
 */
export async function updateOffer(
  tx: Tx,
  actor: OfferActor,
  offerId: string,
  patch: Partial<OfferInput>,
): Promise<OfferRow> {
  const [current] = await tx
    .select()
    .from(offers)
    .where(eq(offers.id, isUuid(offerId) ? offerId : "00000000-0000-0000-0000-000000000000"))
    .for("update");
  if (!current) throw offerNotFound();
  if (current.status === "archived") {
    throw new AppError("unprocessable", "An archived offer is kept as it was", "offer_archived");
  }
  const merged: OfferInput = { ...rowAsInput(current), ...patch };
  const hasUses = (await tx.select({ id: uses.id }).from(uses).where(eq(uses.offerId, current.id)).limit(1)).length > 0;
  if (
    hasUses &&
    (merged.kind !== current.kind ||
      merged.source !== current.source ||
      (merged.code ?? null)?.toLowerCase() !== current.code?.toLowerCase())
  ) {
    throw new AppError("unprocessable", "The offer has been used: its kind, source and code stay", "offer_in_use");
  }
  await validate(tx, merged, current);
  const row = await catchingCodeTaken(tx, async (inner) => {
    const [updated] = await inner
      .update(offers)
      .set({ ...columnsOf(merged), updatedAt: sql`now()` })
      .where(eq(offers.id, current.id))
      .returning();
    return updated as OfferRow;
  });
  await recordAudit(tx, {
    tenantId: actor.tenantId,
    actorKind: actor.userId ? "staff" : "system",
    actorUserId: actor.userId,
    ip: actor.ip ?? null,
    action: "offer.updated",
    targetType: "offer",
    targetId: row.id,
    meta: { before: auditMeta(current), after: auditMeta(row) },
  });
  return row;
}

/** Pauses, resumes or archives an offer (audited); archived is final (422 offer_archived). */
export async function setOfferStatus(
  tx: Tx,
  actor: OfferActor,
  offerId: string,
  status: OfferStatus,
): Promise<OfferRow> {
  const current = await getOffer(tx, offerId);
  if (current.status === status) return current;
  if (current.status === "archived") {
    throw new AppError("unprocessable", "An archived offer cannot be brought back", "offer_archived");
  }
  const [row] = await tx
    .update(offers)
    .set({ status, updatedAt: sql`now()` })
    .where(eq(offers.id, current.id))
    .returning();
  await recordAudit(tx, {
    tenantId: actor.tenantId,
    actorKind: actor.userId ? "staff" : "system",
    actorUserId: actor.userId,
    ip: actor.ip ?? null,
    action: "offer.status_changed",
    targetType: "offer",
    targetId: current.id,
    meta: { from: current.status, to: status, code: current.code },
  });
  return row as OfferRow;
}

export type OfferStats = {
  /** Uses by checks (not given back by a refund). */
  uses: number;
  /** Uses held by open online orders. */
  held: number;
  /** Distinct guests among the uses. */
  guests: number;
  /** Money the offer took off those checks (minor units). */
  discount: number;
  /** The totals of those checks (what was paid, before points; minor units). */
  revenue: number;
  /** Points the offer added, less those taken back by refunds. */
  points: number;
};

const statsColumns = {
  uses: sql<number>`count(*) filter (where ${uses.status} = 'used')::int`,
  held: sql<number>`count(*) filter (where ${uses.status} = 'held')::int`,
  guests: sql<number>`count(distinct ${uses.guestId}) filter (where ${uses.status} = 'used')::int`,
  discount: sql<number>`coalesce(sum(${uses.discount}) filter (where ${uses.status} = 'used'), 0)::bigint`,
  revenue: sql<number>`coalesce(sum(${receipts.total}) filter (where ${uses.status} = 'used'), 0)::bigint`,
  points: sql<number>`coalesce(sum(${uses.points} - ${uses.pointsReversed}), 0)::bigint`,
};

const emptyStats: OfferStats = { uses: 0, held: 0, guests: 0, discount: 0, revenue: 0, points: 0 };

function statsOf(row: Record<keyof OfferStats, number | string> | undefined): OfferStats {
  if (!row) return { ...emptyStats };
  return {
    uses: Number(row.uses),
    held: Number(row.held),
    guests: Number(row.guests),
    discount: Number(row.discount),
    revenue: Number(row.revenue),
    points: Number(row.points),
  };
}

/** What an offer has done: uses, guests, discount given, revenue of those checks, points. */
export async function offerStats(tx: Tx, offerId: string): Promise<OfferStats> {
  const offer = await getOffer(tx, offerId);
  const [row] = await tx
    .select(statsColumns)
    .from(uses)
    .leftJoin(receipts, eq(receipts.id, uses.receiptId))
    .where(eq(uses.offerId, offer.id));
  return statsOf(row);
}

export type OfferListItem = OfferRow & { stats: OfferStats };

/** The café's offers, newest first, each with its figures. */
export async function listOffers(
  tx: Tx,
  filter: { status?: OfferStatus[]; source?: OfferRow["source"] } = {},
): Promise<OfferListItem[]> {
  const rows = await tx
    .select()
    .from(offers)
    .where(
      and(
        filter.status?.length ? inArray(offers.status, filter.status) : undefined,
        filter.source ? eq(offers.source, filter.source) : undefined,
      ),
    )
    .orderBy(desc(offers.createdAt))
    .limit(500);
  if (rows.length === 0) return [];
  const stats = await tx
    .select({ offerId: uses.offerId, ...statsColumns })
    .from(uses)
    .leftJoin(receipts, eq(receipts.id, uses.receiptId))
    .where(
      inArray(
        uses.offerId,
        rows.map((row) => row.id),
      ),
    )
    .groupBy(uses.offerId);
  const byOffer = new Map(stats.map((row) => [row.offerId, row]));
  return rows.map((row) => ({ ...row, stats: statsOf(byOffer.get(row.id)) }));
}

export type OfferUseRow = {
  id: string;
  status: "held" | "used" | "released" | "returned";
  discount: number;
  points: number;
  at: Date;
  guest: { id: string; name: string | null } | null;
  receipt: { id: string; externalId: string; total: number; channel: "pos" | "online" } | null;
  orderId: string | null;
  locationId: string;
};

/** The offer's latest uses with their guests and checks (the offer page's list). */
export async function offerUses(tx: Tx, offerId: string, options: { limit?: number } = {}): Promise<OfferUseRow[]> {
  const offer = await getOffer(tx, offerId);
  const rows = await tx
    .select({
      use: uses,
      guestName: guests.name,
      receiptExternalId: receipts.externalId,
      receiptTotal: receipts.total,
      receiptChannel: receipts.channel,
    })
    .from(uses)
    .leftJoin(guests, eq(guests.id, uses.guestId))
    .leftJoin(receipts, eq(receipts.id, uses.receiptId))
    .where(eq(uses.offerId, offer.id))
    .orderBy(desc(uses.createdAt))
    .limit(Math.min(Math.max(options.limit ?? 50, 1), 500));
  return rows.map(({ use, ...row }) => ({
    id: use.id,
    status: use.status,
    discount: use.discount,
    points: use.points - use.pointsReversed,
    at: use.settledAt ?? use.createdAt,
    guest: use.guestId ? { id: use.guestId, name: row.guestName } : null,
    receipt:
      use.receiptId && row.receiptExternalId && row.receiptTotal !== null && row.receiptChannel
        ? { id: use.receiptId, externalId: row.receiptExternalId, total: row.receiptTotal, channel: row.receiptChannel }
        : null,
    orderId: use.orderId,
    locationId: use.locationId,
  }));
}

function rowAsInput(row: OfferRow): OfferInput {
  return {
    kind: row.kind,
    value: row.value,
    skus: row.skus,
    categories: row.categories,
    requiredSkus: row.requiredSkus,
    title: row.title,
    description: row.description,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    minCheck: row.minCheck,
    perGuestLimit: row.perGuestLimit,
    totalLimit: row.totalLimit,
    locationIds: row.locationIds,
    source: row.source,
    code: row.code,
    grantDays: row.grantDays,
  };
}

function auditMeta(row: OfferRow) {
  return {
    kind: row.kind,
    value: row.value,
    source: row.source,
    code: row.code,
    skus: row.skus,
    categories: row.categories,
    requiredSkus: row.requiredSkus,
    validFrom: row.validFrom.toISOString(),
    validUntil: row.validUntil?.toISOString() ?? null,
    minCheck: row.minCheck,
    perGuestLimit: row.perGuestLimit,
    totalLimit: row.totalLimit,
    locationIds: row.locationIds,
    status: row.status,
  };
}
