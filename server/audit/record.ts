import type { Tx } from "@/db/client";
import { auditLog } from "@/db/schema";
import type { AuditAction } from "./actions";

export type AuditEntry = {
  tenantId: string;
  actorKind: "staff" | "guest" | "pos_key" | "system";
  actorUserId?: string | null;
  actorRef?: string | null;
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  ip?: string | null;
  meta?: Record<string, unknown>;
};

/** Writes an audit entry in the caller's transaction, so it exists exactly when the change does. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    tenantId: entry.tenantId,
    actorKind: entry.actorKind,
    actorUserId: entry.actorUserId ?? null,
    actorRef: entry.actorRef ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    ip: entry.ip ?? null,
    meta: entry.meta,
  });
}
