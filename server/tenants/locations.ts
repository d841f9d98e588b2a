import { asc } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { locations } from "@/db/schema";

/** The locations of the tenant bound to `tx`, by name. */
export function listLocations(tx: Tx) {
  return tx.select().from(locations).orderBy(asc(locations.name));
}
