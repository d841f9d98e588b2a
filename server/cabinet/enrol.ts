import { eq, sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";
import { guestConsents, guests } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { normaliseEmail } from "../guest-auth/adapter";
import { guestOfAccount } from "../guest-auth/guests";
import { lockName } from "../locks";
import { CONSENT_TEXT_VERSION, enrolGuest } from "../loyalty/guests";
import type { Guest } from "../loyalty/ledger";
import { normalizePhone } from "../loyalty/phone";
import type { Program } from "../loyalty/program";
import { limiterCache, postgresLimiter, retryAfterSeconds } from "../rate-limit";
import { updateProfile } from "./profile";

export type OnlineEnrolment = {
  tenantId: string;
  /** The email the guest proved with the magic link. */
  email: string;
  name: string;
  phone: string;
  /** The personal-data consent checkbox; enrolment without it is refused. */
  consent: boolean;
  marketingOptIn: boolean;
  /**
   * The printed card code, asked only when the phone already belongs to a guest enrolled at the
   * till: knowing the card proves the phone's guest is this person.
   */
  cardCode?: string;
  ip?: string | null;
};

export type EnrolmentResult = { guest: Guest; outcome: "enrolled" | "linked" | "already_enrolled" };

/** Wrong card codes per email per hour before linking is refused for a while. */
const CARD_ATTEMPTS_PER_HOUR = 5;
const cardCodeLimiter = limiterCache((db) =>
  postgresLimiter(db, { keyPrefix: "guest_card_code", points: CARD_ATTEMPTS_PER_HOUR, duration: 3600 }),
);

const tooManyAttempts = (msBeforeNext: number) =>
  new AppError("rate_limited", "Too many wrong card numbers, try later", "too_many_attempts", {
    retryAfter: Math.max(1, Math.ceil(msBeforeNext / 1000)),
  });

/**
 * Makes the signed-in email a guest of the café, once. A new phone enrols a new guest (consent
 * recorded, welcome bonus). A phone enrolled at the till without an email becomes this account
 * after the guest proves the card (its printed code): same guest, same points, no second
 * welcome bonus. A phone that already has another email is refused (phone_taken).
 */
export async function enrolOnline(
  db: Database,
  tx: Tx,
  program: Program,
  input: OnlineEnrolment,
): Promise<EnrolmentResult> {
  const email = normaliseEmail(input.email);
  const name = input.name.trim();
  // Every wrong field at once, so the form can mark each of them.
  const problems: { path: string; message: string }[] = [];
  if (name.length === 0 || name.length > 100) problems.push({ path: "name", message: "From 1 to 100 characters" });
  const phone = normalizePhone(input.phone);
  if (!phone) problems.push({ path: "phone", message: "Not a valid phone number" });
  if (!input.consent) {
    problems.push({ path: "consent", message: "Consent to the processing of personal data is required" });
  }
  if (problems.length > 0 || !phone) {
    throw new AppError("invalid_request", problems.map((problem) => problem.message).join("; "), undefined, problems);
  }

  // The same names enrolment at the till takes: a till enrolling this phone now queues with us.
  await lockName(tx, `enrol:${input.tenantId}:${phone}`);
  await lockName(tx, `enrol:${input.tenantId}:${email}`);
  const already = await guestOfAccount(tx, email);
  if (already) return { guest: already, outcome: "already_enrolled" };

  const [byPhone] = await tx.select().from(guests).where(eq(guests.phone, phone));
  if (!byPhone) {
    const guest = await enrolGuest(tx, program, {
      tenantId: input.tenantId,
      phone,
      name,
      email,
      channel: "online",
      actor: { kind: "guest", ip: input.ip },
    });
    return { guest: await withMarketingChoice(tx, guest, input), outcome: "enrolled" };
  }
  if (byPhone.email || byPhone.deletedAt || byPhone.blockedAt) {
    throw new AppError("conflict", "This phone belongs to another account", "phone_taken");
  }
  const cardCode = input.cardCode?.replace(/\s+/g, "") ?? "";
  if (!cardCode) {
    throw new AppError(
      "unprocessable",
      "This phone is enrolled at the café: enter the number of your card to join it",
      "card_code_required",
    );
  }
  // Counted per email outside the transaction (a refusal rolls it back); checked before the
  // comparison, so that once the attempts are used up even the right code waits.
  const limiter = cardCodeLimiter(db);
  const attemptKey = `${input.tenantId}:${email}`;
  const used = await limiter.get(attemptKey);
  if (used && used.consumedPoints >= CARD_ATTEMPTS_PER_HOUR) throw tooManyAttempts(used.msBeforeNext);
  if (cardCode !== byPhone.cardCode) {
    await limiter.consume(attemptKey).catch((rejection) => {
      throw tooManyAttempts(retryAfterSeconds(rejection) * 1000);
    });
    throw new AppError("unprocessable", "The card number does not match this phone", "card_code_mismatch");
  }
  const [linked] = await tx
    .update(guests)
    .set({ email, name: byPhone.name ?? name, updatedAt: sql`now()` })
    .where(eq(guests.id, byPhone.id))
    .returning();
  if (!linked) throw new Error("guest vanished under the enrolment lock");
  await tx.insert(guestConsents).values({
    tenantId: input.tenantId,
    guestId: linked.id,
    kind: "personal_data",
    granted: true,
    channel: "online",
    textVersion: CONSENT_TEXT_VERSION,
  });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: "guest",
    actorRef: linked.id,
    ip: input.ip,
    action: "guest.email_linked",
    targetType: "guest",
    targetId: linked.id,
    meta: { proof: "card_code", consentTextVersion: CONSENT_TEXT_VERSION },
  });
  return { guest: await withMarketingChoice(tx, linked, input), outcome: "linked" };
}

/**
 * The marketing opt-in ticked when joining, recorded as the profile records it (consent row with
 * the text version, audit entry); an unticked box changes nothing.
 */
async function withMarketingChoice(tx: Tx, guest: Guest, input: OnlineEnrolment): Promise<Guest> {
  if (!input.marketingOptIn || guest.marketingOptIn) return guest;
  await updateProfile(tx, guest.id, { marketingOptIn: true }, { ip: input.ip });
  return { ...guest, marketingOptIn: true };
}
