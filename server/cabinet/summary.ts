import { and, desc, eq, gt, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { campaignSends, campaigns } from "@/db/schema";
import { AppError } from "../errors";
import { type TierNames, tierFor } from "../loyalty/formulas";
import { lockActiveGuest, refreshedGuest } from "../loyalty/guests";
import { hintsFor } from "../loyalty/hints";
import type { Guest } from "../loyalty/ledger";
import { loadProgram } from "../loyalty/program";
import { qrPayload } from "../loyalty/qr";

/** Minor units one point pays for (POS-API.md: 1 point = 1 major unit). */
export const MINOR_PER_POINT = 100;

/** The cabinet's one "no such guest": a deleted or blocked account is gone for its owner too. */
export const guestNotFound = () => new AppError("not_found", "No guest with this id", "guest_not_found");

/** The signed-in guest's current state (expired holds released first); 404 when deleted or blocked. */
export async function activeGuest(tx: Tx, guestId: string): Promise<Guest> {
  const guest = await refreshedGuest(tx, guestId);
  if (!guest || guest.blockedAt || guest.deletedAt) throw guestNotFound();
  return guest;
}

/** The signed-in guest, row-locked for a change of balance or profile; 404 when deleted or blocked. */
export async function lockedActiveGuest(tx: Tx, guestId: string): Promise<Guest> {
  const guest = await lockActiveGuest(tx, { guestId });
  if (!guest) throw guestNotFound();
  return guest;
}

/** Seconds in one step of the rotating QR code (server/loyalty/qr.ts). */
export const QR_STEP_SECONDS = 30;

export type CabinetQr = {
  payload: string;
  refreshSeconds: number;
  /** Seconds until this payload's step ends (1–30), so the page refreshes when the code changes. */
  expiresInSeconds: number;
};

function qrOf(guest: Guest, nowMs: number = Date.now()): CabinetQr {
  // Steps start at multiples of 30 s since the epoch (TOTP), so the countdown is to the next one.
  const elapsed = Math.floor(nowMs / 1000) % QR_STEP_SECONDS;
  return {
    payload: qrPayload(guest.id, guest.qrSecret),
    refreshSeconds: QR_STEP_SECONDS,
    expiresInSeconds: QR_STEP_SECONDS - elapsed,
  };
}

/** The signed-in guest's current rotating QR payload; 404 when deleted or blocked. */
export async function currentQr(tx: Tx, guestId: string): Promise<CabinetQr> {
  return qrOf(await activeGuest(tx, guestId));
}

export type CabinetOffer =
  | {
      kind: "campaign";
      campaignId: string;
      subject: string;
      body: string;
      bonusPoints: number;
      offerUntil: Date;
    }
  | { kind: "upsell"; text: string; sku: string };

export type CabinetSummary = {
  guestId: string;
  name: string | null;
  currency: string;
  /** What the guest can spend now (an active hold is already deducted). */
  balance: number;
  /** The balance's money value in minor units (never below 0: a debt pays nothing). */
  balanceValue: number;
  tier: { name: string; names?: TierNames; accrualPercent: number; minSpend: number };
  /** Null at the top tier. `remaining`: lifetime paid money (minor units) still needed for it. */
  nextTier: { name: string; names?: TierNames; accrualPercent: number; minSpend: number; remaining: number } | null;
  lifetimePaid: number;
  cardCode: string;
  /** The rotating code to render as a QR (changes every 30 s, accepted by the POS for 2 minutes). */
  qr: CabinetQr;
  offers: CabinetOffer[];
};

/**
 * The cabinet's front page for a signed-in guest: balance and its money value, tier and progress,
 * card code, the current QR payload and personal offers.
 *
 * Personal offers, kept simple: (1) campaigns sent to this guest (a campaign_sends row) whose
 * `offerUntil` is still ahead and that are not drafts, newest first; (2) the owner's upsell hint
 * rules for the guest's favourite SKU (the same rules the barista sees, `hintsFor`); the "habit"
 * hint — naming the usual order — is for the barista only and is not an offer.
 */
export async function cabinetSummary(tx: Tx, guestId: string, now: Date = new Date()): Promise<CabinetSummary> {
  const guest = await activeGuest(tx, guestId);
  const program = await loadProgram(tx);
  const tier = tierFor(guest.lifetimePaid, program.tiers);
  const next = [...program.tiers].sort((a, b) => a.minSpend - b.minSpend).find((t) => t.minSpend > tier.minSpend);
  const sent = await tx
    .select({
      campaignId: campaigns.id,
      subject: campaigns.subject,
      body: campaigns.body,
      bonusPoints: campaigns.bonusPoints,
      offerUntil: campaigns.offerUntil,
    })
    .from(campaignSends)
    .innerJoin(campaigns, eq(campaigns.id, campaignSends.campaignId))
    .where(
      and(
        eq(campaignSends.guestId, guest.id),
        // Only messages that went out: a held-out guest must not meet the campaign here either.
        inArray(campaignSends.status, ["sent", "delivered", "bounced", "complained"]),
        gt(campaigns.offerUntil, now),
        inArray(campaigns.status, ["scheduled", "running", "finished"]),
      ),
    )
    .orderBy(desc(campaigns.offerUntil));
  const hints = await hintsFor(tx, guest.id, program.locale);
  const offers: CabinetOffer[] = [
    ...sent.map((offer) => ({
      kind: "campaign" as const,
      campaignId: offer.campaignId,
      subject: offer.subject,
      body: offer.body,
      bonusPoints: offer.bonusPoints,
      offerUntil: offer.offerUntil ?? now,
    })),
    ...hints
      .filter((hint) => hint.kind === "upsell")
      .map((hint) => ({ kind: "upsell" as const, text: hint.text, sku: hint.sku })),
  ];
  return {
    guestId: guest.id,
    name: guest.name,
    currency: program.currency,
    balance: guest.balance,
    balanceValue: Math.max(0, guest.balance) * MINOR_PER_POINT,
    tier: { name: tier.name, names: tier.names, accrualPercent: tier.accrualPercent, minSpend: tier.minSpend },
    nextTier: next
      ? {
          name: next.name,
          names: next.names,
          accrualPercent: next.accrualPercent,
          minSpend: next.minSpend,
          remaining: Math.max(0, next.minSpend - guest.lifetimePaid),
        }
      : null,
    lifetimePaid: guest.lifetimePaid,
    cardCode: guest.cardCode,
    qr: qrOf(guest),
    offers,
  };
}
