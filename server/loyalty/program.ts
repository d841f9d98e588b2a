import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import type { Tier } from "./formulas";

export type Program = {
  currency: string;
  locale: string;
  tiers: Tier[];
  maxRedeemPercent: number;
  welcomeBonus: number;
  birthdayBonus: number;
  surveyBonus: number;
  holdTtlSeconds: number;
  expireAfterInactiveDays: number | null;
  /** Asked for by POS requests, in the same query: their key's state and the subscription's. */
  key?: { active: boolean; subscriptionActive: boolean };
};

type ProgramJson = Omit<Program, "key"> & { keyActive: boolean | null; subscriptionActive: boolean | null };

/**
 * The loyalty rules of the tenant bound to `tx`, tiers by rising minSpend, in one round trip
 * (SQL function loyalty_program_json); with `keyId`, also whether that POS key and the
 * subscription are active.
 */
export async function loadProgram(tx: Tx, options: { keyId?: string } = {}): Promise<Program> {
  const [row] = await tx.execute<{ program: ProgramJson | null }>(
    sql`select loyalty_program_json(${options.keyId ?? null}::uuid) as program`,
  );
  return programOf(row?.program ?? null, options.keyId);
}

/**
 * Binds the transaction to `tenantId` (RLS) and reads its program with the POS key's state, in
 * one round trip (SQL function bind_tenant_program): the first statement of every POS request.
 */
export async function bindTenantProgram(tx: Tx, tenantId: string, keyId: string): Promise<Program> {
  const [row] = await tx.execute<{ program: ProgramJson | null }>(
    sql`select bind_tenant_program(${tenantId}::uuid, ${keyId}::uuid) as program`,
  );
  return programOf(row?.program ?? null, keyId);
}

function programOf(json: ProgramJson | null, keyId: string | undefined): Program {
  if (!json) throw new Error("The tenant has no loyalty program");
  const { keyActive, subscriptionActive, ...program } = json;
  return {
    ...program,
    key: keyId ? { active: keyActive === true, subscriptionActive: subscriptionActive === true } : undefined,
  };
}

export function tierName(program: Program, tierId: string): string {
  return program.tiers.find((tier) => tier.id === tierId)?.name ?? "";
}
