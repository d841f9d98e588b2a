import { forbidden, notFound, redirect } from "next/navigation";
import { appDb } from "@/db/client";
import { findTenantBySlug } from "../tenants/queries";
import type { Permission } from "./permissions";
import { currentStaffSession } from "./session";
import { resolveStaffAccess, type StaffAccess, type StaffMember } from "./staff";

/** Whether this request's staff session may do `permission` in the URL's café (route handlers answer it). */
export async function staffAccessFor(tenantSlug: string, permission: Permission): Promise<StaffAccess> {
  const session = await currentStaffSession();
  return resolveStaffAccess(appDb(), session, await findTenantBySlug(tenantSlug), permission);
}

/**
 * For back-office pages: the signed-in member of the URL's tenant allowed to `permission`.
 * Signed out → sign-in; not a member → 404; 2FA missing → enrolment or verification; denied → 403.
 */
export async function requireStaffPage(tenantSlug: string, permission: Permission, path: string): Promise<StaffMember> {
  const access = await staffAccessFor(tenantSlug, permission);
  if (access.ok) return access.staff;
  if (access.reason === "signed_out") redirect(`/sign-in?next=${encodeURIComponent(path)}`);
  if (access.reason === "two_factor_required") redirect(`/account/two-factor?next=${encodeURIComponent(path)}`);
  if (access.reason === "forbidden") forbidden();
  notFound();
}
