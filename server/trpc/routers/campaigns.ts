import { z } from "zod";
import {
  AUDIENCE_SEGMENTS,
  CAMPAIGN_KINDS,
  type CampaignInput,
  campaignWithCounts,
  createCampaign,
  getCampaignSettings,
  LIMITS,
  launchCampaign,
  listCampaigns,
  previewCampaign,
  STATUS_ACTIONS,
  setCampaignStatus,
  staffEmail,
  storedFilter,
  updateCampaign,
  updateCampaignSettings,
} from "@/server/campaigns/manage";
import { sendTestToSelf } from "@/server/campaigns/send";
import { zonedTime } from "@/server/orders/slots";
import { router, staffProcedure } from "../init";

const actorOf = (ctx: { staff: { tenant: { id: string }; session: { userId: string } }; ip: string | null }) => ({
  tenantId: ctx.staff.tenant.id,
  userId: ctx.staff.session.userId,
  ip: ctx.ip,
});

const campaignId = z.object({ campaignId: z.uuid() });
const days = (max: number) => z.number().int().min(0).max(max);

/** Every field of a campaign as the back-office form sends it; the time is the café's wall clock. */
const campaignFields = z.object({
  name: z.string().trim().max(LIMITS.name),
  kind: z.enum(CAMPAIGN_KINDS),
  subject: z.string().trim().max(LIMITS.subject),
  body: z.string().trim().max(LIMITS.body),
  bonusPoints: z.number().int().min(0).max(LIMITS.bonusPoints).default(0),
  bonusExpiresDays: days(LIMITS.bonusExpiresDays).nullish(),
  daysBefore: days(LIMITS.daysBefore).nullish(),
  holdoutPercent: z.number().int().min(0).max(LIMITS.holdoutMax).default(10),
  windowDays: z.number().int().min(1).max(LIMITS.windowDays).default(14),
  audience: z
    .object({
      segment: z.enum(AUDIENCE_SEGMENTS).optional(),
      directoryFilter: z.record(z.string().max(40), z.string().max(200)).optional(),
    })
    .nullish(),
  /** "YYYY-MM-DDTHH:MM" on the café's clock; absent: at launch. */
  scheduledAt: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)
    .nullish(),
});

type CampaignFields = z.infer<typeof campaignFields>;

/** The form's fields as the domain's input: the wall-clock time as an instant in the café's zone. */
function toCampaignInput(fields: CampaignFields, timeZone: string): CampaignInput {
  const at = fields.scheduledAt;
  const audience = fields.audience
    ? {
        ...(fields.audience.segment ? { segment: fields.audience.segment } : {}),
        ...(fields.audience.directoryFilter ? { directoryFilter: storedFilter(fields.audience.directoryFilter) } : {}),
      }
    : null;
  return {
    ...fields,
    bonusExpiresDays: fields.bonusExpiresDays ?? null,
    daysBefore: fields.daysBefore ?? null,
    audience,
    scheduledAt: at
      ? zonedTime(at.slice(0, 10), Number(at.slice(11, 13)) * 60 + Number(at.slice(14, 16)), timeZone)
      : null,
  };
}

/** Campaigns (owners and managers): win-back, birthday, survey invitation and one-off messages. */
export const campaignsRouter = router({
  /** The café's campaigns, newest first, with their counts (sent, queued, held back, skipped). */
  list: staffProcedure("campaigns.manage")
    .input(z.object({ finished: z.boolean().default(false) }).optional())
    .query(async ({ ctx, input }) => ({ campaigns: await listCampaigns(ctx.tx, { finished: input?.finished }) })),

  /** One campaign with its counts. */
  get: staffProcedure("campaigns.manage")
    .input(campaignId)
    .query(({ ctx, input }) => campaignWithCounts(ctx.tx, input.campaignId)),

  create: staffProcedure("campaigns.manage")
    .input(campaignFields)
    .mutation(({ ctx, input }) =>
      createCampaign(ctx.tx, actorOf(ctx), toCampaignInput(input, ctx.staff.tenant.timezone)),
    ),

  update: staffProcedure("campaigns.manage")
    .input(campaignId.extend({ fields: campaignFields }))
    .mutation(({ ctx, input }) =>
      updateCampaign(ctx.tx, actorOf(ctx), input.campaignId, toCampaignInput(input.fields, ctx.staff.tenant.timezone)),
    ),

  /** Launches a draft: the guests who qualify now are drawn and the send job is queued. */
  launch: staffProcedure("campaigns.manage")
    .input(campaignId)
    .mutation(({ ctx, input }) => launchCampaign(ctx.tx, actorOf(ctx), input.campaignId)),

  /** Pause, resume or archive (final). */
  setStatus: staffProcedure("campaigns.manage")
    .input(campaignId.extend({ action: z.enum(STATUS_ACTIONS) }))
    .mutation(({ ctx, input }) => setCampaignStatus(ctx.tx, actorOf(ctx), input.campaignId, input.action)),

  /** The message as a real guest would get it: the one chosen (id, card or phone), else a sleeping one. */
  preview: staffProcedure("campaigns.manage")
    .input(
      campaignId.extend({
        guestId: z.uuid().optional(),
        identifier: z.string().trim().max(200).optional(),
      }),
    )
    .query(({ ctx, input }) =>
      previewCampaign(ctx.tx, ctx.staff.tenant.id, input.campaignId, {
        guestId: input.guestId,
        identifier: input.identifier,
      }),
    ),

  /** Sends the message (as a sleeping guest would get it) to the signed-in member's own email. */
  sendTest: staffProcedure("campaigns.manage")
    .input(campaignId.extend({ locale: z.enum(["ru", "en"]).optional() }))
    .mutation(async ({ ctx, input }) => {
      const campaign = await campaignWithCounts(ctx.tx, input.campaignId);
      const email = await staffEmail(ctx.tx, ctx.staff.session.userId);
      const locale = input.locale ?? ctx.staff.tenant.locale;
      await sendTestToSelf(ctx.db, ctx.staff.tenant.id, campaign.id, email, locale);
      return { to: email };
    }),

  /** The frequency cap, quiet hours and the global control group. */
  settings: staffProcedure("campaigns.manage").query(({ ctx }) => getCampaignSettings(ctx.tx)),

  updateSettings: staffProcedure("campaigns.manage")
    .input(
      z.object({
        frequencyCapCount: z.number().int().min(1).max(LIMITS.frequencyCapCount),
        frequencyCapDays: z.number().int().min(1).max(LIMITS.frequencyCapDays),
        quietStart: z.string().regex(/^\d{2}:\d{2}$/),
        quietEnd: z.string().regex(/^\d{2}:\d{2}$/),
        globalControlEnabled: z.boolean(),
      }),
    )
    .mutation(({ ctx, input }) => updateCampaignSettings(ctx.tx, actorOf(ctx), input)),
});
