import { withTenant } from "@/db/client";
import { listLocations } from "../tenants/locations";
import { getMenu } from "./menu";

/** What the storefront shows: the café's locations and its menu. */
export function storefront(tenantId: string) {
  return withTenant(tenantId, async (tx) => ({ menu: await getMenu(tx), locations: await listLocations(tx) }));
}
