import { randomBytes } from "node:crypto";
import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { locations, posApiKeys } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { sha256Hex } from "../auth/secrets";
import { AppError } from "../errors";

const KEY_PREFIX = "zk_live_";
/** How much of the key stays visible in lists ("zk_live_Ab3d…"). */
const DISPLAY_PREFIX_LENGTH = KEY_PREFIX.length + 6;

export type KeyActor = { actorKind: "staff" | "system"; actorUserId?: string | null; ip?: string | null };

/**
 * Creates a POS key for one location of the tenant bound to `tx`. Only the SHA-256 hash and a
 * display prefix are stored: the returned `key` is the only time anyone sees it.
 */
export async function createPosKey(
  tx: Tx,
  input: { tenantId: string; locationSlug: string; name: string; actor: KeyActor },
): Promise<{ id: string; key: string; prefix: string; locationId: string }> {
  const [location] = await tx.select().from(locations).where(eq(locations.slug, input.locationSlug));
  if (!location) throw new AppError("not_found", `No location ${input.locationSlug}`, "location_not_found");
  const key = `${KEY_PREFIX}${randomBytes(24).toString("base64url")}`;
  const prefix = key.slice(0, DISPLAY_PREFIX_LENGTH);
  const [row] = await tx
    .insert(posApiKeys)
    .values({
      tenantId: input.tenantId,
      locationId: location.id,
      name: input.name,
      keyHash: sha256Hex(key),
      prefix,
      createdBy: input.actor.actorUserId ?? null,
    })
    .returning({ id: posApiKeys.id });
  if (!row) throw new Error("pos key insert returned nothing");
  await recordAudit(tx, {
    tenantId: input.tenantId,
    ...input.actor,
    action: "pos_key.create",
    targetType: "pos_key",
    targetId: row.id,
    meta: { name: input.name, prefix, location: location.slug },
  });
  return { id: row.id, key, prefix, locationId: location.id };
}

/** Revokes a key by id or display prefix; a revoked key answers 401 from the next request on. */
export async function revokePosKey(tx: Tx, input: { tenantId: string; key: string; actor: KeyActor }) {
  const isUuid = /^[0-9a-f-]{36}$/i.test(input.key);
  const matches = await tx
    .select()
    .from(posApiKeys)
    .where(
      and(
        isNull(posApiKeys.revokedAt),
        isUuid
          ? eq(posApiKeys.id, input.key)
          : or(eq(posApiKeys.prefix, input.key), eq(posApiKeys.keyHash, sha256Hex(input.key))),
      ),
    );
  if (matches.length === 0) throw new AppError("not_found", `No active key ${input.key}`, "key_not_found");
  if (matches.length > 1) throw new AppError("conflict", `Prefix ${input.key} matches several keys; use the id`);
  const [key] = matches;
  if (!key) throw new Error("unreachable");
  await tx.update(posApiKeys).set({ revokedAt: sql`now()` }).where(eq(posApiKeys.id, key.id));
  await recordAudit(tx, {
    tenantId: input.tenantId,
    ...input.actor,
    action: "pos_key.revoke",
    targetType: "pos_key",
    targetId: key.id,
    meta: { name: key.name, prefix: key.prefix },
  });
  return { id: key.id, prefix: key.prefix, name: key.name };
}

/** The tenant's keys, without hashes. */
export function listPosKeys(tx: Tx) {
  return tx
    .select({
      id: posApiKeys.id,
      name: posApiKeys.name,
      prefix: posApiKeys.prefix,
      location: locations.slug,
      createdAt: posApiKeys.createdAt,
      lastUsedAt: posApiKeys.lastUsedAt,
      revokedAt: posApiKeys.revokedAt,
    })
    .from(posApiKeys)
    .innerJoin(locations, and(eq(locations.tenantId, posApiKeys.tenantId), eq(locations.id, posApiKeys.locationId)))
    .orderBy(asc(posApiKeys.createdAt));
}
