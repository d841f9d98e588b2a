import { bigint, foreignKey, index, integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { at, createdAt, idColumn, tenantIdColumn } from "./columns";
import { tenants, users } from "./platform";
import { locations } from "./tenancy";

/** POS API keys: only a SHA-256 hash and a display prefix are stored; the key is shown once. */
export const posApiKeys = pgTable(
  "pos_api_keys",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: idColumn(),
    locationId: uuid("location_id").notNull(),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull(),
    prefix: text("prefix").notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    lastUsedAt: at("last_used_at"),
    revokedAt: at("revoked_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.locationId], foreignColumns: [locations.tenantId, locations.id] }),
    // Looked up by hash before the tenant is known, through a SECURITY DEFINER function.
    index("pos_api_keys_hash_idx").on(t.keyHash),
  ],
);

/** The recent POS requests per key, for the integrations page. */
export const posRequestLog = pgTable(
  "pos_request_log",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity(),
    keyId: uuid("key_id").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    status: integer("status").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    errorCode: text("error_code"),
    requestId: text("request_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.keyId], foreignColumns: [posApiKeys.tenantId, posApiKeys.id] }).onDelete(
      "cascade",
    ),
    index("pos_request_log_key_idx").on(t.tenantId, t.keyId, t.id),
  ],
);
