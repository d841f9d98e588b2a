import type { Database, Tx } from "@/db/client";
import { securityEvents } from "@/db/schema";
import type { AuditAction } from "../audit/actions";

/** The audit actions that are security events (Extract: one missing from AUDIT_ACTIONS cannot be recorded). */
export type SecurityAction = Extract<
  AuditAction,
  | "sign_in.succeeded"
  | "sign_in.failed"
  | "sign_in.locked"
  | "sign_in.second_factor_failed"
  | "sign_in.recovery_code_used"
  | "two_factor.enabled"
  | "two_factor.recovery_codes_regenerated"
  | "sessions.revoked"
  | "password.reset_requested"
  | "password.changed"
  | "account.created"
  | "account.email_verified"
>;

/**
 * A staff member's security event (sign-ins, 2FA, sessions, passwords). They belong to the
 * person, not one café; each café's audit page shows those of its members.
 */
export async function recordSecurityEvent(
  db: Database | Tx,
  event: { action: SecurityAction; userId?: string | null; email?: string | null; ip?: string | null; meta?: object },
): Promise<void> {
  await db.insert(securityEvents).values({
    action: event.action,
    userId: event.userId ?? null,
    email: event.email ?? null,
    ip: event.ip ?? null,
    meta: event.meta ?? null,
  });
}
