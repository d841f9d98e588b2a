import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import type { Role } from "./permissions";

export type TenantMembership = { slug: string; name: string; role: Role };

/** Every café the person works at, for the tenant switcher (a definer function: no tenant bound yet). */
export async function membershipsOf(db: Database, userId: string): Promise<TenantMembership[]> {
  return db.execute<TenantMembership>(sql`
    select t.slug, t.name, m.role
    from staff_memberships_of(${userId}) m join tenants t on t.id = m.tenant_id
    order by t.name`);
}
