import { z } from "zod";
import {
  assertOwnLocations,
  giveOffer,
  OFFER_SEGMENTS,
  offerFormChoices,
  validityInstants,
} from "@/server/offers/give";
import {
  createOffer,
  getOffer,
  listOffers,
  offerStats,
  offerUses,
  setOfferStatus,
  updateOffer,
} from "@/server/offers/manage";
import { grantMailProgress, notifyGrantsInBackground } from "@/server/offers/notify";
import { OFFER_KINDS, OFFER_SOURCES, type OfferInput } from "@/server/offers/types";
import { router, staffProcedure } from "../init";

const actorOf = (ctx: { staff: { tenant: { id: string }; session: { userId: string } }; ip: string | null }) => ({
  tenantId: ctx.staff.tenant.id,
  userId: ctx.staff.session.userId,
  ip: ctx.ip,
});

const sku = z.string().trim().min(1).max(64);
const text = z.string().trim().max(200);

/** Every field of an offer as the back-office form sends it; dates are the café's calendar days. */
const offerFields = z.object({
  kind: z.enum(OFFER_KINDS),
  value: z.number().int().min(1).max(100_000_000),
  skus: z.array(sku).max(200).default([]),
  /** "Only together with": the basket must hold one of these SKUs (the croissant free with a cappuccino). */
  requiredSkus: z.array(sku).max(200).default([]),
  categories: z.array(sku).max(100).default([]),
  title: z.object({ ru: text.optional(), en: text.optional() }),
  description: z.object({ ru: z.string().trim().max(1000).optional(), en: z.string().trim().max(1000).optional() }),
  validFrom: z.iso.date().nullish(),
  validUntil: z.iso.date().nullish(),
  minCheck: z.number().int().min(0).max(100_000_000).default(0),
  perGuestLimit: z.number().int().min(1).max(1000).nullable(),
  totalLimit: z.number().int().min(1).max(10_000_000).nullable(),
  locationIds: z.array(z.uuid()).max(100).default([]),
  source: z.enum(OFFER_SOURCES),
  code: z.string().trim().max(32).nullish(),
  grantDays: z.number().int().min(1).max(3650).nullish(),
});

type OfferFields = z.infer<typeof offerFields>;

/** The form's fields as the domain's input: empty texts left out, days as instants in the café's zone. */
function toOfferInput(fields: OfferFields, timeZone: string): OfferInput {
  const texts = (value: { ru?: string; en?: string }) =>
    Object.fromEntries(Object.entries(value).filter(([, part]) => part)) as { ru?: string; en?: string };
  return {
    ...fields,
    title: texts(fields.title),
    description: texts(fields.description),
    ...validityInstants(fields, timeZone),
    code: fields.source === "code" ? (fields.code ?? null) : null,
    grantDays: fields.grantDays ?? null,
  };
}

/** Offers and promo codes (owners and managers): list with figures, edit, pause, archive, give. */
export const offersRouter = router({
  /** The café's offers, newest first, each with its figures (uses, guests, discount, revenue). */
  list: staffProcedure("offers.manage")
    .input(z.object({ archived: z.boolean().default(false) }).optional())
    .query(async ({ ctx, input }) => ({
      offers: await listOffers(ctx.tx, { status: input?.archived ? ["archived"] : ["active", "paused"] }),
    })),

  /** The menu's SKUs and categories and the locations, for the form's pickers. */
  choices: staffProcedure("offers.manage").query(({ ctx }) => offerFormChoices(ctx.tx)),

  /** One offer with its figures, its latest uses (with the guests) and the progress of its mail. */
  detail: staffProcedure("offers.manage")
    .input(z.object({ offerId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const offer = await getOffer(ctx.tx, input.offerId);
      const [stats, uses, mail] = await Promise.all([
        offerStats(ctx.tx, offer.id),
        offerUses(ctx.tx, offer.id, { limit: 200 }),
        grantMailProgress(ctx.tx, offer.id),
      ]);
      return { offer, stats, uses, mail };
    }),

  create: staffProcedure("offers.manage")
    .input(offerFields)
    .mutation(async ({ ctx, input }) => {
      await assertOwnLocations(ctx.tx, input.locationIds);
      return createOffer(ctx.tx, actorOf(ctx), toOfferInput(input, ctx.staff.tenant.timezone));
    }),

  update: staffProcedure("offers.manage")
    .input(z.object({ offerId: z.uuid(), fields: offerFields }))
    .mutation(async ({ ctx, input }) => {
      await assertOwnLocations(ctx.tx, input.fields.locationIds);
      return updateOffer(ctx.tx, actorOf(ctx), input.offerId, toOfferInput(input.fields, ctx.staff.tenant.timezone));
    }),

  /** Pause, resume or archive (final). */
  setStatus: staffProcedure("offers.manage")
    .input(z.object({ offerId: z.uuid(), status: z.enum(["active", "paused", "archived"]) }))
    .mutation(({ ctx, input }) => setOfferStatus(ctx.tx, actorOf(ctx), input.offerId, input.status)),

  /**
   * Gives a personal offer to one guest (card code or phone) or to a segment; the guests who
   * agreed to marketing mail are told by email once the grant has committed.
   */
  give: staffProcedure("offers.manage")
    .input(
      z.object({
        offerId: z.uuid(),
        target: z.discriminatedUnion("kind", [
          z.object({ kind: z.literal("guest"), identifier: z.string().trim().min(3).max(200) }),
          z.object({ kind: z.literal("segment"), segment: z.enum(OFFER_SEGMENTS) }),
        ]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await giveOffer(ctx.tx, actorOf(ctx), input);
      const cafe = ctx.staff.tenant;
      ctx.afterCommit(async () => notifyGrantsInBackground(ctx.db, cafe, result.grantIds));
      return { guests: result.guests, granted: result.granted, alreadyHad: result.alreadyHad };
    }),
});
