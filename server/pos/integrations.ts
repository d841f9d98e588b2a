import { desc, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { hintRules, posApiKeys, posRequestLog } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { menuSkuChoices } from "../menu/menu";
import { REQUESTS_KEPT_PER_KEY } from "./request-log";

/** The last requests of one key of the tenant bound to `tx` (404 for another café's key). */
export async function recentRequests(tx: Tx, keyId: string) {
  const [key] = await tx.select({ id: posApiKeys.id }).from(posApiKeys).where(eq(posApiKeys.id, keyId));
  if (!key) throw new AppError("not_found", "No such key", "key_not_found");
  return tx
    .select({
      id: posRequestLog.id,
      method: posRequestLog.method,
      path: posRequestLog.path,
      status: posRequestLog.status,
      latencyMs: posRequestLog.latencyMs,
      errorCode: posRequestLog.errorCode,
      createdAt: posRequestLog.createdAt,
    })
    .from(posRequestLog)
    .where(eq(posRequestLog.keyId, keyId))
    .orderBy(desc(posRequestLog.id))
    .limit(REQUESTS_KEPT_PER_KEY);
}

export function listHintRules(tx: Tx) {
  return tx.select().from(hintRules).orderBy(hintRules.ifSku);
}

/** An owner's upsell rule: when a guest usually takes `ifSku`, the barista is told `text`. */
export async function createHintRule(
  tx: Tx,
  input: {
    tenantId: string;
    ifSku: string;
    suggestSku: string;
    text: string;
    actor: { userId: string; ip: string | null };
  },
) {
  // Rules name what the menu sells: a SKU picked from it, not typed (a typo would never match).
  const known = new Set((await menuSkuChoices(tx)).map((choice) => choice.sku));
  for (const field of ["ifSku", "suggestSku"] as const) {
    if (!known.has(input[field])) {
      throw new AppError("not_found", `${input[field]} is not on the menu`, "product_not_found", [
        { path: field, message: "Not on the menu" },
      ]);
    }
  }
  const [rule] = await tx
    .insert(hintRules)
    .values({ tenantId: input.tenantId, ifSku: input.ifSku, suggestSku: input.suggestSku, text: input.text })
    .onConflictDoUpdate({
      target: [hintRules.tenantId, hintRules.ifSku, hintRules.suggestSku],
      set: { text: input.text, active: true },
    })
    .returning();
  if (!rule) throw new Error("hint rule upsert returned nothing");
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "hint_rule.saved",
    targetType: "hint_rule",
    targetId: rule.id,
    meta: { ifSku: input.ifSku, suggestSku: input.suggestSku, text: input.text },
  });
  return rule;
}

export async function deleteHintRule(
  tx: Tx,
  input: { tenantId: string; ruleId: string; actor: { userId: string; ip: string | null } },
) {
  const removed = await tx
    .delete(hintRules)
    .where(eq(hintRules.id, input.ruleId))
    .returning({ id: hintRules.id, ifSku: hintRules.ifSku, suggestSku: hintRules.suggestSku });
  if (removed.length === 0) throw new AppError("not_found", "No such rule", "hint_rule_not_found");
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "hint_rule.deleted",
    targetType: "hint_rule",
    targetId: input.ruleId,
    meta: removed[0],
  });
}
