import { eq } from "drizzle-orm";
import { cache } from "react";
import { appDb, type Database } from "@/db/client";
import { tenants } from "@/db/schema";
import { TENANT_SLUG } from "./create";

export type TenantSummary = typeof tenants.$inferSelect;

/** The tenant behind a URL slug, or null. Cached per request (layouts and pages share it). */
export const findTenantBySlug = cache(async (slug: string, db: Database = appDb()): Promise<TenantSummary | null> => {
  if (!TENANT_SLUG.test(slug)) return null;
  const [tenant] = await db.select().from(tenants).where(eq(tenants.slug, slug)).limit(1);
  return tenant ?? null;
});
