import { z } from "zod";
import { enrolOnline } from "@/server/cabinet/enrol";
import { endAllGuestSessions } from "@/server/guest-auth/sessions";
import { loadProgram } from "@/server/loyalty/program";
import { guestAccountProcedure, router } from "../init";

/** The signed-in guest identity on a café's storefront: who they are there, and joining. */
export const guestRouter = router({
  /** The signed-in email and whether it is already this café's guest (then with name and card). */
  account: guestAccountProcedure.query(({ ctx }) => ({
    email: ctx.account.email,
    guest: ctx.guest ? { id: ctx.guest.id, name: ctx.guest.name, cardCode: ctx.guest.cardCode } : null,
  })),

  /** Ends every session of the signed-in guest account, on every device (this one too). */
  signOutEverywhere: guestAccountProcedure.mutation(async ({ ctx }) => ({
    ended: await endAllGuestSessions(ctx.tx, ctx.account.accountId),
  })),

  /**
   * Joins the café's loyalty programme with the signed-in email: name, phone and consent once;
   * the welcome bonus for a new guest; a guest enrolled at the till joins by proving the card.
   */
  enrol: guestAccountProcedure
    .input(
      z.object({
        name: z.string().max(100),
        phone: z.string().max(40),
        consent: z.boolean(),
        marketingOptIn: z.boolean().default(false),
        cardCode: z.string().max(40).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const program = await loadProgram(ctx.tx);
      const { guest, outcome } = await enrolOnline(ctx.db, ctx.tx, program, {
        tenantId: ctx.tenant.id,
        email: ctx.account.email,
        ip: ctx.ip,
        ...input,
      });
      return { outcome, guest: { id: guest.id, name: guest.name, cardCode: guest.cardCode, balance: guest.balance } };
    }),
});
