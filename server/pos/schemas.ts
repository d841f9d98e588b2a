import { z } from "zod";

// The POS contract's request and response shapes (POS-API.md). The OpenAPI document is generated
// from these, so an integrator reads exactly what the server validates.

const MAX_MONEY = 1_000_000_000; // 10 million in major units: far above any café check.
const money = z.number().int().min(0).max(MAX_MONEY).describe("Money in minor units (45000 = 450.00 ₽)");
const positivePoints = z.number().int().min(1).max(100_000_000).describe("Points (1 point pays 100 minor units)");
const uuid = z.uuid();

/** Text PostgreSQL can store: a NUL character would be refused by the database, so it is a 400 here. */
const text = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((value) => !value.includes("\u0000"), "Must not contain NUL characters");

const quantity = z
  .number()
  .positive()
  .max(100_000)
  // In thousandths it must be a whole number, and at least one (0.001).
  .refine(
    (value) => Math.round(value * 1000) >= 1 && Math.abs(value - Math.round(value * 1000) / 1000) < 1e-9,
    "At most 3 decimals, at least 0.001",
  )
  .describe("Positive, up to 3 decimals (goods sold by weight)");

export const receiptLine = z.object({
  sku: text(1, 64),
  name: text(1, 200),
  quantity,
  unitPrice: money,
  amount: money.describe("Line amount after line discounts, minor units"),
  category: text(1, 64).optional(),
});

const identifier = text(1, 200).describe(
  "A card code, the cabinet's QR payload (changes every 30 s, valid 2 min) or a phone",
);

export const programOutput = z.object({
  currency: z.string(),
  tiers: z.array(z.object({ name: z.string(), accrualPercent: z.number().int(), minSpend: z.number().int() })),
  maxRedeemPercent: z.number().int(),
  welcomeBonus: z.number().int(),
  holdTtlSeconds: z.number().int(),
});

const guestCard = z.object({
  id: uuid,
  name: z.string().nullable(),
  cardCode: z.string(),
  tier: z.string(),
  balance: z.number().int(),
});

export const enrolInput = z.object({
  phone: text(5, 32).describe("Any common form; stored as E.164"),
  name: text(1, 100).optional(),
  email: z.email().max(254).optional(),
  consent: z.literal(true, { error: "Personal-data consent must be true" }),
});
export const enrolOutput = z.object({ guest: guestCard });

const offerKind = z.enum(["percent_off", "amount_off", "free_item", "points_multiplier", "bonus_points"]);

/** The contract's offer object (identify, GET /offers/{code}). */
export const posOffer = z.object({
  id: uuid,
  code: z.string().optional().describe("The promo code, for a code offer"),
  title: z.string().describe("In the café's language"),
  kind: offerKind,
  value: z
    .number()
    .int()
    .describe(
      "percent_off: percent; amount_off: minor units; free_item: 1; points_multiplier: N (×N points); bonus_points: N points",
    ),
  skus: z.array(z.string()).optional().describe("What it is on; with no skus and no categories: the whole check"),
  categories: z.array(z.string()).optional(),
  requiredSkus: z
    .array(z.string())
    .optional()
    .describe("Only together with: the check must hold one of these SKUs (else reason required_item_missing)"),
  validUntil: z.iso.datetime({ offset: true }).nullable().describe("When it ends for this guest; null: no end"),
  applicable: z.boolean().describe("Whether it applies to the basket sent (without a basket: at this location)"),
  reason: z
    .enum([
      "min_check_not_met",
      "no_matching_items",
      "required_item_missing",
      "wrong_location",
      "not_yet_valid",
      "expired",
      "used_up",
      "paused",
      "not_for_this_guest",
    ])
    .optional()
    .describe("Why it does not apply"),
  maxDiscount: z
    .number()
    .int()
    .optional()
    .describe("Beyond POS-API.md: the most money it may take off the basket sent (minor units; 0 for points offers)"),
});

export const identifyInput = z.object({
  identifier,
  basket: z.array(receiptLine).max(500).optional(),
});
export const identifyOutput = z.object({
  guest: z.object({ id: uuid, name: z.string().nullable(), tier: z.string(), balance: z.number().int() }),
  maxRedeemablePoints: z.number().int(),
  hints: z.array(z.object({ kind: z.enum(["upsell", "habit"]), text: z.string(), sku: z.string() })),
  offers: z.array(posOffer).describe("The guest's usable offers, evaluated against the basket when one is sent"),
});

export const offerLookupInput = z.object({
  code: text(1, 64).describe("The promo code as typed (case-insensitive)"),
  guestId: uuid.optional().describe("The guest at the counter: their own uses of the code count"),
});
export const offerLookupOutput = posOffer;

export const holdInput = z.object({
  guestId: uuid,
  points: positivePoints,
  checkTotal: money,
  externalCheckId: text(1, 128).optional(),
});
const redemptionStatus = z.enum(["held", "committed", "voided", "expired"]);
export const holdOutput = z.object({
  redemption: z.object({ id: uuid, points: z.number().int(), status: redemptionStatus, expiresAt: z.iso.datetime() }),
  guest: z.object({ balance: z.number().int() }),
});

export const voidInput = z.object({ id: uuid });
export const voidOutput = z.object({
  redemption: z.object({ id: uuid, status: redemptionStatus }),
  guest: z.object({ balance: z.number().int() }),
});

const appliedOffer = z.object({
  id: uuid.optional().describe("The offer's id (a personal offer from identify, or a code's)"),
  code: text(1, 64).optional().describe("Or the promo code as typed"),
  discount: money.describe("Money the offer took off this check (0 for points offers)"),
  lines: z
    .array(z.number().int().min(0))
    .max(500)
    .optional()
    .describe("Indexes (from 0) of the lines the offer was applied to"),
});

export const receiptInput = z
  .object({
    externalId: text(1, 128).describe("Your id of the check; unique per location, the idempotency key"),
    occurredAt: z.iso
      .datetime({ offset: true })
      // A POS may send old checks after being offline, but not from before Zerno or from the future.
      .refine((value) => {
        const time = Date.parse(value);
        return time >= Date.UTC(2000, 0, 1) && time <= Date.now() + 24 * 60 * 60 * 1000;
      }, "Must be between 2000-01-01 and tomorrow")
      .describe("ISO 8601 with offset"),
    guest: z.object({ identifier }).optional(),
    guestId: uuid.optional(),
    redemptionId: uuid.optional().describe("A held redemption to commit with this check"),
    lines: z.array(receiptLine).min(1).max(500),
    total: money.describe("The check before points; equals the sum of line amounts"),
    fiscal: z
      .object({
        fn: z.string().regex(/^\d{16}$/, "16 digits"),
        fd: z.string().regex(/^\d{1,10}$/, "1 to 10 digits"),
        fp: z.string().regex(/^\d{1,10}$/, "1 to 10 digits"),
      })
      .optional(),
    offers: z
      .array(appliedOffer)
      .max(20)
      .optional()
      .describe("Offers applied to this check; line amounts and total are after their discounts"),
  })
  .superRefine((receipt, ctx) => {
    if (receipt.guest && receipt.guestId) {
      ctx.addIssue({ code: "custom", path: ["guestId"], message: "Name either guest or guestId, not both" });
    }
    const sum = receipt.lines.reduce((total, line) => total + line.amount, 0);
    receipt.offers?.forEach((offer, index) => {
      if ((offer.id === undefined) === (offer.code === undefined)) {
        ctx.addIssue({ code: "custom", path: ["offers", index], message: "Name the offer by id or by code" });
      }
      offer.lines?.forEach((line, at) => {
        if (line >= receipt.lines.length) {
          ctx.addIssue({ code: "custom", path: ["offers", index, "lines", at], message: "No such line" });
        }
      });
    });
    if (sum !== receipt.total) {
      ctx.addIssue({
        code: "custom",
        path: ["total"],
        message: `The line amounts add up to ${sum}, not ${receipt.total}`,
      });
    }
  });

const receiptSummary = z.object({
  id: uuid,
  externalId: z.string(),
  total: z.number().int(),
  pointsRedeemed: z.number().int(),
  pointsEarned: z.number().int(),
});
const receiptGuest = z.object({ id: uuid, balance: z.number().int(), tier: z.string() }).nullable();
const offersApplied = z
  .array(z.object({ id: uuid, discount: z.number().int(), pointsEarned: z.number().int() }))
  .optional()
  .describe("When the check named offers: each with its discount and the points it added (in pointsEarned)");
export const receiptOutput = z.object({ receipt: receiptSummary, guest: receiptGuest, offersApplied });

const refund = z.object({
  externalRefundId: z.string(),
  amount: z.number().int(),
  pointsReversed: z.number().int(),
  pointsReturned: z.number().int(),
});
export const getReceiptInput = z.object({ externalId: text(1, 128) });
export const getReceiptOutput = z.object({
  receipt: receiptSummary,
  guest: receiptGuest,
  offersApplied,
  refunds: z.array(refund),
});

export const refundInput = z.object({
  externalId: text(1, 128),
  externalRefundId: text(1, 128),
  amount: z.number().int().min(1).max(MAX_MONEY).describe("Money refunded, minor units"),
});
export const refundOutput = z.object({ refund, guest: z.object({ balance: z.number().int() }).nullable() });
export const emptyInput = z.object({}).optional();
