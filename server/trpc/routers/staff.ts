import { z } from "zod";
import { ROLES } from "@/server/auth/permissions";
import { sendEmail } from "@/server/email/send";
import { inviteStaff, withdrawInvitation } from "@/server/staff/invitations";
import { changeMember, listTeam, removeMember, setBaristaTwoFactor } from "@/server/staff/members";
import { router, staffProcedure } from "../init";

const role = z.enum(ROLES);
const locationIds = z.array(z.uuid()).max(100).default([]);

/** The café's team (owner only): members, invitations, roles and locations. */
export const staffRouter = router({
  /** Members and open invitations. */
  team: staffProcedure("staff.manage").query(({ ctx }) => listTeam(ctx.tx)),

  /** Invites by email; the link (72 h, single use) is mailed after the invitation is stored. */
  invite: staffProcedure("staff.manage")
    .input(z.object({ email: z.email().max(254), role, locationIds }))
    .mutation(async ({ ctx, input }) => {
      const { invitationId, email } = await inviteStaff(ctx.tx, {
        tenant: ctx.staff.tenant,
        ...input,
        actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
      });
      ctx.afterCommit(() => sendEmail(ctx.db, email));
      return { invitationId };
    }),

  /** Withdraws a pending invitation: its link stops working at once and says so. */
  withdrawInvitation: staffProcedure("staff.manage")
    .input(z.object({ invitationId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await withdrawInvitation(ctx.tx, {
        tenantId: ctx.staff.tenant.id,
        invitationId: input.invitationId,
        actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
      });
      return { ok: true };
    }),

  /** Changes a member's role and locations; their sessions end so the change applies at once. */
  changeMember: staffProcedure("staff.manage")
    .input(z.object({ membershipId: z.uuid(), role, locationIds }))
    .mutation(async ({ ctx, input }) => {
      await changeMember(ctx.tx, {
        tenantId: ctx.staff.tenant.id,
        ...input,
        actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
      });
      return { ok: true };
    }),

  /** Requires (or stops requiring) 2FA of the café's baristas. */
  setBaristaTwoFactor: staffProcedure("staff.manage")
    .input(z.object({ required: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await setBaristaTwoFactor(ctx.tx, {
        tenantId: ctx.staff.tenant.id,
        required: input.required,
        actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
      });
      return { ok: true };
    }),

  /** Removes a member (never the last owner). */
  removeMember: staffProcedure("staff.manage")
    // Taking access away stays possible while the café is read-only.
    .meta({ whenReadOnly: true })
    .input(z.object({ membershipId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await removeMember(ctx.tx, {
        tenantId: ctx.staff.tenant.id,
        membershipId: input.membershipId,
        actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
      });
      return { ok: true };
    }),
});
