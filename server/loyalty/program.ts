import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import type { Tier } from "./formulas";

export type Program = {
  /** Raised by the database on every change of the program (see programAtVersion). */
  version: number;
  currency: string;
  locale: string;
  tiers: Tier[];
  maxRedeemPercent: number;
  welcomeBonus: number;
  birthdayBonus: number;
  surveyBonus: number;
  holdTtlSeconds: number;
  expireAfterInactiveDays: number | null;
};

/** The loyalty rules of the tenant bound to `tx`, tiers by rising minSpend, in one round trip. */
export async function loadProgram(tx: Tx): Promise<Program> {
  const [row] = await tx.execute<{ program: Program | null }>(sql`select loyalty_program_json() as program`);
  if (!row?.program) throw new Error("The tenant has no loyalty program");
  return row.program;
}

/** Programs this server has read, by tenant; shared and frozen. */
const rememberedPrograms = new Map<string, Readonly<Program>>();
const MAX_REMEMBERED_PROGRAMS = 10_000;

/**
 * The program of the tenant bound to `tx`, given its current version (read with the request's
 * first statement): from memory when this server has read that version, else read again. A
 * change anywhere raises the version, so no server ever uses an outdated program.
 */
export async function programAtVersion(tx: Tx, tenantId: string, version: number): Promise<Readonly<Program>> {
  const known = rememberedPrograms.get(tenantId);
  if (known?.version === version) return known;
  const program = await loadProgram(tx);
  for (const tier of program.tiers) Object.freeze(tier);
  Object.freeze(program.tiers);
  if (rememberedPrograms.size >= MAX_REMEMBERED_PROGRAMS) rememberedPrograms.clear();
  // Read after the version: a change committed in between is kept under the older version and
  // read again by the next request.
  const remembered = Object.freeze({ ...program, version: Math.min(version, program.version) });
  rememberedPrograms.set(tenantId, remembered);
  return remembered;
}

export function tierName(program: Program, tierId: string): string {
  return program.tiers.find((tier) => tier.id === tierId)?.name ?? "";
}
