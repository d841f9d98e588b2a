import { asc, isNull } from "drizzle-orm";
import { z } from "zod";
import { locations } from "@/db/schema";
import { can } from "@/server/auth/permissions";
import { adjustGuestPoints, adjustmentInput, guestCard, guestTimeline } from "@/server/guests/card";
import {
  countGuests,
  directoryFilters,
  directoryPageInput,
  GUEST_COLUMNS,
  GUEST_SORTS,
  guestColumns,
  listGuests,
  saveGuestColumns,
} from "@/server/guests/directory";
import { exportGuestsCsv } from "@/server/guests/export";
import { findGuestsAtCounter } from "@/server/guests/lookup";
import { setGuestOnlineAccess } from "@/server/guests/online-access";
import { loadProgram } from "@/server/loyalty/program";
import { router, staffProcedure } from "../init";

/** Guests as the back-office sees them. */
export const guestsRouter = router({
  /**
   * The counter look-up by card (as printed, with spaces) or phone (any form): name, tier and
   * balance only (baristas too); owners and managers also by name or email (up to 10 guests).
   */
  lookup: staffProcedure("guests.lookup")
    .input(z.object({ identifier: z.string().min(3).max(64), locale: z.enum(["ru", "en"]).optional() }))
    .query(({ ctx, input }) =>
      findGuestsAtCounter(ctx.tx, input.identifier, {
        byContact: can(ctx.staff.role, "guests.read", ctx.staff.locationIds.length > 0),
        locale: input.locale,
      }),
    ),

  /** Closes or reopens a guest's online access at this café (owner and manager; audited). */
  setOnlineAccess: staffProcedure("guests.block")
    .input(z.object({ identifier: z.string().min(3).max(64), blocked: z.boolean() }))
    .mutation(({ ctx, input }) =>
      setGuestOnlineAccess(ctx.tx, {
        tenantId: ctx.staff.tenant.id,
        identifier: input.identifier,
        blocked: input.blocked,
        actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
      }),
    ),

  /** One page of the guests table (keyset), limited to the member's locations' guests. */
  list: staffProcedure("guests.read")
    .input(directoryPageInput)
    .query(({ ctx, input }) => listGuests(ctx.tx, { ...input, staffLocationIds: ctx.staff.locationIds })),

  /** How many guests the table's filters leave. */
  count: staffProcedure("guests.read")
    .input(directoryFilters)
    .query(({ ctx, input }) => countGuests(ctx.tx, { ...input, staffLocationIds: ctx.staff.locationIds })),

  /** What the table's filters offer: the tiers and the member's locations. */
  filterOptions: staffProcedure("guests.read").query(async ({ ctx }) => {
    const program = await loadProgram(ctx.tx);
    const open = await ctx.tx
      .select({ id: locations.id, name: locations.name })
      .from(locations)
      .where(isNull(locations.archivedAt))
      .orderBy(asc(locations.name));
    const scope = ctx.staff.locationIds;
    return {
      tiers: [...program.tiers]
        .sort((a, b) => a.minSpend - b.minSpend)
        .map(({ id, name, names }) => ({ id, name, names })),
      locations: scope.length > 0 ? open.filter((location) => scope.includes(location.id)) : open,
    };
  }),

  /** The member's chosen columns of the guests table. */
  columns: staffProcedure("guests.read").query(({ ctx }) =>
    guestColumns(ctx.tx, { membershipId: ctx.staff.membershipId }),
  ),

  /** Keeps the member's choice of columns (theirs alone, in this café). */
  saveColumns: staffProcedure("guests.read")
    .input(z.object({ columns: z.array(z.enum(GUEST_COLUMNS)).max(GUEST_COLUMNS.length) }))
    .mutation(({ ctx, input }) =>
      saveGuestColumns(ctx.tx, {
        tenantId: ctx.staff.tenant.id,
        membershipId: ctx.staff.membershipId,
        columns: input.columns,
      }),
    ),

  /** One guest's card: profile, tier, balance, visits, rhythm, favourites (404 outside the member's locations). */
  card: staffProcedure("guests.read")
    .input(z.object({ guestId: z.uuid() }))
    .query(({ ctx, input }) => guestCard(ctx.tx, { guestId: input.guestId, staffLocationIds: ctx.staff.locationIds })),

  /** One page of a guest's timeline, newest first. */
  timeline: staffProcedure("guests.read")
    .input(
      z.object({
        guestId: z.uuid(),
        cursor: z.string().max(200).nullish(),
        limit: z.number().int().min(1).max(100).optional(),
      }),
    )
    .query(({ ctx, input }) => guestTimeline(ctx.tx, { ...input, staffLocationIds: ctx.staff.locationIds })),

  /** Adds or takes a guest's points by hand with a reason (owner, manager; audited). */
  adjustPoints: staffProcedure("guests.adjust_points")
    .input(adjustmentInput)
    .mutation(({ ctx, input }) =>
      adjustGuestPoints(ctx.tx, {
        ...input,
        tenantId: ctx.staff.tenant.id,
        staffLocationIds: ctx.staff.locationIds,
        actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
      }),
    ),

  /**
   * The guests of the table's view as CSV (owner and manager, every export audited): phones,
   * emails and birthdays only for those allowed; a member limited to locations, their guests.
   */
  // A lapsed café still takes its data with it.
  exportCsv: staffProcedure("guests.export")
    .meta({ whenReadOnly: true })
    .input(
      z
        .object({
          filters: directoryFilters.optional(),
          sort: z.enum(GUEST_SORTS).optional(),
          direction: z.enum(["asc", "desc"]).optional(),
        })
        .optional(),
    )
    .mutation(({ ctx, input }) =>
      exportGuestsCsv(ctx.tx, {
        tenantId: ctx.staff.tenant.id,
        actorUserId: ctx.staff.session.userId,
        ip: ctx.ip,
        filters: input?.filters,
        sort: input?.sort,
        direction: input?.direction,
        staffLocationIds: ctx.staff.locationIds,
        withContacts: can(ctx.staff.role, "guests.export_contacts", ctx.staff.locationIds.length > 0),
      }),
    ),
});
