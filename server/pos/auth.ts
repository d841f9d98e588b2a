import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { sha256Hex } from "../auth/secrets";
import { AppError } from "../errors";

export type PosIdentity = { tenantId: string; keyId: string; locationId: string };

const KEY_FORMAT = /^zk_live_[A-Za-z0-9_-]{20,64}$/;

const unauthorized = (message: string) => new AppError("unauthorized", message, "unauthorized");

/**
 * Resolves `Authorization: Bearer zk_live_…` to its tenant and location: 401 for no, unknown or
 * revoked keys (checked on every request, so a revocation takes effect at once), 402 when the
 * tenant's subscription is not active.
 */
export async function authenticatePosKey(db: Database, authorization: string | null): Promise<PosIdentity> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const key = match?.[1];
  if (!key) throw unauthorized("Send the POS key as Authorization: Bearer <key>");
  if (!KEY_FORMAT.test(key)) throw unauthorized("Unknown or revoked key");
  const [row] = await db.execute<{
    tenant_id: string;
    key_id: string;
    location_id: string;
    revoked_at: string | null;
    subscription_active: boolean;
  }>(sql`select * from pos_key_lookup(${sha256Hex(key)})`);
  if (!row || row.revoked_at) throw unauthorized("Unknown or revoked key");
  if (!row.subscription_active) {
    throw new AppError("payment_required", "The café's Zerno subscription is not active", "subscription_inactive");
  }
  return { tenantId: row.tenant_id, keyId: row.key_id, locationId: row.location_id };
}
