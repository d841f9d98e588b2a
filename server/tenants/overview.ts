import { count } from "drizzle-orm";
import { withTenant } from "@/db/client";
import { products } from "@/db/schema";
import { listLocations } from "./locations";

/** The back-office overview: the café's locations and the size of its menu. */
export function tenantOverview(tenantId: string) {
  return withTenant(tenantId, async (tx) => ({
    locations: await listLocations(tx),
    productCount: (await tx.select({ value: count() }).from(products))[0]?.value ?? 0,
  }));
}
