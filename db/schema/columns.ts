import { integer, timestamp, uuid } from "drizzle-orm/pg-core";

/** Every tenant table starts with this column; it leads its keys (DESIGN.md, tenancy). */
export const tenantIdColumn = () => uuid("tenant_id").notNull();

/** Surrogate id of a tenant row; unique only together with tenant_id. */
export const idColumn = () => uuid("id").notNull().defaultRandom();

/** Money in integer minor units of the tenant's currency. */
export const money = (name: string) => integer(name);

/** Points are integers: 1 point pays for 1 major unit. */
export const points = (name: string) => integer(name);

export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
export const at = (name: string) => timestamp(name, { withTimezone: true });
