import { z } from "zod";
import { menuSkuChoices } from "@/server/menu/menu";
import { createHintRule, deleteHintRule, listHintRules, recentRequests } from "@/server/pos/integrations";
import { createPosKey, listPosKeys, revokePosKey } from "@/server/pos/keys";
import { listLocations } from "@/server/tenants/locations";
import { router, staffProcedure } from "../init";

const actorOf = (ctx: { staff: { session: { userId: string } }; ip: string | null }) => ({
  actorKind: "staff" as const,
  actorUserId: ctx.staff.session.userId,
  ip: ctx.ip,
});

/** POS keys and what they did (owner), and the barista hint rules (owner, manager). */
export const integrationsRouter = router({
  keys: staffProcedure("pos_keys.manage").query(async ({ ctx }) => ({
    keys: await listPosKeys(ctx.tx),
    locations: (await listLocations(ctx.tx)).map(({ id, slug, name }) => ({ id, slug, name })),
  })),

  /** Creates a key for one location; the key is in this answer only, never again. */
  createKey: staffProcedure("pos_keys.manage")
    .input(z.object({ locationSlug: z.string().min(1).max(64), name: z.string().trim().min(1).max(80) }))
    .mutation(({ ctx, input }) =>
      createPosKey(ctx.tx, { tenantId: ctx.staff.tenant.id, ...input, actor: actorOf(ctx) }),
    ),

  revokeKey: staffProcedure("pos_keys.manage")
    // A leaked key can be revoked while the café is read-only.
    .meta({ whenReadOnly: true })
    .input(z.object({ keyId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await revokePosKey(ctx.tx, { tenantId: ctx.staff.tenant.id, key: input.keyId, actor: actorOf(ctx) });
      return { ok: true };
    }),

  /** The last 50 requests of a key with status and latency. */
  requests: staffProcedure("pos_keys.manage")
    .input(z.object({ keyId: z.uuid() }))
    .query(({ ctx, input }) => recentRequests(ctx.tx, input.keyId)),

  /** The rules, and the menu's SKUs with their names to pick from. */
  hintRules: staffProcedure("hint_rules.manage").query(async ({ ctx }) => ({
    rules: await listHintRules(ctx.tx),
    products: await menuSkuChoices(ctx.tx),
  })),

  saveHintRule: staffProcedure("hint_rules.manage")
    .input(
      z.object({
        ifSku: z.string().trim().min(1).max(64),
        suggestSku: z.string().trim().min(1).max(64),
        text: z.string().trim().min(3).max(200),
      }),
    )
    .mutation(({ ctx, input }) =>
      createHintRule(ctx.tx, {
        tenantId: ctx.staff.tenant.id,
        ...input,
        actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
      }),
    ),

  deleteHintRule: staffProcedure("hint_rules.manage")
    .input(z.object({ ruleId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await deleteHintRule(ctx.tx, {
        tenantId: ctx.staff.tenant.id,
        ruleId: input.ruleId,
        actor: { userId: ctx.staff.session.userId, ip: ctx.ip },
      });
      return { ok: true };
    }),
});
