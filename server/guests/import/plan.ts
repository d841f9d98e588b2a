import { normalizePhone } from "../../loyalty/phone";
import type { ColumnMapping } from "./presets";

export type BalanceMode = "add" | "set";
export type TierMode = "carry" | "recompute";

/** A guest already at the café, as the import matches against it. */
export type ExistingGuest = {
  id: string;
  phone: string | null;
  cardCode: string;
  email: string | null;
  tierId: string;
};

export type TierInfo = { id: string; name: string; minSpend: number };

/** The fields of a guest the file gives, cleaned. */
type Person = {
  name: string | null;
  email: string | null;
  birthday: string | null;
  /** Points; null when the file leaves the balance empty (no change). */
  balance: number | null;
  tierId: string | null;
  /** Minor units; null when the file does not say. */
  lifetimePaid: number | null;
  marketing: boolean;
};

export type CreateRow = Person & { action: "create"; rowNo: number; phone: string; cardCode: string | null };
export type UpdateRow = Person & { action: "update"; rowNo: number; guestId: string };
export type RowPlan = CreateRow | UpdateRow;

/** A line of the report: a row skipped (and why), or imported with a remark. */
export type ReportLine = {
  row: number | null;
  kind: "skip" | "note";
  reason: string;
  /** The offending value, cut short (a bad phone, the tier name…). */
  value?: string;
  /** The earlier row a duplicate repeats. */
  otherRow?: number;
};

export type Report = {
  rows: number;
  create: number;
  update: number;
  skip: number;
  /** Count of lines by reason (all of them, even past the lines kept). */
  reasons: Record<string, number>;
  /** The first MAX_REPORT_LINES lines, by row. */
  lines: ReportLine[];
  /** Points of the rows to be imported, as the file states them. */
  fileTotal: number;
  /** Points of the rows skipped. */
  skippedTotal: number;
};

export const MAX_REPORT_LINES = 1_000;
/** A balance above this is a mistake in the file, not a guest's points. */
export const MAX_IMPORTED_BALANCE = 10_000_000;

const MAX_TEXT = 100;

/**
 * Decides, row by row, what the import does with a guest file: normalises each row (E.164
 * phones, a foreign one allowed only when valid; numbers; dates), matches it to a guest of the
 * café by phone, then card number, then email, and says create, update or skip — and why. The
 * same planner serves the dry run and the apply, so the apply does what the dry run showed
 * (unless the café's guests changed in between: the apply plans again under its lock).
 */
export class ImportPlanner {
  private readonly byPhone = new Map<string, ExistingGuest>();
  private readonly byCard = new Map<string, ExistingGuest>();
  private readonly byEmail = new Map<string, ExistingGuest>();
  /** Identities seen in earlier rows of the file → that row's number. */
  private readonly seen = new Map<string, number>();
  /** Card codes no new guest may take: the café's and the file's (a new guest keeps its card). */
  readonly takenCards = new Set<string>();
  /** Phones and emails (`phone:…`, `email:…`) of the café's deleted or blocked guests: never reused. */
  readonly closedIdentities = new Set<string>();
  private readonly tiersByName = new Map<string, TierInfo>();
  private readonly lines: ReportLine[] = [];
  private readonly reasons: Record<string, number> = {};
  private readonly counts = { rows: 0, create: 0, update: 0, skip: 0, fileTotal: 0, skippedTotal: 0 };

  constructor(
    private readonly tiers: TierInfo[],
    private readonly mapping: ColumnMapping,
    private readonly options: { balanceMode: BalanceMode; tierMode: TierMode },
  ) {
    this.tiers = [...tiers].sort((a, b) => a.minSpend - b.minSpend);
    for (const tier of tiers) this.tiersByName.set(tier.name.trim().toLowerCase(), tier);
  }

  /** A guest of the café rows may match (call for each before planning). */
  addExisting(guest: ExistingGuest) {
    if (guest.phone) this.byPhone.set(guest.phone, guest);
    this.byCard.set(guest.cardCode, guest);
    this.takenCards.add(guest.cardCode);
    if (guest.email) this.byEmail.set(guest.email.toLowerCase(), guest);
  }

  /** The row being planned (kept on the planner: no closures per row in a 500 000-row loop). */
  private rowNo = 0;
  private cells: readonly string[] = [];
  private notes: ReportLine[] = [];

  /** The plan for one row, or null when it is skipped (the report says why). */
  plan(rowNo: number, cells: readonly string[]): RowPlan | null {
    this.counts.rows += 1;
    this.rowNo = rowNo;
    this.cells = cells;
    this.notes = [];

    // Balance first: a row skipped for another reason still says how many points it held.
    const balanceText = this.cell("balance");
    const balance = parsePoints(balanceText);
    if (balance === "invalid") {
      return this.skip(startsLikeFormula(balanceText) ? "formula" : "bad_balance", 0, balanceText);
    }
    if (balance !== null && balance.points < 0) return this.skip("negative_balance", 0, balanceText);
    if (balance !== null && balance.points > MAX_IMPORTED_BALANCE)
      return this.skip("balance_too_large", 0, balanceText);
    if (balance?.rounded) this.note("fraction_rounded", balanceText);
    const points = balance?.points ?? 0;

    const phoneText = this.cell("phone");
    const phone = phoneText ? importPhone(phoneText) : null;
    if (phoneText && !phone) {
      return this.skip(startsLikeFormula(phoneText) ? "formula" : "bad_phone", points, phoneText);
    }
    if (phone && !phone.startsWith("+7")) this.note("foreign_phone", phone);
    const card = this.cell("card").replace(/\s+/g, "").slice(0, 64) || null;
    const emailText = this.cell("email").toLowerCase();
    const email = emailText && isEmail(emailText) ? emailText : null;
    if (emailText && !email) this.note("bad_email", emailText);
    if (!phone && !card && !email) return this.skip("no_identity", points);

    const keys = [phone ? `phone:${phone}` : null, card ? `card:${card}` : null, email ? `email:${email}` : null];
    for (const key of keys) {
      const earlier = key ? this.seen.get(key) : undefined;
      if (earlier !== undefined) return this.skip("duplicate", points, key?.slice(key.indexOf(":") + 1), earlier);
    }

    // Matched by phone, then card number, then email; two identifiers of two guests is a conflict.
    const byPhone = phone ? this.byPhone.get(phone) : undefined;
    const byCard = card ? this.byCard.get(card) : undefined;
    const byEmail = email ? this.byEmail.get(email) : undefined;
    const match = byPhone ?? byCard ?? byEmail;
    if (match && [byPhone, byCard, byEmail].some((guest) => guest !== undefined && guest.id !== match.id)) {
      return this.skip("conflict", points, phone ?? card ?? email ?? undefined);
    }
    if (!match && !phone) return this.skip("no_phone", points, card ?? email ?? undefined);
    const closed = keys.find((key) => key !== null && this.closedIdentities.has(key));
    if (closed) return this.skip("closed_guest", points, closed.slice(closed.indexOf(":") + 1));
    // One guest reached by two rows through different identifiers is a duplicate too: its balance
    // would change once while the ledger took both rows.
    const guestKey = match ? `guest:${match.id}` : null;
    const earlierOfGuest = guestKey ? this.seen.get(guestKey) : undefined;
    if (earlierOfGuest !== undefined)
      return this.skip("duplicate", points, phone ?? card ?? email ?? undefined, earlierOfGuest);
    for (const key of [...keys, guestKey]) if (key) this.seen.set(key, rowNo);

    const person = this.person();
    person.balance = balance === null ? null : points;
    person.email = email;
    for (const line of this.notes) this.line(line);
    if (balance !== null) this.counts.fileTotal += points;
    if (match) {
      this.counts.update += 1;
      return { ...person, action: "update", rowNo, guestId: match.id };
    }
    this.counts.create += 1;
    let cardCode: string | null = null;
    if (card && !this.takenCards.has(card)) {
      cardCode = card;
      this.takenCards.add(card);
    }
    return { ...person, action: "create", rowNo, phone: phone ?? "", cardCode };
  }

  private cell(field: keyof ColumnMapping): string {
    const index = this.mapping[field];
    return index === undefined ? "" : (this.cells[index] ?? "").trim();
  }

  private skip(reason: string, points: number, value?: string, otherRow?: number): null {
    this.counts.skip += 1;
    this.counts.skippedTotal += points;
    this.line({ row: this.rowNo, kind: "skip", reason, value: value?.slice(0, 60), otherRow });
    return null;
  }

  private note(reason: string, value?: string) {
    this.notes.push({ row: this.rowNo, kind: "note", reason, value: value?.slice(0, 60) });
  }

  /** A note about the whole file (row null), e.g. that it was imported before. */
  fileNote(reason: string, value?: string) {
    this.line({ row: null, kind: "note", reason, value });
  }

  report(): Report {
    return { ...this.counts, reasons: { ...this.reasons }, lines: [...this.lines] };
  }

  private line(line: ReportLine) {
    this.reasons[line.reason] = (this.reasons[line.reason] ?? 0) + 1;
    if (this.lines.length < MAX_REPORT_LINES) this.lines.push(line);
  }

  private person(): Person {
    const fullName =
      this.cell("name") || [this.cell("firstName"), this.cell("lastName")].filter((part) => part.length > 0).join(" ");
    // Stored as the text it is; the guest export neutralises it for spreadsheets (export.ts).
    if (startsLikeFormula(fullName)) this.note("formula_as_text", fullName);
    const birthdayText = this.cell("birthday");
    const birthday = birthdayText ? parseDate(birthdayText) : null;
    if (birthdayText && !birthday) this.note("bad_birthday", birthdayText);
    const spentText = this.cell("lifetimeSpent");
    const spent = spentText ? parsePoints(spentText) : null;
    const lifetimePaid =
      spent && spent !== "invalid" && spent.points >= 0 ? Math.round(parseAmount(spentText) * 100) : null;
    if (spentText && lifetimePaid === null) this.note("bad_lifetime_spent", spentText);
    return {
      name: fullName.slice(0, MAX_TEXT) || null,
      email: null,
      birthday,
      balance: null,
      tierId: this.tierOf(this.cell("tier"), lifetimePaid),
      lifetimePaid,
      marketing: isYes(this.cell("marketing")),
    };
  }

  /** carry: the file's tier by name (else as recompute); recompute: by lifetime spend; none: null. */
  private tierOf(name: string, lifetimePaid: number | null) {
    if (this.options.tierMode === "carry" && name) {
      const tier = this.tiersByName.get(name.toLowerCase());
      if (tier) return tier.id;
      this.note("unknown_tier", name);
    }
    if (lifetimePaid === null) return null;
    let chosen: TierInfo | undefined;
    for (const tier of this.tiers) if (tier.minSpend <= lifetimePaid) chosen = tier;
    return chosen?.id ?? null;
  }
}

const FORMATTING = /[\s()\-.]/g;
const RUSSIAN_MOBILE = /^(?:\+7|8|7)?(9\d{9})$/;

/** A phone as the import takes it: any valid number (a foreign one too) in E.164, else null. */
export function importPhone(text: string): string | null {
  // Russian mobile numbers, most of any file, without the parser (every +7 9XX XXX-XX-XX is valid).
  const russianMobile = RUSSIAN_MOBILE.exec(text.replace(FORMATTING, ""));
  if (russianMobile) return `+7${russianMobile[1]}`;
  const direct = normalizePhone(text);
  if (direct) return direct;
  // Spreadsheets lose the "+": 79161234567, 447911123456.
  const digits = text.replace(/[\s()\-.]/g, "");
  return /^\d{11,15}$/.test(digits) ? normalizePhone(`+${digits}`) : null;
}

/** Text a spreadsheet would run as a formula (numbers and +7… phones aside). */
export function startsLikeFormula(text: string): boolean {
  return /^[=+\-@\t\r]/.test(text) && !/^[+-]?[\d\s()\-.]+$/.test(text);
}

function parseAmount(text: string): number {
  return Number(text.replace(/[\s\u00a0\u202f]/g, "").replace(",", "."));
}

/** Whole points from "1 234", "1234,50", "12.0"; fractions rounded down (and said so). */
function parsePoints(text: string): { points: number; rounded: boolean } | null | "invalid" {
  if (text === "") return null;
  const compact = text.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  if (!/^[-+]?\d+(\.\d+)?$/.test(compact)) return "invalid";
  const value = Number(compact);
  const points = value < 0 ? -Math.floor(-value) : Math.floor(value);
  return { points, rounded: points !== value };
}

/** YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY or an Excel day number; null when not a real date. */
function parseDate(text: string): string | null {
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(text);
  let [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  if (!match) {
    match = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(text);
    if (match) [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  if (!match && /^\d{4,5}(\.0+)?$/.test(text)) {
    const date = new Date(Date.UTC(1899, 11, 30) + Number(text) * 86_400_000);
    [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  } else if (!match) {
    return null;
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 1900;
  if (!valid || date.getTime() > Date.now()) return null;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function isEmail(text: string): boolean {
  return text.length <= 254 && /^[^\s@"<>]+@[^\s@"<>]+\.[^\s@"<>]+$/.test(text);
}

/** Yes-ish marks of a consent column: 1, да, yes, true, subscribed… (anything else is no). */
function isYes(text: string): boolean {
  return /^(1|y|yes|true|да|д|\+|x|subscribed|согласен|согласна)$/i.test(text.trim());
}
