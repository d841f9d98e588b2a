// Simulating the history (pure: no database, deterministic for a given `now`).

import { randomUUID } from "node:crypto";
import { authenticator } from "otplib";
import { inHoldout } from "../../server/campaigns/audience";
import type { Tier } from "../../server/loyalty/formulas";
import { DEFAULT_OPENING_HOURS } from "../../server/tenants/create";
import type {
  campaignSends,
  campaigns,
  guestConsents,
  guests,
  ledgerEntries,
  receiptLines,
  receipts,
  redemptions,
  refunds,
} from "../schema";
import { atMinute, calendar, DAY_MS, type Day } from "./calendar";
import { addMinutes, ascii, clamp, isoDate, must, repeat, sum, time, toMinutes } from "./helpers";
import { LoyaltyBook } from "./loyalty-book";
import type { MenuProduct } from "./menu";
import { hashString, Random } from "./random";
import type { AudienceSpec, CategoryKind, FinishedWinBackSpec, ModifierOptionSpec, TenantSpec } from "./spec";
import type { LocationRef, Program } from "./tenant";

const HISTORY_DAYS = 90;

export type HistoryRows = {
  guests: (typeof guests.$inferInsert)[];
  consents: (typeof guestConsents.$inferInsert)[];
  redemptions: (typeof redemptions.$inferInsert)[];
  receipts: (typeof receipts.$inferInsert)[];
  receiptLines: (typeof receiptLines.$inferInsert)[];
  refunds: (typeof refunds.$inferInsert)[];
  ledger: (typeof ledgerEntries.$inferInsert)[];
  /** The finished win-back automation and its rows (after the guests they point at). */
  campaigns: (typeof campaigns.$inferInsert)[];
  campaignSends: (typeof campaignSends.$inferInsert)[];
};

export type SimulationInput = {
  spec: TenantSpec;
  now: Date;
  tenantId: string;
  locations: LocationRef[];
  tiers: Tier[];
  program: Program;
  menu: MenuProduct[];
};

export function simulateHistory(input: SimulationInput): HistoryRows {
  const { spec, now, locations, menu } = input;
  // Seeded by the slug: each tenant gets its own story, the same one on every run.
  const rng = new Random(hashString(spec.tenant.slug));
  const days = calendar(now, spec.tenant.timezone, HISTORY_DAYS);
  const stock = new DailyStock();
  const context = { days, now, locations, menu, stock, audience: spec.audience };
  const guestPlans = withShowcaseCard(createGuests(rng, spec.audience, locations, menu, now), spec.audience).map(
    (profile) => planGuest(rng, profile, context),
  );
  const guestVisits = guestPlans.flatMap((plan) => plan.visits);
  const anonymousVisits = planAnonymousVisits(rng, guestVisits, spec.audience.anonymousShare, { now, menu, stock });
  // The win-back cohort draws from its own PRNG, after everyone else: the rest of the story stays as it was.
  const winBackRng = new Random(hashString(`${spec.tenant.slug}:finished-win-back`));
  const winBack = spec.engagement.finishedWinBack
    ? planFinishedWinBack(winBackRng, spec.engagement.finishedWinBack, input, context, guestPlans)
    : null;
  const checks = numberChecks(rng, winBackRng, [...guestVisits, ...anonymousVisits, ...(winBack?.visits ?? [])]);
  const refundPlan = planRefunds(rng, checks, spec.audience.refunds, now);

  const book = new LoyaltyBook(input, rng, winBackRng);
  for (const plan of [...guestPlans, ...(winBack?.plans ?? [])]) book.enrol(plan);
  for (const check of checks) {
    book.closeCheck(check);
    for (const refund of refundPlan.get(check) ?? []) book.refund(check, refund);
  }
  const rows = book.finish();
  if (winBack) {
    rows.campaigns.push(winBack.campaign);
    rows.campaignSends.push(...winBack.sends);
  }
  return rows;
}

// --- Guests ----------------------------------------------------------------------------------

/**
 * The first regular gets the audience's showcase card code (the README's and the e2e's "540 987
 * 000"), after the random draw, so every other guest and visit stays as it was.
 */
function withShowcaseCard(profiles: GuestProfile[], audience: AudienceSpec): GuestProfile[] {
  const code = audience.showcaseCardCode;
  if (!code) return profiles;
  const first = profiles.find((profile) => profile.persona === "regular");
  const holder = profiles.find((profile) => profile.cardCode === code);
  if (first && holder && holder !== first) holder.cardCode = first.cardCode;
  if (first) first.cardCode = code;
  return profiles;
}

type Persona = "regular" | "occasional" | "sleeping" | "never_visited";

export type GuestProfile = {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  birthday: string | null;
  cardCode: string;
  qrSecret: string;
  marketingOptIn: boolean;
  signUp: "pos" | "online";
  persona: Persona;
  home: LocationRef;
  /** The drink a regular orders on most visits, modifiers included. */
  favourite: OrderLine | null;
  /** A regular's usual weekday time, minutes after midnight. */
  usualMinute: number;
  /** One of the finished win-back's guests (their story draws from its own PRNG). */
  winBack?: boolean;
};

function createGuests(rng: Random, audience: AudienceSpec, locations: LocationRef[], menu: MenuProduct[], now: Date) {
  const personas = assignPersonas(rng, audience);
  const identities = new IdentityFactory(rng, audience, now.getUTCFullYear());
  return personas.map((persona): GuestProfile => {
    const home = rng.weighted(locations, (location) => location.spec.footfall);
    const signUp = persona === "never_visited" || rng.chance(audience.onlineSignUpShare) ? "online" : "pos";
    const person = identities.next({ needsEmail: signUp === "online" });
    return {
      id: randomUUID(),
      ...person,
      // The QR code is a TOTP bound to the guest: a real secret, never derived from the seed.
      qrSecret: authenticator.generateSecret(20),
      marketingOptIn: rng.chance(audience.marketingShare),
      signUp,
      persona,
      home,
      favourite: persona === "regular" ? orderDrink(rng, pickDrink(rng, menuAt(menu, home))) : null,
      // Most regulars drop in before work, the rest at lunch.
      usualMinute: rng.chance(0.7) ? rng.int(8 * 60, 9 * 60 + 45) : rng.int(12 * 60 + 30, 14 * 60),
    };
  });
}

/** Exact persona counts (not per-guest coin flips), in shuffled order. */
function assignPersonas(rng: Random, audience: AudienceSpec): Persona[] {
  const count = (share: number) => Math.round(audience.guests * share);
  const regular = count(audience.regularShare);
  const sleeping = count(audience.sleepingShare);
  const neverVisited = count(audience.neverVisitedShare);
  const personas: Persona[] = [
    ...repeat<Persona>("regular", regular),
    ...repeat<Persona>("sleeping", sleeping),
    ...repeat<Persona>("never_visited", neverVisited),
    ...repeat<Persona>("occasional", audience.guests - regular - sleeping - neverVisited),
  ];
  return rng.shuffle(personas);
}

/** Names, phones, emails, birthdays and card codes, unique where the schema says so. */
class IdentityFactory {
  private readonly phones = new Set<string>();
  private readonly emails = new Set<string>();
  private readonly cardCodes = new Set<string>();

  constructor(
    private readonly rng: Random,
    private readonly audience: AudienceSpec,
    private readonly currentYear: number,
  ) {}

  /** Marks another factory's guests' phones, emails and card codes as taken. */
  reserve(profiles: GuestProfile[]): this {
    for (const profile of profiles) {
      this.phones.add(profile.phone);
      this.cardCodes.add(profile.cardCode);
      if (profile.email) this.emails.add(profile.email);
    }
    return this;
  }

  next(options: { needsEmail: boolean }) {
    const { rng, audience } = this;
    const female = rng.chance(0.55);
    const first = rng.pick(female ? audience.names.female : audience.names.male);
    const surname = rng.pick(audience.names.surnames);
    const last = female ? audience.names.feminine(surname) : surname;
    const birthYear = this.currentYear - rng.int(18, 60);
    return {
      name: `${first} ${last}`,
      phone: this.unique(this.phones, () => audience.phone.prefix + rng.digits(audience.phone.digits)),
      email: options.needsEmail || rng.chance(audience.emailShare) ? this.email(first, last, birthYear) : null,
      birthday: rng.chance(audience.birthdayShare)
        ? isoDate(Date.UTC(birthYear, 0, 1) + rng.int(0, 364) * DAY_MS)
        : null,
      // 9 digits: never mistaken for a 10-digit national phone number at the till.
      cardCode: this.unique(this.cardCodes, () => String(rng.int(1, 9)) + rng.digits(8)),
    };
  }

  /** Addresses at reserved example domains, so a demo campaign can never mail a real person. */
  private email(first: string, last: string, birthYear: number): string {
    const local = this.rng.pick([
      `${ascii(first)}.${ascii(last)}`,
      `${ascii(first)}${birthYear % 100}`,
      `${ascii(first).slice(0, 1)}${ascii(last)}`,
    ]);
    const domain = this.rng.pick(["example.com", "example.org", "example.net"]);
    return this.unique(this.emails, (attempt) => `${local}${attempt === 0 ? "" : attempt + 1}@${domain}`);
  }

  private unique(taken: Set<string>, candidate: (attempt: number) => string): string {
    for (let attempt = 0; ; attempt++) {
      const value = candidate(attempt);
      if (!taken.has(value)) {
        taken.add(value);
        return value;
      }
    }
  }
}

// --- Visits ----------------------------------------------------------------------------------

type OrderLine = { product: MenuProduct; options: ModifierOptionSpec[]; quantity: number };

type Visit = {
  guest: GuestProfile | null;
  location: LocationRef;
  day: Day;
  at: Date;
  lines: OrderLine[];
  /** Planned for the finished win-back (its guests' visits and the walk-ins around them). */
  winBack?: boolean;
};

export type GuestPlan = { profile: GuestProfile; enrolledAt: Date; visits: Visit[] };

type PlanningContext = {
  days: Day[];
  now: Date;
  locations: LocationRef[];
  menu: MenuProduct[];
  stock: DailyStock;
  audience: AudienceSpec;
};

/** A guest's visits over the history, and when they joined (just before the first one at the till). */
function planGuest(rng: Random, profile: GuestProfile, context: PlanningContext): GuestPlan {
  const { days, now } = context;
  const window = activeWindow(rng, profile.persona);
  const chance = visitChance(rng, profile.persona, context.audience);
  const activeDays = days.filter((day) => day.daysAgo <= window.from && day.daysAgo >= window.until);
  const visits: Visit[] = [];
  for (const day of activeDays) {
    if (rng.chance(day.weekend ? chance.weekend : chance.weekday)) {
      const visit = planGuestVisit(rng, profile, day, context);
      if (visit) visits.push(visit);
    }
  }
  // Everyone but the never-visited came at least once: on the first day of their window that works.
  for (const day of visits.length === 0 ? activeDays : []) {
    const visit = planGuestVisit(rng, profile, day, context);
    if (visit) {
      visits.push(visit);
      break;
    }
  }
  const first = visits[0];
  const enrolledAt = first
    ? addMinutes(first.at, profile.signUp === "pos" ? -3 : -rng.int(60, 5 * 24 * 60))
    : addMinutes(now, -rng.int(60, HISTORY_DAYS * 24 * 60));
  return { profile, enrolledAt, visits };
}

/** The span of days (counted back from today) in which the guest comes at all. */
function activeWindow(rng: Random, persona: Persona): { from: number; until: number } {
  switch (persona) {
    case "regular":
      return { from: rng.int(HISTORY_DAYS - 15, HISTORY_DAYS), until: 0 };
    case "sleeping": {
      // Stopped coming more than 30 days ago: the win-back campaign's audience.
      const from = rng.int(45, HISTORY_DAYS);
      return { from, until: rng.int(31, from - 10) };
    }
    case "occasional":
      return { from: rng.int(1, HISTORY_DAYS), until: 0 };
    case "never_visited":
      return { from: -1, until: 0 };
  }
}

/** Daily visit probability: regulars come on workdays, occasional guests rather at weekends. */
function visitChance(rng: Random, persona: Persona, audience: AudienceSpec): { weekday: number; weekend: number } {
  if (persona === "regular") {
    const [fewest, most] = audience.regularVisitsPerWeek;
    // Five weekdays at p and two weekend days at p/2 make 6p visits a week.
    const perDay = Math.min(1, rng.int(fewest, most) / 6);
    return { weekday: perDay, weekend: perDay / 2 };
  }
  const [often, rarely] = audience.occasionalEveryDays;
  const perDay = (persona === "sleeping" ? 1.5 : 1) / rng.int(often, rarely);
  return { weekday: perDay, weekend: Math.min(1, perDay * 1.5) };
}

function planGuestVisit(rng: Random, profile: GuestProfile, day: Day, context: PlanningContext): Visit | null {
  const location = rng.chance(0.85) ? profile.home : rng.pick(context.locations);
  const hours = openingOn(location, day);
  if (!hours) return null;
  const minute =
    profile.persona === "regular" && !day.weekend
      ? clamp(profile.usualMinute + rng.int(-15, 15), hours.open, hours.lastOrder)
      : sampleMinute(rng, day, hours);
  const at = atMinute(day, minute);
  if (at >= context.now) return null;
  const lines = basket(rng, { location, day, minute, favourite: profile.favourite }, context);
  return lines.length > 0 ? { guest: profile, location, day, at, lines } : null;
}

/**
 * Walk-in guests without a card: per café and day, as many as keep their share of all checks,
 * at the usual times of day.
 */
function planAnonymousVisits(
  rng: Random,
  guestVisits: Visit[],
  anonymousShare: number,
  context: Pick<PlanningContext, "now" | "menu" | "stock">,
): Visit[] {
  const perCafeDay = new Map<string, { location: LocationRef; day: Day; count: number }>();
  for (const visit of guestVisits) {
    const key = `${visit.location.id}/${visit.day.key}`;
    const entry = perCafeDay.get(key) ?? { location: visit.location, day: visit.day, count: 0 };
    entry.count += 1;
    perCafeDay.set(key, entry);
  }
  const ratio = anonymousShare / (1 - anonymousShare);
  const visits: Visit[] = [];
  for (const { location, day, count } of perCafeDay.values()) {
    const hours = openingOn(location, day);
    if (!hours) continue;
    // Stochastic rounding keeps the expected share exact even on quiet days.
    const walkIns = Math.floor(count * ratio + rng.next());
    for (let i = 0; i < walkIns; i++) {
      const minute = sampleMinute(rng, day, hours);
      const at = atMinute(day, minute);
      if (at >= context.now) continue;
      const lines = basket(rng, { location, day, minute, favourite: null }, context);
      if (lines.length > 0) visits.push({ guest: null, location, day, at, lines });
    }
  }
  return visits;
}

/** Relative footfall by hour: a morning peak, a lunch bump and a quiet evening; weekends start later. */
const FOOTFALL_BY_HOUR: Record<"weekday" | "weekend", Record<number, number>> = {
  weekday: { 7: 3, 8: 10, 9: 9, 10: 5, 11: 3, 12: 5, 13: 6, 14: 3, 15: 3, 16: 3, 17: 4, 18: 3, 19: 2, 20: 1, 21: 1 },
  weekend: { 9: 3, 10: 6, 11: 8, 12: 8, 13: 7, 14: 6, 15: 5, 16: 5, 17: 4, 18: 3, 19: 2, 20: 1, 21: 1 },
};

function sampleMinute(rng: Random, day: Day, hours: CafeHours): number {
  const hourly = Object.entries(FOOTFALL_BY_HOUR[day.weekend ? "weekend" : "weekday"])
    .map(([hour, weight]) => ({ hour: Number(hour), weight }))
    .filter(({ hour }) => hour * 60 + 59 >= hours.open && hour * 60 <= hours.lastOrder);
  const { hour } = rng.weighted(hourly, (entry) => entry.weight);
  return clamp(hour * 60 + rng.int(0, 59), hours.open, hours.lastOrder);
}

type CafeHours = { open: number; lastOrder: number };

/** Opening hours of the café that day, in minutes; checks start a few minutes after opening. */
function openingOn(location: LocationRef, day: Day): CafeHours | null {
  const span = (location.spec.openingHours ?? DEFAULT_OPENING_HOURS)[day.isoWeekday][0];
  if (!span) return null;
  return { open: toMinutes(span[0]) + 3, lastOrder: toMinutes(span[1]) - 10 };
}

// --- Baskets ---------------------------------------------------------------------------------

type BasketContext = { location: LocationRef; day: Day; minute: number; favourite: OrderLine | null };

/** One check's lines: usually a drink, often food that fits the time of day; a friend's drink now and then. */
function basket(rng: Random, visit: BasketContext, context: Pick<PlanningContext, "menu" | "stock">): OrderLine[] {
  const menu = menuAt(context.menu, visit.location);
  const lines: OrderLine[] = [];
  const add = (line: OrderLine | null) => {
    if (line && context.stock.take(visit.location, visit.day, line.product, line.quantity)) lines.push(line);
  };
  if (rng.chance(0.95)) {
    const favouriteHere = visit.favourite && menu.includes(visit.favourite.product) ? visit.favourite : null;
    add(favouriteHere && rng.chance(0.8) ? favouriteHere : orderDrink(rng, pickDrink(rng, menu)));
  }
  if (rng.chance(0.12)) add(orderDrink(rng, pickDrink(rng, menu)));
  const morning = visit.minute < 11 * 60;
  const lunch = !morning && visit.minute < 15 * 60;
  if (rng.chance(morning ? 0.3 : lunch ? 0.2 : 0.05)) add(orderFood(rng, menu, "breakfast"));
  if (rng.chance(morning ? 0.2 : 0.3)) add(orderFood(rng, menu, "dessert"));
  return lines;
}

function menuAt(menu: MenuProduct[], location: LocationRef): MenuProduct[] {
  return menu.filter((product) => !product.unavailableAt?.includes(location.spec.slug));
}

function pickDrink(rng: Random, menu: MenuProduct[]): MenuProduct {
  return rng.weighted(
    menu.filter((product) => product.category.kind === "drink"),
    (product) => product.popularity,
  );
}

function orderFood(rng: Random, menu: MenuProduct[], kind: CategoryKind): OrderLine | null {
  const choices = menu.filter((product) => product.category.kind === kind);
  if (choices.length === 0) return null;
  const product = rng.weighted(choices, (item) => item.popularity);
  return { product, options: [], quantity: rng.chance(0.1) ? 2 : 1 };
}

/** A drink with its modifiers: a required group always gets an option, an optional one sometimes. */
function orderDrink(rng: Random, product: MenuProduct): OrderLine {
  const options = product.groups.flatMap((group): ModifierOptionSpec[] => {
    const popularity = (option: ModifierOptionSpec) => option.popularity ?? 1;
    if (group.minSelect > 0) return [rng.weighted(group.options, popularity)];
    if (!rng.chance(group.uptake ?? 0)) return [];
    const extras = group.options.filter((option) => !option.isDefault);
    const first = rng.weighted(extras, popularity);
    const others = extras.filter((option) => option !== first);
    // Now and then a second option where the group allows it (vanilla and caramel).
    return group.maxSelect > 1 && others.length > 0 && rng.chance(0.15) ? [first, rng.pick(others)] : [first];
  });
  return { product, options, quantity: 1 };
}

/** Portions sold per café and day, so products with a daily limit sell out instead of overselling. */
class DailyStock {
  private readonly sold = new Map<string, number>();

  take(location: LocationRef, day: Day, product: MenuProduct, quantity: number): boolean {
    if (product.dailyLimit === undefined) return true;
    const key = `${location.id}/${day.key}/${product.sku}`;
    const sold = this.sold.get(key) ?? 0;
    if (sold + quantity > product.dailyLimit) return false;
    this.sold.set(key, sold + quantity);
    return true;
  }
}

// --- Checks and refunds ----------------------------------------------------------------------

type ReceiptLine = { sku: string; name: string; quantity: number; unitPrice: number; amount: number; category: string };

export type Check = Visit & {
  id: string;
  externalId: string;
  receiptLines: ReceiptLine[];
  total: number;
  fiscal: { fn: string; fd: string; fp: string } | null;
};

/** How far the fiscal drives' document counters already were when the history starts. */
const FIRST_FISCAL_DOCUMENT = 4_211;

/**
 * In time order, each café numbers its checks (`T-000001`) and its fiscal documents; the win-back
 * cohort's fiscal signs come from its own PRNG.
 */
function numberChecks(rng: Random, winBackRng: Random, visits: Visit[]): Check[] {
  // Stable sort with a stable tie-break: the fiscal signs below are drawn in this order.
  const sorted = [...visits].sort(
    (a, b) => time(a.at) - time(b.at) || a.location.spec.slug.localeCompare(b.location.spec.slug),
  );
  const counters = new Map<string, number>();
  return sorted.map((visit) => {
    const number = (counters.get(visit.location.id) ?? 0) + 1;
    counters.set(visit.location.id, number);
    const receiptLines = visit.lines.map(toReceiptLine);
    const drive = visit.location.spec.fiscalDrive;
    return {
      ...visit,
      id: randomUUID(),
      externalId: `${visit.location.spec.checkPrefix}-${String(number).padStart(6, "0")}`,
      receiptLines,
      total: sum(receiptLines.map((line) => line.amount)),
      fiscal: drive
        ? {
            fn: drive,
            fd: String(FIRST_FISCAL_DOCUMENT + number),
            fp: signWith(visit.winBack ? winBackRng : rng),
          }
        : null,
    };
  });
}

function signWith(rng: Random): string {
  return String(rng.int(1, 9)) + rng.digits(9);
}

/** The line as the POS sends it: the product's SKU, its modifiers spelled out in the name. */
function toReceiptLine(line: OrderLine): ReceiptLine {
  const unitPrice = line.product.price + sum(line.options.map((option) => option.priceDelta));
  return {
    sku: line.product.sku,
    name: [line.product.name, ...line.options.map((option) => option.name)].join(", "),
    quantity: line.quantity,
    unitPrice,
    amount: unitPrice * line.quantity,
    category: line.product.category.slug,
  };
}

export type RefundPlan = { amount: number; at: Date };

/**
 * A few refunds of guests' checks, minutes after the check (a wrong order, a spilled cup): full
 * ones, one line of a check, and a check refunded in two parts. Never a guest's first check:
 * refunding it could leave the guest's lifetime paid money below zero.
 */
function planRefunds(rng: Random, checks: Check[], count: number, now: Date): Map<Check, RefundPlan[]> {
  const firstChecks = new Set<string>();
  const candidates = checks.filter((check) => {
    // The win-back cohort's checks stay unrefunded: its story is told by its own PRNG.
    if (!check.guest || check.winBack) return false;
    const isFirst = !firstChecks.has(check.guest.id);
    firstChecks.add(check.guest.id);
    return !isFirst && time(check.at) < time(now) - 3 * 60 * 60 * 1000;
  });
  const plans = new Map<Check, RefundPlan[]>();
  for (const [index, check] of rng.shuffle(candidates).slice(0, count).entries()) {
    const lastLine = must(check.receiptLines.at(-1));
    const shape = index % 3;
    if (shape === 1 && check.receiptLines.length > 1) {
      plans.set(check, [{ amount: lastLine.amount, at: addMinutes(check.at, 12) }]);
    } else if (shape === 2) {
      const firstPart = Math.floor(check.total / 3);
      plans.set(check, [
        { amount: firstPart, at: addMinutes(check.at, 10) },
        { amount: check.total - firstPart, at: addMinutes(check.at, 25) },
      ]);
    } else {
      plans.set(check, [{ amount: check.total, at: addMinutes(check.at, 8) }]);
    }
  }
  return plans;
}

// --- The finished win-back -------------------------------------------------------------------

type FinishedWinBack = {
  plans: GuestPlan[];
  visits: Visit[];
  campaign: typeof campaigns.$inferInsert;
  sends: (typeof campaignSends.$inferInsert)[];
};

/** Where a cohort guest ends up: drawn into a group, or skipped before the draw. */
type Reach = "target" | "holdout" | "no_consent" | "no_email";

/** The runs reach guests in the morning, café time. */
const RUN_MINUTE = 10 * 60;

/**
 * Guests who fell asleep while a weekly win-back automation ran, and that automation, finished:
 * a few visits some days apart, the last 18–24 days before the run that reached them, then its row
 * — messaged, held out, or skipped without consent or email, as server/campaigns/audience.ts
 * records them. Exactly the spec's share of each group comes back within the window (the
 * messaged ones far more often), through ordinary visits. A guest's group is the engine's own:
 * the guest's (random) id is drawn until `inHoldout` puts them where the story has them, so the
 * rows agree with the hash and the story is the same on every run.
 */
function planFinishedWinBack(
  rng: Random,
  spec: FinishedWinBackSpec,
  input: SimulationInput,
  context: PlanningContext,
  others: GuestPlan[],
): FinishedWinBack {
  const { tenantId, now, locations, menu } = input;
  const campaignId = randomUUID();
  const drawn = spec.guests - spec.noConsent - spec.noEmail;
  const heldOut = Math.round((drawn * spec.holdoutPercent) / 100);
  const reaches = rng.shuffle<Reach>([
    ...repeat<Reach>("target", drawn - heldOut),
    ...repeat<Reach>("holdout", heldOut),
    ...repeat<Reach>("no_consent", spec.noConsent),
    ...repeat<Reach>("no_email", spec.noEmail),
  ]);
  const comingBack = new Map<Reach, number>();
  for (const reach of reaches) comingBack.set(reach, (comingBack.get(reach) ?? 0) + 1);
  // Only the messaged come back at the target's rate; everyone else at the hold-out's.
  for (const [reach, count] of comingBack) {
    comingBack.set(reach, Math.round(count * (reach === "target" ? spec.cameBack.target : spec.cameBack.holdout)));
  }
  const identities = new IdentityFactory(rng, context.audience, now.getUTCFullYear()).reserve(
    others.map((plan) => plan.profile),
  );
  const dayAgo = (daysAgo: number) => must(context.days.find((day) => day.daysAgo === daysAgo));
  const runDaysAgo = (run: number) => spec.windowDays + 1 + 7 * (spec.runs - 1 - run);
  const runAt = (run: number) => atMinute(dayAgo(runDaysAgo(run)), RUN_MINUTE);

  const plans: GuestPlan[] = [];
  const sends: FinishedWinBack["sends"] = [];
  for (const [index, reach] of reaches.entries()) {
    const run = index % spec.runs;
    const sentDaysAgo = runDaysAgo(run);
    const queuedAt = runAt(run);
    const person = identities.next({ needsEmail: reach !== "no_email" });
    const home = rng.weighted(locations, (location) => location.spec.footfall);
    const profile: GuestProfile = {
      id: guestIdIn(reach, (id) => inHoldout(tenantId, campaignId, id, spec.holdoutPercent)),
      ...person,
      email: reach === "no_email" ? null : person.email,
      qrSecret: authenticator.generateSecret(20),
      marketingOptIn: reach !== "no_consent",
      signUp: "pos",
      persona: "occasional",
      home,
      favourite: orderDrink(rng, pickDrink(rng, menuAt(menu, home))),
      usualMinute: RUN_MINUTE,
      winBack: true,
    };
    const visitOn = (daysAgo: number) => {
      const visit = planGuestVisit(rng, profile, dayAgo(daysAgo), context);
      return visit ? { ...visit, winBack: true } : null;
    };
    const lastDaysAgo = sentDaysAgo + rng.int(18, 24);
    const firstDaysAgo = Math.min(HISTORY_DAYS - 1, lastDaysAgo + rng.int(10, 30));
    const visits: Visit[] = [];
    for (let daysAgo = firstDaysAgo; daysAgo > lastDaysAgo; daysAgo -= rng.int(4, 9)) {
      const visit = visitOn(daysAgo);
      if (visit) visits.push(visit);
    }
    // The visit after which they fell asleep (the next open day, should the café be closed).
    for (let daysAgo = lastDaysAgo; daysAgo > lastDaysAgo - 3; daysAgo--) {
      const visit = visitOn(daysAgo);
      if (visit) {
        visits.push(visit);
        break;
      }
    }
    const lapse = must(visits.at(-1));
    let cameBackAt: Date | null = null;
    const left = comingBack.get(reach) ?? 0;
    if (left > 0) {
      comingBack.set(reach, left - 1);
      // Within the window: on a day after the run, up to the window's last whole day.
      for (let after = rng.int(1, spec.windowDays - 3); after < spec.windowDays && !cameBackAt; after++) {
        const visit = visitOn(sentDaysAgo - after);
        if (!visit) continue;
        visits.push(visit);
        cameBackAt = visit.at;
        const again = sentDaysAgo - after - rng.int(1, 3);
        const second = again >= 1 && rng.chance(0.35) ? visitOn(again) : null;
        if (second) visits.push(second);
      }
    }
    plans.push({ profile, enrolledAt: addMinutes(must(visits[0]).at, -3), visits });
    const messaged = reach === "target";
    sends.push({
      tenantId,
      campaignId,
      guestId: profile.id,
      occasion: lapse.day.key,
      group: reach === "holdout" ? "holdout" : "target",
      status: messaged ? "delivered" : reach === "holdout" ? "held_out" : "skipped",
      skipReason: reach === "no_consent" || reach === "no_email" ? reach : null,
      attempts: messaged ? 1 : 0,
      queuedAt,
      sentAt: messaged ? addMinutes(queuedAt, 1) : null,
      deliveredAt: messaged ? addMinutes(queuedAt, 2) : null,
      convertedAt: messaged ? cameBackAt : null,
      createdAt: queuedAt,
    });
  }
  const visits = plans.flatMap((plan) => plan.visits);
  const walkIns = planAnonymousVisits(rng, visits, context.audience.anonymousShare, context).map((visit) => ({
    ...visit,
    winBack: true,
  }));
  const launchedAt = runAt(0);
  const finishedAt = addMinutes(runAt(spec.runs - 1), 24 * 60);
  return {
    plans,
    visits: [...visits, ...walkIns],
    campaign: {
      tenantId,
      id: campaignId,
      name: spec.name,
      kind: "win_back",
      status: "finished",
      subject: spec.subject,
      body: spec.body,
      holdoutPercent: spec.holdoutPercent,
      windowDays: spec.windowDays,
      launchedAt,
      finishedAt,
      createdAt: addMinutes(launchedAt, -24 * 60),
      updatedAt: finishedAt,
    },
    sends,
  };
}

/** A random guest id the campaign's hash puts in the hold-out exactly when the story does. */
function guestIdIn(reach: Reach, heldOutByHash: (id: string) => boolean): string {
  if (reach !== "target" && reach !== "holdout") return randomUUID();
  for (;;) {
    const id = randomUUID();
    if (heldOutByHash(id) === (reach === "holdout")) return id;
  }
}
