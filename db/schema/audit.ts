import { bigint, index, jsonb, pgEnum, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tenantIdColumn } from "./columns";
import { tenants, users } from "./platform";

export const auditActorKind = pgEnum("audit_actor_kind", ["staff", "guest", "pos_key", "system"]);

/** Who changed money, points, roles, keys, rules or personal data; written in the same transaction. */
export const auditLog = pgTable(
  "audit_log",
  {
    tenantId: tenantIdColumn().references(() => tenants.id),
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity(),
    actorKind: auditActorKind("actor_kind").notNull(),
    actorUserId: uuid("actor_user_id").references(() => users.id),
    /** Guest id or POS key id, when the actor is one of those. */
    actorRef: uuid("actor_ref"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ip: text("ip"),
    meta: jsonb("meta"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("audit_log_time_idx").on(t.tenantId, t.createdAt)],
);
