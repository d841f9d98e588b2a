// The loyalty book: the simulated checks replayed through the points rules.

import { randomUUID } from "node:crypto";
import { payloadHash } from "../../server/loyalty/canonical";
import { paidMoney, pointsEarned, redeemCap, refundPoints, type Tier, tierFor } from "../../server/loyalty/formulas";
import type { ledgerEntries } from "../schema";
import { addMinutes, must, time } from "./helpers";
import type { Check, GuestPlan, GuestProfile, HistoryRows, RefundPlan, SimulationInput } from "./history-simulation";
import type { Random } from "./random";
import type { LocationRef } from "./tenant";

const CONSENT_TEXT_VERSION = "2026-01";

type Account = {
  profile: GuestProfile;
  enrolledAt: Date;
  balance: number;
  lifetimePaid: number;
  tier: Tier;
  lastVisitAt: Date | null;
  updatedAt: Date;
};

type ReceiptState = {
  pointsEarned: number;
  pointsRedeemed: number;
  refunded: number;
  reversed: number;
  returned: number;
};

/**
 * Replays the history through the rules of POS-API.md, check by check in time order, and
 * collects the rows it would have written: welcome bonus at sign-up; a hold (−points) before a
 * check paid partly with points; accrual by the tier held before the check; lifetime paid money
 * and tier after it; refunds reversing earned and returning spent points cumulatively.
 */
export class LoyaltyBook {
  private readonly rows: HistoryRows = {
    guests: [],
    consents: [],
    redemptions: [],
    receipts: [],
    receiptLines: [],
    refunds: [],
    ledger: [],
    campaigns: [],
    campaignSends: [],
  };
  private readonly accounts = new Map<string, Account>();
  private readonly receiptStates = new Map<string, ReceiptState>();
  private readonly refundCounters = new Map<string, number>();
  private readonly tenantId: string;

  constructor(
    private readonly input: SimulationInput,
    private readonly rng: Random,
    /** The win-back cohort's own PRNG, so adding it leaves every other guest's story as it was. */
    private readonly winBackRng: Random = rng,
  ) {
    this.tenantId = input.tenantId;
  }

  enrol(plan: GuestPlan): void {
    const { profile, enrolledAt } = plan;
    const account: Account = {
      profile,
      enrolledAt,
      balance: 0,
      lifetimePaid: 0,
      tier: tierFor(0, this.input.tiers),
      lastVisitAt: null,
      updatedAt: enrolledAt,
    };
    this.accounts.set(profile.id, account);
    // Consent is recorded with its time, channel, text version and (at the till) the café.
    const consent = (kind: "personal_data" | "marketing") => ({
      tenantId: this.tenantId,
      id: randomUUID(),
      guestId: profile.id,
      kind,
      granted: true,
      channel: profile.signUp,
      textVersion: CONSENT_TEXT_VERSION,
      locationId: profile.signUp === "pos" ? profile.home.id : null,
      createdAt: enrolledAt,
    });
    this.rows.consents.push(consent("personal_data"));
    if (profile.marketingOptIn) this.rows.consents.push(consent("marketing"));
    const bonus = this.input.program.welcomeBonus;
    if (bonus > 0) this.post(account, { kind: "welcome_bonus", delta: bonus, createdAt: enrolledAt });
  }

  closeCheck(check: Check): void {
    const account = check.guest ? must(this.accounts.get(check.guest.id)) : null;
    const redemption = account ? this.maybeRedeem(account, check) : null;
    const redeemed = redemption?.points ?? 0;
    // Anonymous checks earn nothing until claimed.
    const earned = account ? pointsEarned(check.total, redeemed, account.tier.accrualPercent) : 0;
    if (account) {
      if (earned > 0) this.post(account, { kind: "accrual", delta: earned, receiptId: check.id, createdAt: check.at });
      this.addPaid(account, paidMoney(check.total, redeemed), check.at);
      account.lastVisitAt = check.at;
    }
    this.receiptStates.set(check.id, {
      pointsEarned: earned,
      pointsRedeemed: redeemed,
      refunded: 0,
      reversed: 0,
      returned: 0,
    });
    this.rows.receipts.push({
      tenantId: this.tenantId,
      id: check.id,
      locationId: check.location.id,
      channel: "pos",
      externalId: check.externalId,
      payloadHash: payloadHash(receiptRequest(check, redemption?.id ?? null)),
      guestId: account?.profile.id ?? null,
      redemptionId: redemption?.id ?? null,
      occurredAt: check.at,
      total: check.total,
      pointsRedeemed: redeemed,
      pointsEarned: earned,
      fiscalFn: check.fiscal?.fn ?? null,
      fiscalFd: check.fiscal?.fd ?? null,
      fiscalFp: check.fiscal?.fp ?? null,
      response: {
        receipt: {
          id: check.id,
          externalId: check.externalId,
          total: check.total,
          pointsRedeemed: redeemed,
          pointsEarned: earned,
        },
        guest: account ? { id: account.profile.id, balance: account.balance, tier: account.tier.name } : null,
      },
      createdAt: check.at,
    });
    this.rows.receiptLines.push(
      ...check.receiptLines.map((line, index) => ({
        tenantId: this.tenantId,
        receiptId: check.id,
        lineNo: index + 1,
        ...line,
        quantity: line.quantity.toFixed(3),
      })),
    );
  }

  refund(check: Check, plan: RefundPlan): void {
    const account = must(this.accounts.get(must(check.guest).id));
    const state = must(this.receiptStates.get(check.id));
    const { pointsReversed, pointsReturned } = refundPoints({
      total: check.total,
      pointsEarned: state.pointsEarned,
      pointsRedeemed: state.pointsRedeemed,
      refundedBefore: state.refunded,
      amount: plan.amount,
      reversedBefore: state.reversed,
      returnedBefore: state.returned,
    });
    state.refunded += plan.amount;
    state.reversed += pointsReversed;
    state.returned += pointsReturned;
    const id = randomUUID();
    const externalRefundId = this.nextRefundId(check.location);
    const movement = { receiptId: check.id, refundId: id, createdAt: plan.at };
    // A zero movement is not written: the ledger refuses a delta of 0.
    if (pointsReversed > 0) this.post(account, { kind: "refund_reversal", delta: -pointsReversed, ...movement });
    if (pointsReturned > 0) this.post(account, { kind: "refund_return", delta: pointsReturned, ...movement });
    // Lifetime paid money drops by the money given back: the amount less the points returned in its place.
    this.addPaid(account, -(plan.amount - pointsReturned * 100), plan.at);
    const body = { externalRefundId, amount: plan.amount };
    this.rows.refunds.push({
      tenantId: this.tenantId,
      id,
      receiptId: check.id,
      locationId: check.location.id,
      ...body,
      payloadHash: payloadHash({ externalId: check.externalId, ...body }),
      pointsReversed,
      pointsReturned,
      response: { refund: { ...body, pointsReversed, pointsReturned }, guest: { balance: account.balance } },
      createdAt: plan.at,
    });
  }

  /** All rows, the guests last: their balances, lifetime money and tiers are final only now. */
  finish(): HistoryRows {
    this.rows.guests = [...this.accounts.values()].map((account) => ({
      tenantId: this.tenantId,
      id: account.profile.id,
      phone: account.profile.phone,
      email: account.profile.email,
      name: account.profile.name,
      birthday: account.profile.birthday,
      cardCode: account.profile.cardCode,
      qrSecret: account.profile.qrSecret,
      tierId: account.tier.id,
      balance: account.balance,
      lifetimePaid: account.lifetimePaid,
      marketingOptIn: account.profile.marketingOptIn,
      enrolledLocationId: account.profile.signUp === "pos" ? account.profile.home.id : null,
      lastVisitAt: account.lastVisitAt,
      createdAt: account.enrolledAt,
      updatedAt: account.updatedAt,
    }));
    return this.rows;
  }

  /** A guest paying part of the check with points: the hold, committed by this very check. */
  private maybeRedeem(account: Account, check: Check): { id: string; points: number } | null {
    const { program } = this.input;
    const available = Math.min(account.balance, redeemCap(check.total, program.maxRedeemPercent));
    const rng = check.winBack ? this.winBackRng : this.rng;
    if (available <= 0 || !rng.chance(this.input.spec.audience.redemptionChance)) return null;
    const points = rng.chance(0.7) ? available : rng.int(1, available);
    const id = randomUUID();
    const heldAt = addMinutes(check.at, -1);
    this.rows.redemptions.push({
      tenantId: this.tenantId,
      id,
      guestId: account.profile.id,
      locationId: check.location.id,
      points,
      checkTotal: check.total,
      externalCheckId: check.externalId,
      status: "committed",
      expiresAt: new Date(time(heldAt) + program.holdTtlSeconds * 1000),
      settledAt: check.at,
      createdAt: heldAt,
    });
    this.post(account, { kind: "redemption_hold", delta: -points, redemptionId: id, createdAt: heldAt });
    return { id, points };
  }

  private post(
    account: Account,
    entry: Omit<typeof ledgerEntries.$inferInsert, "tenantId" | "guestId"> & { createdAt: Date },
  ): void {
    account.balance += entry.delta;
    account.updatedAt = entry.createdAt;
    this.rows.ledger.push({ tenantId: this.tenantId, guestId: account.profile.id, ...entry });
  }

  /** Lifetime paid money moves the tier, up after a check and down after a refund. */
  private addPaid(account: Account, money: number, at: Date): void {
    account.lifetimePaid += money;
    account.tier = tierFor(account.lifetimePaid, this.input.tiers);
    account.updatedAt = at;
  }

  private nextRefundId(location: LocationRef): string {
    const number = (this.refundCounters.get(location.id) ?? 0) + 1;
    this.refundCounters.set(location.id, number);
    return `RF-${String(number).padStart(5, "0")}`;
  }
}

/** The POST /receipts body the till would have sent, for the stored idempotency hash. */
function receiptRequest(check: Check, redemptionId: string | null) {
  return {
    externalId: check.externalId,
    occurredAt: check.at.toISOString(),
    ...(check.guest ? { guestId: check.guest.id } : {}),
    ...(redemptionId ? { redemptionId } : {}),
    lines: check.receiptLines,
    total: check.total,
    ...(check.fiscal ? { fiscal: check.fiscal } : {}),
  };
}
