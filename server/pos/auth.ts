import { type SQL, sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";
import { sha256Hex } from "../auth/secrets";
import { planOf } from "../billing/plans";
import { billingEnabled } from "../env";
import { AppError } from "../errors";
import { type Program, programAtVersion } from "../loyalty/program";
import { rememberPosRate } from "./rate-limit";

export type PosIdentity = { tenantId: string; keyId: string; locationId: string };

const KEY_FORMAT = /^zk_live_[A-Za-z0-9_-]{20,64}$/;
/** Which tenant and location a key belongs to never changes: it is remembered per process. */
const MAX_REMEMBERED_KEYS = 10_000;
const directory = new Map<string, PosIdentity>();

const unauthorized = () => new AppError("unauthorized", "Unknown or revoked key", "unauthorized");

/**
 * Finds the tenant and location of `Authorization: Bearer zk_live_…` (401 for no or unknown key).
 * Whether the key is still active is read by the statement that binds the request's transaction
 * (`posKeyState`, then `posProgram`), so a revocation takes effect from the very next request.
 */
export async function identifyPosKey(db: Database, authorization: string | null): Promise<PosIdentity> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const key = match?.[1];
  if (!key) throw new AppError("unauthorized", "Send the POS key as Authorization: Bearer <key>", "unauthorized");
  if (!KEY_FORMAT.test(key)) throw unauthorized();
  const keyHash = sha256Hex(key);
  const known = directory.get(keyHash);
  if (known) return known;
  const [row] = await db.execute<{ tenant_id: string; key_id: string; location_id: string }>(
    sql`select tenant_id, key_id, location_id from pos_key_lookup(${keyHash})`,
  );
  if (!row) throw unauthorized();
  const identity = { tenantId: row.tenant_id, keyId: row.key_id, locationId: row.location_id };
  if (directory.size >= MAX_REMEMBERED_KEYS) directory.clear();
  directory.set(keyHash, identity);
  return identity;
}

/** What `pos_key_state` says of a key (all null for an unknown one). */
export type PosKeyState = {
  key_active: boolean | null;
  subscription_active: boolean | null;
  program_version: string | number | null;
  /** The café's plan (start | pro | chain), for its POS rate. */
  plan: string | null;
};

/**
 * The key's, its café's subscription's and program version's state, read by the statement that
 * binds a POS request's transaction to the tenant (`withTenant`'s `readAlong`): pos_key_state runs
 * as its owner, past RLS, so it does not depend on that binding.
 */
export function posKeyState(keyId: string): SQL {
  return sql`pos_key_state(${keyId}::uuid)`;
}

/**
 * 401 unless the key is still active, 402 unless the subscription is; then the café's loyalty
 * program, from memory while its version holds.
 */
export async function posProgram(tx: Tx, tenantId: string, state: PosKeyState | null): Promise<Readonly<Program>> {
  if (!state?.key_active) throw unauthorized();
  // Billing off (self-hosted): every café is active, at the default rate.
  const billing = billingEnabled();
  if (billing) rememberPosRate(tenantId, planOf(state.plan).posRequestsPerSecond);
  if (billing && !state.subscription_active) {
    throw new AppError("payment_required", "The café's Zerno subscription is not active", "subscription_inactive");
  }
  return programAtVersion(tx, tenantId, Number(state.program_version));
}
