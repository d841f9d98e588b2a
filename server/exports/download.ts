import { appDb, withTenant } from "@/db/client";
import { currentStaffSession } from "../auth/session";
import { resolveStaffAccess } from "../auth/staff";
import { AppError } from "../errors";
import { findTenantBySlug } from "../tenants/queries";
import { exportArchive } from "./tenant-export";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A finished archive of the café's export for the signed-in member allowed to export (an archive
 * with guests' personal data for an owner only); NOT_FOUND for anyone else, as for unknown ids.
 */
export async function archiveForDownload(tenantSlug: string, exportId: string) {
  const tenant = await findTenantBySlug(tenantSlug);
  const access = await resolveStaffAccess(appDb(), await currentStaffSession(), tenant, "data.export");
  if (!access.ok || !tenant || !UUID.test(exportId))
    throw new AppError("not_found", "No such export", "export_not_found");
  const archive = await withTenant(tenant.id, (tx) => exportArchive(tx, { exportId, role: access.staff.role }));
  return { ...archive, fileName: `${tenant.slug}-export-${archive.createdAt.toISOString().slice(0, 10)}.zip` };
}
