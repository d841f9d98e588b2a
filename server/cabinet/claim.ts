import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { receipts, refunds } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { lockName } from "../locks";
import { paidMoney, pointsEarned, tierFor } from "../loyalty/formulas";
import { postPoints } from "../loyalty/ledger";
import { type Program, rulesAt } from "../loyalty/program";
import { lockedActiveGuest } from "./summary";

/** A paper receipt can be claimed this long after the check was closed. */
export const CLAIM_WINDOW_DAYS = 30;

export type FiscalQr = {
  /** The check's local date and time as printed (no zone): `YYYYMMDDTHHMM[SS]`. */
  t: string;
  /** The total in minor units (from `s=RUB.kopecks`). */
  total: number;
  fn: string;
  fd: string;
  fp: string;
};

const malformed = (why: string) =>
  new AppError("invalid_request", `Malformed fiscal QR string: ${why}`, "malformed", [{ path: "qr", message: why }]);

const KEYS = ["t", "s", "fn", "i", "fp", "n"] as const;

/**
 * Parses the QR printed on a Russian fiscal receipt, strictly: exactly the keys t, s, fn, i, fp
 * and n, each once; t a real date `YYYYMMDDTHHMM[SS]`; s rubles with exactly two kopeck digits;
 * fn 16 digits; i (the fiscal document number) and fp (the fiscal sign) 1–10 digits; n = 1 (a
 * sale — a return receipt cannot be claimed). Anything else → invalid_request "malformed".
 */
export function parseFiscalQr(input: string): FiscalQr {
  const text = input.trim();
  if (text.length === 0 || text.length > 200) throw malformed("empty or too long");
  const values = new Map<string, string>();
  for (const pair of text.split("&")) {
    const match = /^([a-z]+)=([0-9A-Za-z.]*)$/.exec(pair);
    if (!match?.[1] || match[2] === undefined) throw malformed(`bad part "${pair.slice(0, 20)}"`);
    if (!(KEYS as readonly string[]).includes(match[1])) throw malformed(`unknown key ${match[1]}`);
    if (values.has(match[1])) throw malformed(`repeated key ${match[1]}`);
    values.set(match[1], match[2]);
  }
  const missing = KEYS.filter((key) => !values.has(key));
  if (missing.length > 0) throw malformed(`missing ${missing.join(", ")}`);
  const t = values.get("t") ?? "";
  const s = values.get("s") ?? "";
  const fn = values.get("fn") ?? "";
  const fd = values.get("i") ?? "";
  const fp = values.get("fp") ?? "";
  const time = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?$/.exec(t);
  if (!time || !validLocalTime(time)) throw malformed("t is not a date and time YYYYMMDDTHHMM[SS]");
  const sum = /^(\d{1,9})\.(\d{2})$/.exec(s);
  if (!sum?.[1] || !sum[2]) throw malformed("s is not an amount like 450.00");
  if (!/^\d{16}$/.test(fn)) throw malformed("fn is not 16 digits");
  if (!/^\d{1,10}$/.test(fd)) throw malformed("i is not a document number");
  if (!/^\d{1,10}$/.test(fp)) throw malformed("fp is not a fiscal sign");
  if (values.get("n") !== "1") throw malformed("n is not 1 (a sale)");
  return { t, total: Number(sum[1]) * 100 + Number(sum[2]), fn, fd, fp };
}

function validLocalTime(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const date = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 0, hour ?? 0, minute ?? 0, second ?? 0));
  return (
    (year ?? 0) >= 2000 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() + 1 === month &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

export type ClaimResult = { receiptId: string; pointsEarned: number; balance: number; tier: string };

/**
 * Makes an anonymous POS receipt the guest's, from the fiscal QR printed on the paper receipt,
 * and accrues exactly as the POS would have for the guest's tier before the claim. The receipt
 * is matched by fn, fd (`i`), fp and total (`s`); it must be anonymous and at most 30 days old.
 * Errors (nothing changes): malformed 400, receipt_not_found 404, already_claimed 409,
 * too_old / refunded 422 (a refunded receipt's points were never earned, so nothing is claimable).
 */
export async function claimPaperReceipt(
  tx: Tx,
  program: Program,
  guestId: string,
  fiscalQrString: string,
  now: Date,
  meta: { ip?: string | null } = {},
): Promise<ClaimResult> {
  const qr = parseFiscalQr(fiscalQrString);
  // Two guests claiming one paper receipt queue here (the first lock the transaction takes);
  // the second then sees the first's guest_id and gets already_claimed.
  await lockName(tx, `receipt-claim:${qr.fn}:${Number(qr.fd)}`);
  const [receipt] = await tx
    .select()
    .from(receipts)
    .where(
      and(
        eq(receipts.fiscalFn, qr.fn),
        // Fiscal numbers are printed without leading zeros on some receipts; compare as numbers.
        sql`ltrim(${receipts.fiscalFd}, '0') = ${stripZeros(qr.fd)}`,
        sql`ltrim(${receipts.fiscalFp}, '0') = ${stripZeros(qr.fp)}`,
        eq(receipts.total, qr.total),
      ),
    )
    // Should two receipts ever share fiscal data, the anonymous one is the one to claim.
    .orderBy(sql`${receipts.guestId} is not null`)
    .limit(1);
  if (!receipt) throw new AppError("not_found", "No receipt with this fiscal data", "receipt_not_found");
  if (receipt.guestId) throw new AppError("conflict", "The receipt is already claimed", "already_claimed");
  if (now.getTime() - receipt.occurredAt.getTime() > CLAIM_WINDOW_DAYS * 86_400_000) {
    throw new AppError("unprocessable", `Receipts can be claimed within ${CLAIM_WINDOW_DAYS} days`, "too_old");
  }
  const [refunded] = await tx
    .select({ id: refunds.id })
    .from(refunds)
    .where(eq(refunds.receiptId, receipt.id))
    .limit(1);
  if (refunded) throw new AppError("unprocessable", "The receipt was refunded", "refunded");

  const guest = await lockedActiveGuest(tx, guestId);
  // As recordReceipt: the tier before this check sets the percent; anonymous checks redeem nothing.
  // The rules in force when the check happened (a claim later does not change what it earns).
  const rules = rulesAt(program, new Date(Math.min(receipt.occurredAt.getTime(), now.getTime())));
  const tierBefore = tierFor(guest.lifetimePaid, rules.tiers);
  const earned = pointsEarned(receipt.total, receipt.pointsRedeemed, tierBefore.accrualPercent);
  const lifetimePaid = guest.lifetimePaid + paidMoney(receipt.total, receipt.pointsRedeemed);
  const tierAfter = tierFor(lifetimePaid, rules.tiers);
  const claimed = await tx
    .update(receipts)
    .set({ guestId: guest.id, claimedAt: now, pointsEarned: earned })
    .where(and(eq(receipts.id, receipt.id), sql`${receipts.guestId} is null`))
    .returning({ id: receipts.id });
  // Belt and braces behind the named lock: a POS never sets a guest on an existing receipt.
  if (claimed.length === 0) throw new AppError("conflict", "The receipt is already claimed", "already_claimed");
  const occurredAt = new Date(Math.min(receipt.occurredAt.getTime(), now.getTime()));
  const balance = await postPoints(
    tx,
    guest,
    [{ kind: "accrual", delta: earned, receiptId: receipt.id, note: "claimed" }],
    {
      lifetimePaid,
      tierId: tierAfter.id,
      lastVisitAt: guest.lastVisitAt && guest.lastVisitAt > occurredAt ? guest.lastVisitAt : occurredAt,
    },
  );
  await recordAudit(tx, {
    tenantId: guest.tenantId,
    actorKind: "guest",
    actorRef: guest.id,
    ip: meta.ip,
    action: "receipt.claim",
    targetType: "receipt",
    targetId: receipt.id,
    meta: { pointsEarned: earned, total: receipt.total, tierBefore: tierBefore.name, tierAfter: tierAfter.name },
  });
  return { receiptId: receipt.id, pointsEarned: earned, balance, tier: tierAfter.name };
}

function stripZeros(digits: string): string {
  return digits.replace(/^0+/, "");
}
