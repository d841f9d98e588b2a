import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { type Tier, tierNameIn } from "./formulas";

/** What one version of the loyalty rules sets. */
export type RuleSet = {
  tiers: Tier[];
  maxRedeemPercent: number;
  welcomeBonus: number;
  birthdayBonus: number;
  surveyBonus: number;
  holdTtlSeconds: number;
  expireAfterInactiveDays: number | null;
};

/** A version of the café's rules: the first rules are number 1, in force since always (`effectiveFrom` null). */
export type RuleVersion = {
  number: number;
  effectiveFrom: string | null;
  /** Whether a changed expiry counts inactivity from before `effectiveFrom` (see loyalty_rule_versions). */
  retroactive: boolean;
  rules: RuleSet;
};

/** The café's rules in force at one moment, with every version of them. */
export type Program = RuleSet & {
  /** Raised by the database on every change of the program (see programAtVersion). */
  version: number;
  currency: string;
  locale: string;
  /** The rule version these rules are (1 = the café's first rules). */
  ruleVersion: number;
  /** When these rules came into force; null for the first rules. */
  effectiveFrom: string | null;
  retroactive: boolean;
  /** Every version, oldest first, so the rules of any moment are found in memory (`rulesAt`). */
  versions: readonly RuleVersion[];
};

type StoredProgram = RuleSet & {
  version: number;
  currency: string;
  locale: string;
  versions: { number: number; effectiveFrom: string; retroactive: boolean; rules: RuleSet }[];
};

/** Versions' start (epoch ms; the first rules: −∞), computed once per read program. */
const startsOf = new WeakMap<readonly RuleVersion[], number[]>();
/** The program resolved at each version, so picking rules for a receipt allocates nothing. */
const resolvedAt = new WeakMap<RuleVersion, Readonly<Program>>();

function fromStored(stored: StoredProgram): Readonly<Program> {
  const first: RuleVersion = {
    number: 1,
    effectiveFrom: null,
    retroactive: false,
    rules: {
      tiers: stored.tiers,
      maxRedeemPercent: stored.maxRedeemPercent,
      welcomeBonus: stored.welcomeBonus,
      birthdayBonus: stored.birthdayBonus,
      surveyBonus: stored.surveyBonus,
      holdTtlSeconds: stored.holdTtlSeconds,
      expireAfterInactiveDays: stored.expireAfterInactiveDays,
    },
  };
  const versions: RuleVersion[] = [
    first,
    ...stored.versions.map((version) => ({
      ...version,
      effectiveFrom: new Date(version.effectiveFrom).toISOString(),
      rules: { ...version.rules, tiers: [...version.rules.tiers].sort((a, b) => a.minSpend - b.minSpend) },
    })),
  ];
  for (const version of versions) {
    for (const tier of version.rules.tiers) Object.freeze(tier);
    Object.freeze(version.rules.tiers);
    Object.freeze(version.rules);
    Object.freeze(version);
  }
  Object.freeze(versions);
  startsOf.set(
    versions,
    versions.map((version) => (version.effectiveFrom === null ? -Infinity : Date.parse(version.effectiveFrom))),
  );
  const base = { version: stored.version, currency: stored.currency, locale: stored.locale, versions };
  for (const version of versions) {
    resolvedAt.set(
      version,
      Object.freeze({
        ...base,
        ...version.rules,
        ruleVersion: version.number,
        effectiveFrom: version.effectiveFrom,
        retroactive: version.retroactive,
      }),
    );
  }
  return rulesAt({ versions }, new Date());
}

/**
 * The rules in force at `at` (a receipt's occurredAt, say): the latest version started by then —
 * of two starting at once, the later published. Before the first version's start: the first rules.
 */
export function rulesAt(program: Pick<Program, "versions">, at: Date | string): Readonly<Program> {
  const time = typeof at === "string" ? Date.parse(at) : at.getTime();
  const starts = startsOf.get(program.versions) ?? program.versions.map((v) => Date.parse(v.effectiveFrom ?? ""));
  let index = 0;
  for (let i = 1; i < starts.length; i += 1) {
    if ((starts[i] ?? Infinity) <= time) index = i;
  }
  const version = program.versions[index];
  const resolved = version ? resolvedAt.get(version) : undefined;
  if (!resolved) throw new Error("The loyalty program has no rules");
  return resolved;
}

/** The loyalty rules of the tenant bound to `tx` in force at `at` (now), tiers by rising minSpend, in one round trip. */
export async function loadProgram(tx: Tx, at: Date = new Date()): Promise<Readonly<Program>> {
  const [row] = await tx.execute<{ program: StoredProgram | null }>(sql`select loyalty_program_json() as program`);
  if (!row?.program) throw new Error("The tenant has no loyalty program");
  return rulesAt(fromStored(row.program), at);
}

/** Programs this server has read, by tenant; shared and frozen. */
const rememberedPrograms = new Map<string, Readonly<Program>>();
const MAX_REMEMBERED_PROGRAMS = 10_000;

/**
 * The program of the tenant bound to `tx`, given its current version (read with the request's
 * first statement), with the rules in force now: from memory when this server has read that
 * version, else read again. A change anywhere (a published rule version too) raises the version,
 * so no server ever uses an outdated program; a version starting later is already in memory and
 * picked by time (`rulesAt`), so midnight needs no read either.
 */
export async function programAtVersion(tx: Tx, tenantId: string, version: number): Promise<Readonly<Program>> {
  const known = rememberedPrograms.get(tenantId);
  if (known?.version === version) return rulesAt(known, new Date());
  const [row] = await tx.execute<{ program: StoredProgram | null }>(sql`select loyalty_program_json() as program`);
  if (!row?.program) throw new Error("The tenant has no loyalty program");
  // Read after the version: a change committed in between is kept under the older version and
  // read again by the next request.
  const program = fromStored({ ...row.program, version: Math.min(version, row.program.version) });
  if (rememberedPrograms.size >= MAX_REMEMBERED_PROGRAMS) rememberedPrograms.clear();
  rememberedPrograms.set(tenantId, program);
  return program;
}

/**
 * The name of a tier: as the rules in force call it, else as the latest version that had it; in
 * the reader's language (`locale`) when the café named it in that language too.
 */
export function tierName(program: Program, tierId: string, locale?: string): string {
  const named = (tier: Tier) => (locale ? tierNameIn(tier, locale) : tier.name);
  const current = program.tiers.find((tier) => tier.id === tierId);
  if (current) return named(current);
  for (let i = program.versions.length - 1; i >= 0; i -= 1) {
    const found = program.versions[i]?.rules.tiers.find((tier) => tier.id === tierId);
    if (found) return named(found);
  }
  return "";
}

/**
 * How the expiry in force counts inactivity: `days` without a visit (null = points never
 * expire), counted from the guest's last visit but — when the version that set this expiry was
 * not retroactive — not from before that version's start.
 */
export function expiryRule(program: Program): { days: number | null; countsFrom: Date | null } {
  const days = program.expireAfterInactiveDays;
  const index = program.versions.findIndex((version) => version.number === program.ruleVersion);
  let start = index;
  while (start > 0 && program.versions[start - 1]?.rules.expireAfterInactiveDays === days) start -= 1;
  const setBy = program.versions[start];
  const countsFrom = setBy?.effectiveFrom && !setBy.retroactive ? new Date(setBy.effectiveFrom) : null;
  return { days, countsFrom };
}
