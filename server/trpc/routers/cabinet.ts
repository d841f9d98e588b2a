import { z } from "zod";
import { claimPaperReceipt } from "@/server/cabinet/claim";
import { guestHistory } from "@/server/cabinet/history";
import { deleteGuestAccount, exportGuestData, guestProfile, updateProfile } from "@/server/cabinet/profile";
import { cabinetSummary, currentQr } from "@/server/cabinet/summary";
import { answerSurvey, pendingSurvey, SURVEY_TEXT_MAX } from "@/server/cabinet/survey";
import { loadProgram } from "@/server/loyalty/program";
import { guestOffersFor } from "@/server/offers/grants";
import { guestProcedure, router } from "../init";

// Every procedure acts on ctx.guest, the café's guest behind the signed-in email: no input names
// a guest or a café, so there is nothing another guest's id could be swapped into.

/** The signed-in guest's loyalty cabinet at one café. */
export const cabinetRouter = router({
  /** Balance and its money value, tier and progress, card code, the current QR and personal offers. */
  summary: guestProcedure.query(({ ctx }) => cabinetSummary(ctx.tx, ctx.guest.id)),

  /** The guest's personal offers and promo codes in use: usable ones with conditions and expiry, and past ones. */
  offers: guestProcedure
    .input(z.object({ locale: z.enum(["ru", "en"]).optional() }).optional())
    .query(({ ctx, input }) =>
      guestOffersFor(ctx.tx, { guestId: ctx.guest.id, locale: input?.locale ?? ctx.tenant.locale }),
    ),

  /** The rotating QR payload now, and the seconds until it changes. */
  qr: guestProcedure.query(({ ctx }) => currentQr(ctx.tx, ctx.guest.id)),

  /** Visits, orders, bonuses, redemptions, refunds and expiries, newest first, by cursor. */
  history: guestProcedure
    .input(
      z.object({
        cursor: z.string().max(200).nullish(),
        limit: z.number().int().min(1).max(100).default(20),
      }),
    )
    .query(({ ctx, input }) => guestHistory(ctx.tx, ctx.guest.id, { cursor: input.cursor, limit: input.limit })),

  /** Makes an anonymous paper receipt the guest's, from the fiscal QR string printed on it. */
  claim: guestProcedure.input(z.object({ qr: z.string().max(500) })).mutation(async ({ ctx, input }) => {
    const program = await loadProgram(ctx.tx);
    return claimPaperReceipt(ctx.tx, program, ctx.guest.id, input.qr, new Date(), { ip: ctx.ip });
  }),

  /** The guest's editable profile. */
  profile: guestProcedure.query(({ ctx }) => guestProfile(ctx.tx, ctx.guest.id)),

  /** Changes name, phone, birthday or the marketing opt-in (consent recorded; audited). */
  updateProfile: guestProcedure
    .input(
      z.object({
        name: z.string().max(100).nullish(),
        phone: z.string().max(40).optional(),
        birthday: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .nullish(),
        marketingOptIn: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      updateProfile(
        ctx.tx,
        ctx.guest.id,
        {
          name: input.name,
          phone: input.phone,
          birthday: input.birthday,
          marketingOptIn: input.marketingOptIn,
        },
        { ip: ctx.ip },
      ),
    ),

  /** Everything the café holds about the guest ("download my data"); audited, hence a mutation. */
  exportData: guestProcedure.mutation(({ ctx }) => exportGuestData(ctx.tx, ctx.guest.id, { ip: ctx.ip })),

  /**
   * Deletes the guest's account at this café: personal data erased, ledger kept anonymised;
   * audited. `confirm` guards against a stray call; the page asks the guest twice.
   */
  deleteAccount: guestProcedure
    .input(z.object({ confirm: z.literal(true) }))
    .mutation(({ ctx }) => deleteGuestAccount(ctx.tx, ctx.guest.id, { kind: "guest", ip: ctx.ip })),

  /** The survey the guest is invited to now, or null. */
  survey: guestProcedure.query(({ ctx }) => pendingSurvey(ctx.tx, ctx.guest.id)),

  /** Answers a survey; the bonus is granted once (a second answer is CONFLICT already_answered). */
  answerSurvey: guestProcedure
    .input(
      z.object({
        surveyId: z.uuid(),
        answers: z.record(z.uuid(), z.union([z.string().max(SURVEY_TEXT_MAX * 2), z.number()])),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const program = await loadProgram(ctx.tx);
      return answerSurvey(ctx.tx, program, ctx.guest.id, input.surveyId, input.answers, { ip: ctx.ip });
    }),
});
