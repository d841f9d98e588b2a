import { desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { loyaltyPrograms, loyaltyRuleVersions, loyaltyTiers, users } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { addDays, localDateOf, zonedTime } from "../orders/slots";
import { expiryRule, loadProgram, type Program, type RuleSet, rulesAt } from "./program";

/** A rule set as the owner edits it: a tier without `id` is a new one. */
export const ruleSetInput = z.object({
  tiers: z
    .array(
      z.object({
        id: z.uuid().optional(),
        name: z.string().trim().min(1).max(40),
        /** The name per UI language; a language left empty reads `name`. */
        names: z
          .object({ ru: z.string().trim().max(40).optional(), en: z.string().trim().max(40).optional() })
          .optional(),
        accrualPercent: z.number().int().min(0).max(100),
        /** Lifetime paid money (minor units) needed for the tier. */
        minSpend: z.number().int().min(0).max(1_000_000_000_000),
      }),
    )
    .min(1)
    .max(10),
  maxRedeemPercent: z.number().int().min(0).max(100),
  welcomeBonus: z.number().int().min(0).max(100_000),
  birthdayBonus: z.number().int().min(0).max(100_000),
  surveyBonus: z.number().int().min(0).max(100_000),
  holdTtlSeconds: z
    .number()
    .int()
    .min(60)
    .max(24 * 3600),
  expireAfterInactiveDays: z.number().int().min(1).max(3650).nullable(),
});
export type RuleSetInput = z.infer<typeof ruleSetInput>;

/** From when a new version applies: tomorrow 00:00 in the café's time zone (the default), now, or 00:00 of a date. */
export const effectiveInput = z.discriminatedUnion("when", [
  z.object({ when: z.literal("tomorrow") }),
  z.object({ when: z.literal("now") }),
  z.object({ when: z.literal("date"), date: z.iso.date() }),
]);
export type EffectiveInput = z.infer<typeof effectiveInput>;

export type RuleChange = {
  rules: RuleSetInput;
  effective: EffectiveInput;
  /** Whether a changed expiry counts inactivity from before the change (default false). */
  retroactive?: boolean;
};

/** The per-language names worth keeping: the filled-in ones. */
function cleanNames(names: { ru?: string; en?: string } | undefined): { ru?: string; en?: string } {
  return Object.fromEntries(Object.entries(names ?? {}).filter(([, value]) => Boolean(value?.trim())));
}

const invalid = (message: string, path: string, reason?: string) =>
  new AppError("invalid_request", message, reason, [{ path, message }]);

/** The instant a change takes effect, in the café's time zone; never in the past, never before a version already published. */
export function effectiveFromOf(effective: EffectiveInput, timeZone: string, now: Date): Date {
  if (effective.when === "now") return now;
  const today = localDateOf(now, timeZone);
  const date = effective.when === "tomorrow" ? addDays(today, 1) : effective.date;
  if (date <= today) throw invalid("The date must be after today", "effective.date", "effective_in_past");
  return zonedTime(date, 0, timeZone);
}

/** Refuses what zod cannot see: the lowest tier from the first visit, tiers with distinct names and thresholds. */
function checkRuleSet(rules: RuleSetInput): void {
  const sorted = [...rules.tiers]
    .map((tier, index) => ({ tier, index }))
    .sort((a, b) => a.tier.minSpend - b.tier.minSpend);
  const lowest = sorted[0];
  if (lowest && lowest.tier.minSpend !== 0) {
    throw invalid(
      "The lowest tier starts from the first visit (threshold 0)",
      `tiers.${lowest.index}.minSpend`,
      "first_tier_threshold",
    );
  }
  const names = new Set<string>();
  const thresholds = new Set<number>();
  rules.tiers.forEach((tier, index) => {
    const name = tier.name.trim().toLocaleLowerCase();
    if (names.has(name)) throw invalid("Two tiers have this name", `tiers.${index}.name`, "tier_name_taken");
    if (thresholds.has(tier.minSpend)) {
      throw invalid("Two tiers have this threshold", `tiers.${index}.minSpend`, "tier_threshold_taken");
    }
    names.add(name);
    thresholds.add(tier.minSpend);
  });
}

/** The version a change would follow: it may not start before the latest one published. */
function assertAfterLatest(program: Program, effectiveFrom: Date): void {
  const latest = program.versions.at(-1);
  if (latest?.effectiveFrom && Date.parse(latest.effectiveFrom) > effectiveFrom.getTime()) {
    throw invalid(
      `Version ${latest.number} starts on ${latest.effectiveFrom}: a new one starts then or later`,
      "effective",
      "before_scheduled",
    );
  }
}

/** Tiers named by id must be this café's (a tier of any version of its rules); another café's is a 404. */
function assertKnownTiers(program: Program, rules: RuleSetInput): void {
  const known = new Set(program.versions.flatMap((version) => version.rules.tiers.map((tier) => tier.id)));
  rules.tiers.forEach((tier, index) => {
    if (tier.id && !known.has(tier.id)) {
      throw new AppError("not_found", "No such tier", "tier_not_found", [{ path: `tiers.${index}.id` }]);
    }
  });
}

/** The rules the change would set, tiers by threshold; new tiers are given a placeholder id until published. */
function proposedRules(rules: RuleSetInput): RuleSet {
  return {
    ...rules,
    tiers: rules.tiers
      .map((tier, index) => ({
        ...tier,
        name: tier.name.trim(),
        names: cleanNames(tier.names),
        id: tier.id ?? `new-${index}`,
      }))
      .sort((a, b) => a.minSpend - b.minSpend),
  };
}

export type RulePreview = {
  effectiveFrom: string;
  /** The rules in force just before the change, against which it is shown. */
  before: { ruleVersion: number };
  tiers: {
    id: string;
    name: string;
    accrualPercent: number;
    /** The tier's accrual before the change; null for a new tier. */
    previousAccrualPercent: number | null;
    /** Guests in this tier by the new rules (today's lifetime paid money). */
    guests: number;
    movedUp: number;
    movedDown: number;
  }[];
  movedUp: number;
  movedDown: number;
  guests: number;
  /**
   * The first day the new expiry would take points if those guests do not come back (in the café's
   * time zone), and how many guests and points then; null when points would not expire.
   */
  expiry: { date: string; guests: number; points: number } | null;
  /** Receipts of the last 30 days with a guest: points they earned by the old rules and by the new ones (tiers as today). */
  lastThirtyDays: { receipts: number; pointsBefore: number; pointsAfter: number };
};

const bigintArray = (values: number[]) => `{${values.join(",")}}`;
const intArray = (values: number[]) => `{${values.join(",")}}`;

/** The index of the tier a lifetime-paid column reaches among `tiers` (sorted by threshold). */
const tierIndex = (tiers: readonly { minSpend: number }[]) =>
  sql`greatest(0, (select count(*) from unnest(${bigintArray(tiers.map((t) => t.minSpend))}::bigint[]) as threshold
    where threshold <= g.lifetime_paid)::int - 1)`;

/**
 * What a change would do to today's guests, computed from the database (guests not deleted):
 * who moves up or down a tier, what the tiers earn before and after, the first day the new
 * expiry would take points and how many, and the last 30 days' accrual by either rules.
 */
export async function previewRuleChange(
  tx: Tx,
  input: RuleChange & { timeZone: string; now?: Date },
): Promise<RulePreview> {
  const now = input.now ?? new Date();
  checkRuleSet(input.rules);
  const effectiveFrom = effectiveFromOf(input.effective, input.timeZone, now);
  const program = await loadProgram(tx, now);
  assertKnownTiers(program, input.rules);
  assertAfterLatest(program, effectiveFrom);
  const before = rulesAt(program, new Date(effectiveFrom.getTime() - 1));
  const next = proposedRules(input.rules);

  const moves = await tx.execute<{ before: number; after: number; guests: number }>(sql`
    select ${tierIndex(before.tiers)} as before, ${tierIndex(next.tiers)} as after, count(*)::int as guests
    from guests g where g.deleted_at is null group by 1, 2`);
  const tiers = next.tiers.map((tier) => ({
    id: tier.id,
    name: tier.name,
    accrualPercent: tier.accrualPercent,
    previousAccrualPercent: before.tiers.find((old) => old.id === tier.id)?.accrualPercent ?? null,
    guests: 0,
    movedUp: 0,
    movedDown: 0,
  }));
  for (const move of moves) {
    const from = before.tiers[move.before];
    const to = next.tiers[move.after];
    const row = tiers[move.after];
    if (!from || !to || !row) continue;
    row.guests += move.guests;
    if (from.id === to.id) continue;
    if (to.minSpend > from.minSpend) row.movedUp += move.guests;
    else row.movedDown += move.guests;
  }

  return {
    effectiveFrom: effectiveFrom.toISOString(),
    before: { ruleVersion: before.ruleVersion },
    tiers,
    movedUp: tiers.reduce((sum, tier) => sum + tier.movedUp, 0),
    movedDown: tiers.reduce((sum, tier) => sum + tier.movedDown, 0),
    guests: tiers.reduce((sum, tier) => sum + tier.guests, 0),
    expiry: await expiryPreview(tx, {
      before,
      next,
      effectiveFrom,
      retroactive: input.retroactive ?? false,
      timeZone: input.timeZone,
    }),
    lastThirtyDays: await accrualPreview(tx, { before, next, now }),
  };
}

/**
 * Each guest with points would lose them at max(last visit, start of counting) + days, not before
 * the change starts. The start of counting: unchanged expiry keeps the current one; a changed one
 * counts from the change unless it is retroactive (then from the last visit).
 */
async function expiryPreview(
  tx: Tx,
  input: { before: Program; next: RuleSet; effectiveFrom: Date; retroactive: boolean; timeZone: string },
): Promise<RulePreview["expiry"]> {
  const days = input.next.expireAfterInactiveDays;
  if (days === null) return null;
  const countsFrom =
    input.before.expireAfterInactiveDays === days
      ? expiryRule(input.before).countsFrom
      : input.retroactive
        ? null
        : input.effectiveFrom;
  const effectiveFrom = input.effectiveFrom.toISOString();
  const [row] = await tx.execute<{ first_day: string | null; guests: number; points: number }>(sql`
    with due as (
      select g.balance,
             greatest(greatest(coalesce(g.last_visit_at, g.created_at), ${countsFrom?.toISOString() ?? null}::timestamptz)
                      + make_interval(days => ${days}), ${effectiveFrom}::timestamptz) as at
      from guests g
      where g.deleted_at is null and g.balance > 0
    ), first as (
      select (min(at) at time zone ${input.timeZone})::date as day from due
    )
    select to_char(first.day, 'YYYY-MM-DD') as first_day, count(due.*)::int as guests,
           coalesce(sum(due.balance), 0)::int as points
    from first left join due on (due.at at time zone ${input.timeZone})::date = first.day
    group by first.day`);
  if (!row?.first_day) return null;
  return { date: row.first_day, guests: row.guests, points: row.points };
}

/** The last 30 days' receipts with a guest, earning by either rules at the guest's tier of today. */
async function accrualPreview(
  tx: Tx,
  input: { before: Program; next: RuleSet; now: Date },
): Promise<RulePreview["lastThirtyDays"]> {
  const earned = (rules: RuleSet) => sql`coalesce(sum(floor(greatest(0, r.total - r.points_redeemed * 100)::bigint
      * (${intArray(rules.tiers.map((t) => t.accrualPercent))}::int[])[${tierIndex(rules.tiers)} + 1] / 10000)), 0)::bigint`;
  const [row] = await tx.execute<{ receipts: number; before: string; after: string }>(sql`
    select count(*)::int as receipts, ${earned(input.before)} as before, ${earned(input.next)} as after
    from receipts r join guests g on g.id = r.guest_id
    where r.occurred_at > ${input.now.toISOString()}::timestamptz - interval '30 days'
      and r.occurred_at <= ${input.now.toISOString()}::timestamptz`);
  return {
    receipts: row?.receipts ?? 0,
    pointsBefore: Number(row?.before ?? 0),
    pointsAfter: Number(row?.after ?? 0),
  };
}

type Actor = { userId: string; ip: string | null };

/**
 * Publishes a change of the loyalty rules as a new version in force from its effective time
 * (tomorrow 00:00 in the café's time zone by default). Nothing earned is recomputed: receipts
 * keep what they earned, and later ones earn by the version in force at their time. The
 * insert raises the program's version, so every app server — the POS too — reads the rules
 * again at its next request. New tiers become tier rows (not part of the first rules). Audited.
 */
export async function publishRuleVersion(
  tx: Tx,
  input: RuleChange & { tenantId: string; timeZone: string; actor: Actor; now?: Date },
): Promise<{ number: number; effectiveFrom: string }> {
  checkRuleSet(input.rules);
  // One publication at a time per café: numbers follow each other, and each new version is
  // checked against the latest one.
  await tx.select({ version: loyaltyPrograms.version }).from(loyaltyPrograms).for("update");
  const now = input.now ?? new Date();
  const effectiveFrom = effectiveFromOf(input.effective, input.timeZone, now);
  const program = await loadProgram(tx, now);
  assertKnownTiers(program, input.rules);
  assertAfterLatest(program, effectiveFrom);

  const tiers = [];
  for (const tier of input.rules.tiers) {
    const id =
      tier.id ??
      (
        await tx
          .insert(loyaltyTiers)
          .values({
            tenantId: input.tenantId,
            name: tier.name.trim(),
            names: cleanNames(tier.names),
            accrualPercent: tier.accrualPercent,
            minSpend: tier.minSpend,
            active: false,
          })
          .returning({ id: loyaltyTiers.id })
      )[0]?.id;
    if (!id) throw new Error("The tier was not created");
    tiers.push({
      id,
      name: tier.name.trim(),
      names: cleanNames(tier.names),
      accrualPercent: tier.accrualPercent,
      minSpend: tier.minSpend,
    });
  }
  const rules: RuleSet = { ...input.rules, tiers: tiers.sort((a, b) => a.minSpend - b.minSpend) };
  const number = Math.max(...program.versions.map((version) => version.number)) + 1;
  await tx.insert(loyaltyRuleVersions).values({
    tenantId: input.tenantId,
    number,
    effectiveFrom,
    rules,
    retroactive: input.retroactive ?? false,
    publishedBy: input.actor.userId,
  });
  // In force at once: guests' stored tier follows (later receipts keep it in step anyway).
  if (effectiveFrom.getTime() <= now.getTime()) await settleTiers(tx, rules);
  const previous = rulesAt(program, new Date(effectiveFrom.getTime() - 1));
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "staff",
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "loyalty.rules_published",
    targetType: "loyalty_rules",
    targetId: String(number),
    meta: {
      number,
      effectiveFrom: effectiveFrom.toISOString(),
      retroactive: input.retroactive ?? false,
      previousVersion: previous.ruleVersion,
      changed: changedFields(previous, rules),
      rules,
    },
  });
  return { number, effectiveFrom: effectiveFrom.toISOString() };
}

/** Names of what a version changes against the one before it (the audit log's summary). */
function changedFields(before: RuleSet, after: RuleSet): string[] {
  const keys = [
    "maxRedeemPercent",
    "welcomeBonus",
    "birthdayBonus",
    "surveyBonus",
    "holdTtlSeconds",
    "expireAfterInactiveDays",
  ] as const;
  const changed: string[] = keys.filter((key) => before[key] !== after[key]);
  const tiersOf = (rules: RuleSet) =>
    JSON.stringify(rules.tiers.map((t) => [t.id, t.name, t.names ?? {}, t.accrualPercent, t.minSpend]));
  if (tiersOf(before) !== tiersOf(after)) changed.unshift("tiers");
  return changed;
}

/** Sets every guest's stored tier to the one their lifetime paid money reaches under `rules`. */
export async function settleTiers(tx: Tx, rules: RuleSet): Promise<void> {
  const ids = rules.tiers.map((tier) => tier.id);
  await tx.execute(sql`
    update guests g set tier_id = (${`{${ids.join(",")}}`}::uuid[])[${tierIndex(rules.tiers)} + 1]
    where g.tier_id is distinct from (${`{${ids.join(",")}}`}::uuid[])[${tierIndex(rules.tiers)} + 1]`);
}

export type RuleVersionView = {
  number: number;
  effectiveFrom: string | null;
  retroactive: boolean;
  rules: RuleSet;
  publishedBy: string | null;
  publishedAt: string | null;
  state: "in_force" | "scheduled" | "past";
};

/** Every version of the café's rules, newest first, with who published it and whether it is in force, scheduled or past. */
export async function ruleVersions(tx: Tx, now: Date = new Date()): Promise<RuleVersionView[]> {
  const program = await loadProgram(tx, now);
  const rows = await tx
    .select({
      number: loyaltyRuleVersions.number,
      createdAt: loyaltyRuleVersions.createdAt,
      email: users.email,
      name: users.name,
    })
    .from(loyaltyRuleVersions)
    .leftJoin(users, eq(users.id, loyaltyRuleVersions.publishedBy))
    .orderBy(desc(loyaltyRuleVersions.number));
  const byNumber = new Map(rows.map((row) => [row.number, row]));
  return [...program.versions]
    .sort((a, b) => b.number - a.number)
    .map((version) => {
      const row = byNumber.get(version.number);
      const starts = version.effectiveFrom ? Date.parse(version.effectiveFrom) : -Infinity;
      return {
        number: version.number,
        effectiveFrom: version.effectiveFrom,
        retroactive: version.retroactive,
        rules: version.rules,
        publishedBy: row ? (row.name ?? row.email ?? null) : null,
        publishedAt: row?.createdAt.toISOString() ?? null,
        state: version.number === program.ruleVersion ? "in_force" : starts > now.getTime() ? "scheduled" : "past",
      };
    });
}
