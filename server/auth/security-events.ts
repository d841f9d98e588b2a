import { sql } from "drizzle-orm";
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
 * A staff member's security event (sign-ins, 2FA, sessions, passwords). One that happened in a
 * café (`inTenantId`: a sign-in on the way to its back-office) shows on that café's audit page
 * only; one that names no café shows on the audit page of each café the person works at.
 */
export async function recordSecurityEvent(
  db: Database | Tx,
  event: {
    action: SecurityAction;
    userId?: string | null;
    email?: string | null;
    ip?: string | null;
    meta?: object;
    inTenantId?: string | null;
  },
): Promise<void> {
  await db.insert(securityEvents).values({
    action: event.action,
    userId: event.userId ?? null,
    inTenantId: event.inTenantId ?? null,
    email: event.email ?? null,
    ip: event.ip ?? null,
    meta: event.meta ?? null,
  });
}

const DASHBOARD_PATH = /^\/dashboard\/([a-z0-9-]{1,63})(?:[/?#]|$)/;

/**
 * The café a sign-in is on its way to: the back-office of `next` (`/dashboard/<café>/…`) when the
 * person works there, else null (the sign-in then names no café).
 */
export async function signInTenant(
  db: Database,
  userId: string,
  next: string | null | undefined,
): Promise<string | null> {
  const slug = next ? DASHBOARD_PATH.exec(next)?.[1] : undefined;
  if (!slug) return null;
  const [row] = await db.execute<{ tenant_id: string }>(sql`
    select m.tenant_id from staff_memberships_of(${userId}) m join tenants t on t.id = m.tenant_id
    where t.slug = ${slug}`);
  return row?.tenant_id ?? null;
}
