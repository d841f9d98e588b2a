import { AppError } from "@/server/errors";
import { maxRedeemablePoints } from "@/server/loyalty/formulas";
import { enrolGuest, findGuestByIdentifier } from "@/server/loyalty/guests";
import { hintsFor } from "@/server/loyalty/hints";
import { tierName } from "@/server/loyalty/program";
import { getReceipt, recordReceipt } from "@/server/loyalty/receipts";
import { holdPoints, voidHold } from "@/server/loyalty/redemptions";
import { recordRefund } from "@/server/loyalty/refunds";
import { guestOffersForBasket, lookupCode } from "@/server/offers/basket";
import { posErrorResponses } from "@/server/pos/errors";
import * as schema from "@/server/pos/schemas";
import { posProcedure, router } from "../init";

const TAG = ["POS"];

/** The POS contract (POS-API.md); also served as REST under /api/pos/v1 with an OpenAPI document. */
export const posRouter = router({
  /** The tenant's loyalty rules, so the POS can show them. */
  program: posProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/program",
        tags: TAG,
        summary: "Loyalty rules",
        errorResponses: posErrorResponses(),
      },
    })
    .input(schema.emptyInput)
    .output(schema.programOutput)
    .query(async ({ ctx }) => {
      const { program } = ctx;
      return {
        currency: program.currency,
        tiers: program.tiers.map(({ name, accrualPercent, minSpend }) => ({ name, accrualPercent, minSpend })),
        maxRedeemPercent: program.maxRedeemPercent,
        welcomeBonus: program.welcomeBonus,
        holdTtlSeconds: program.holdTtlSeconds,
      };
    }),

  /** Enrols a guest at the counter with recorded consent; the welcome bonus is on the balance. */
  enrolGuest: posProcedure
    .meta({
      successStatus: 201,
      openapi: {
        method: "POST",
        path: "/guests",
        tags: TAG,
        summary: "Enrol a guest at the counter",
        errorResponses: posErrorResponses("invalid_request", "guest_exists", "email_in_use"),
      },
    })
    .input(schema.enrolInput)
    .output(schema.enrolOutput)
    .mutation(async ({ ctx, input }) => {
      const { program } = ctx;
      const guest = await enrolGuest(ctx.tx, program, {
        tenantId: ctx.pos.tenantId,
        phone: input.phone,
        name: input.name,
        email: input.email,
        channel: "pos",
        locationId: ctx.pos.locationId,
        actor: { kind: "pos_key", ref: ctx.pos.keyId, ip: ctx.ip },
      });
      return {
        guest: {
          id: guest.id,
          name: guest.name,
          cardCode: guest.cardCode,
          tier: tierName(program, guest.tierId),
          balance: guest.balance,
        },
      };
    }),

  /** Finds the guest by card, QR or phone, with what they may redeem and hints for the barista. */
  identify: posProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/guests/identify",
        tags: TAG,
        summary: "Identify a guest",
        errorResponses: posErrorResponses("invalid_request", "guest_not_found"),
      },
    })
    .input(schema.identifyInput)
    .output(schema.identifyOutput)
    .mutation(async ({ ctx, input }) => {
      const { program } = ctx;
      const guest = await findGuestByIdentifier(ctx.tx, input.identifier);
      if (!guest) throw new AppError("not_found", "No guest with this identifier", "guest_not_found");
      const basketTotal = input.basket?.reduce((total, line) => total + line.amount, 0);
      return {
        guest: { id: guest.id, name: guest.name, tier: tierName(program, guest.tierId), balance: guest.balance },
        maxRedeemablePoints: maxRedeemablePoints(guest.balance, program.maxRedeemPercent, basketTotal),
        hints: await hintsFor(ctx.tx, guest.id, program.locale),
        offers: await guestOffersForBasket(ctx.tx, {
          guestId: guest.id,
          locationId: ctx.pos.locationId,
          locale: program.locale,
          lines: input.basket,
        }),
      };
    }),

  /** A promo code typed at the till: the offer, applicable here (and for the guest, with guestId). */
  lookupOffer: posProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/offers/{code}",
        tags: TAG,
        summary: "Look up a promo code",
        errorResponses: posErrorResponses(
          "invalid_request",
          "offer_not_found",
          "guest_not_found",
          "offer_expired",
          "offer_used_up",
        ),
      },
    })
    .input(schema.offerLookupInput)
    .output(schema.offerLookupOutput)
    .query(async ({ ctx, input }) => {
      return lookupCode(ctx.tx, {
        code: input.code,
        guestId: input.guestId,
        locationId: ctx.pos.locationId,
        locale: ctx.program.locale,
      });
    }),

  /** Holds points for an open check; the balance drops at once. Idempotent by externalCheckId while held. */
  holdPoints: posProcedure
    .meta({
      successStatus: 201,
      replays: true,
      openapi: {
        method: "POST",
        path: "/redemptions",
        tags: TAG,
        summary: "Hold points for an open check",
        successDescription: "The same externalCheckId and points again while that hold is held: the same hold",
        errorResponses: posErrorResponses(
          "invalid_request",
          "guest_not_found",
          "idempotency_conflict",
          "redemption_limit_exceeded",
          "insufficient_points",
        ),
      },
    })
    .input(schema.holdInput)
    .output(schema.holdOutput)
    .mutation(async ({ ctx, input }) => {
      const { program } = ctx;
      const { redemption, balance, replayed } = await holdPoints(ctx.tx, program, {
        ...input,
        locationId: ctx.pos.locationId,
      });
      if (replayed) ctx.response.status = 200;
      return {
        redemption: {
          id: redemption.id,
          points: redemption.points,
          status: redemption.status,
          expiresAt: redemption.expiresAt.toISOString(),
        },
        guest: { balance },
      };
    }),

  /** Voids a hold; its points are available again. */
  voidHold: posProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/redemptions/{id}",
        tags: TAG,
        summary: "Void a hold",
        errorResponses: posErrorResponses("redemption_not_found", "redemption_not_active"),
      },
    })
    .input(schema.voidInput)
    .output(schema.voidOutput)
    .mutation(async ({ ctx, input }) => {
      const { redemption, balance } = await voidHold(ctx.tx, input.id);
      return { redemption: { id: redemption.id, status: redemption.status }, guest: { balance } };
    }),

  /** A closed check: accrual, committed hold, tier — idempotent by externalId per location. */
  recordReceipt: posProcedure
    .meta({
      successStatus: 201,
      replays: true,
      openapi: {
        method: "POST",
        path: "/receipts",
        tags: TAG,
        summary: "Record a closed check",
        successDescription: "The same payload again: the first answer, replayed",
        errorResponses: posErrorResponses(
          "invalid_request",
          "guest_not_found",
          "redemption_not_found",
          "idempotency_conflict",
          "redemption_not_active",
          "redemption_limit_exceeded",
          "offer_not_found",
          "offer_used_up",
          "offer_not_applicable",
        ),
      },
    })
    .input(schema.receiptInput)
    .output(schema.receiptOutput)
    .mutation(async ({ ctx, input }) => {
      const { program } = ctx;
      const recorded = await recordReceipt(ctx.tx, program, ctx.pos, input);
      if (recorded.replayed) ctx.response.status = 200;
      return recorded.body;
    }),

  /** A receipt of this location with the guest's current balance and tier and its refunds. */
  getReceipt: posProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/receipts/{externalId}",
        tags: TAG,
        summary: "Read a receipt",
        errorResponses: posErrorResponses("receipt_not_found"),
      },
    })
    .input(schema.getReceiptInput)
    .output(schema.getReceiptOutput)
    .query(async ({ ctx, input }) => {
      const { program } = ctx;
      return getReceipt(ctx.tx, program, ctx.pos.locationId, input.externalId);
    }),

  /** Refunds money of a receipt, moving points in proportion; idempotent by externalRefundId. */
  refundReceipt: posProcedure
    .meta({
      successStatus: 201,
      replays: true,
      openapi: {
        method: "POST",
        path: "/receipts/{externalId}/refunds",
        tags: TAG,
        summary: "Refund a receipt fully or partly",
        successDescription: "The same payload again: the first answer, replayed",
        errorResponses: posErrorResponses(
          "invalid_request",
          "receipt_not_found",
          "idempotency_conflict",
          "refund_exceeds_receipt",
        ),
      },
    })
    .input(schema.refundInput)
    .output(schema.refundOutput)
    .mutation(async ({ ctx, input }) => {
      const { program } = ctx;
      const { externalId, ...refund } = input;
      const recorded = await recordRefund(ctx.tx, program, ctx.pos, externalId, refund);
      if (recorded.replayed) ctx.response.status = 200;
      return recorded.body;
    }),
});
