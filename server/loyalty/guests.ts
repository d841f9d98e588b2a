import { randomInt } from "node:crypto";
import { eq, getTableColumns, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { guestConsents, guests } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { lockName } from "../locks";
import { dueHolds, type Guest, lockGuest, postPoints, releaseDueHolds } from "./ledger";
import { normalizePhone, requirePhone } from "./phone";
import type { Program } from "./program";
import { newQrSecret, parseQrPayload, qrCodeIsValid } from "./qr";
import { claimWelcomeBonus } from "./welcome-claims";

/** The consent text version guests agree to at enrolment; bump it when the text changes. */
export const CONSENT_TEXT_VERSION = "2026-01";

export type EnrolInput = {
  tenantId: string;
  phone: string;
  name?: string;
  email?: string;
  channel: "pos" | "online";
  locationId?: string;
  actor: { kind: "pos_key" | "guest" | "staff"; ref?: string; userId?: string; ip?: string | null };
};

/** A printed card code: 9 digits, never starting with 0 — no phone number has 9 digits. */
function newCardCode(): string {
  return `${randomInt(1, 10)}${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
}

/**
 * Enrols a guest with recorded personal-data consent and the welcome bonus on the balance (none
 * when the phone or email had it before: at an account since deleted, or given up in a profile).
 * 422 guest_exists when the phone is already enrolled (also when two enrolments race); 422
 * email_in_use when only the email is another guest's (so the till does not look for this phone).
 */
export async function enrolGuest(tx: Tx, program: Program, input: EnrolInput): Promise<Guest> {
  const phone = requirePhone(input.phone);
  const email = input.email?.trim().toLowerCase() || null;
  const lowestTier = program.tiers[0];
  if (!lowestTier) throw new Error("The tenant's program has no tier");
  // Two tills enrolling one phone at once: the second waits here, then finds the first's guest.
  await lockName(tx, `enrol:${input.tenantId}:${phone}`);
  if (email) await lockName(tx, `enrol:${input.tenantId}:${email}`);
  const [existing] = await tx
    .select({ phone: guests.phone })
    .from(guests)
    .where(email ? or(eq(guests.phone, phone), sql`lower(${guests.email}) = ${email}`) : eq(guests.phone, phone))
    // The phone's guest first: a phone already enrolled is guest_exists even when the email is another's.
    .orderBy(sql`coalesce(${guests.phone} = ${phone}, false) desc`)
    .limit(1);
  if (existing?.phone === phone) {
    throw new AppError("unprocessable", "A guest with this phone is already enrolled", "guest_exists");
  }
  if (existing) {
    throw new AppError(
      "unprocessable",
      "This email belongs to another guest: enrol without it, or identify that guest",
      "email_in_use",
    );
  }
  let guest: Guest | undefined;
  for (let attempt = 0; !guest && attempt < 5; attempt++) {
    // Only a card-code collision may conflict now (phone and email were checked under the lock).
    [guest] = await tx
      .insert(guests)
      .values({
        tenantId: input.tenantId,
        phone,
        name: input.name?.trim() || null,
        email,
        cardCode: newCardCode(),
        qrSecret: newQrSecret(),
        tierId: lowestTier.id,
        enrolledLocationId: input.locationId ?? null,
      })
      .onConflictDoNothing({ target: [guests.tenantId, guests.cardCode] })
      .returning();
  }
  if (!guest) throw new Error("Could not allocate a card code");
  await tx.insert(guestConsents).values({
    tenantId: input.tenantId,
    guestId: guest.id,
    kind: "personal_data",
    granted: true,
    channel: input.channel,
    textVersion: CONSENT_TEXT_VERSION,
    locationId: input.locationId ?? null,
  });
  // Once per phone and email at a café: not again after "delete my account" and a new enrolment.
  const welcomeBonus = (await claimWelcomeBonus(tx, input.tenantId, { phone, email })) ? program.welcomeBonus : 0;
  await postPoints(tx, guest, [{ kind: "welcome_bonus", delta: welcomeBonus }]);
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actorKind: input.actor.kind,
    actorRef: input.actor.ref,
    actorUserId: input.actor.userId,
    ip: input.actor.ip,
    action: "guest.enrol",
    targetType: "guest",
    targetId: guest.id,
    meta: { channel: input.channel, consentTextVersion: CONSENT_TEXT_VERSION, welcomeBonus },
  });
  return guest;
}

/** The guest behind a card code, a phone or a cabinet QR payload, unless blocked or deleted (no lock). */
async function guestByIdentifier(tx: Tx, identifier: string): Promise<Guest | null> {
  const qr = parseQrPayload(identifier);
  let guest: Guest | undefined;
  const columns = { ...getTableColumns(guests), hasDueHolds: dueHolds };
  if (qr) {
    [guest] = await tx.select(columns).from(guests).where(eq(guests.id, qr.guestId));
    if (guest && !qrCodeIsValid(qr.code, guest.qrSecret)) return null;
  } else {
    const trimmed = identifier.trim();
    const phone = normalizePhone(trimmed);
    [guest] = await tx
      .select(columns)
      .from(guests)
      .where(phone ? or(eq(guests.cardCode, trimmed), eq(guests.phone, phone)) : eq(guests.cardCode, trimmed))
      .orderBy(sql`${guests.cardCode} = ${trimmed} desc`)
      .limit(1);
  }
  return guest && !guest.blockedAt && !guest.deletedAt ? guest : null;
}

/**
 * The guest behind an identifier for reading: expired holds are released first, so the balance
 * is what the guest can spend now.
 */
export async function findGuestByIdentifier(tx: Tx, identifier: string): Promise<Guest | null> {
  const guest = await guestByIdentifier(tx, identifier);
  return guest ? refreshHolds(tx, guest) : null;
}

/**
 * The guest, locked for a change of their balance, with expired holds released; null when there
 * is no such active guest (by id, or by identifier).
 */
export async function lockActiveGuest(tx: Tx, by: { guestId: string } | { identifier: string }): Promise<Guest | null> {
  const guestId = "guestId" in by ? by.guestId : (await guestByIdentifier(tx, by.identifier))?.id;
  const guest = guestId ? await lockGuest(tx, guestId) : null;
  if (!guest || guest.blockedAt || guest.deletedAt) return null;
  await releaseDueHolds(tx, guest);
  return guest;
}

/** Reads a guest's current state for an answer, releasing expired holds first (see above). */
export async function refreshedGuest(tx: Tx, guestId: string): Promise<Guest | null> {
  const [guest] = await tx
    .select({ ...getTableColumns(guests), hasDueHolds: dueHolds })
    .from(guests)
    .where(eq(guests.id, guestId));
  return guest ? refreshHolds(tx, guest) : null;
}

/** Releases the guest's expired holds when the read said some are due (a lock only then). */
async function refreshHolds(tx: Tx, guest: Guest): Promise<Guest> {
  if (!guest.hasDueHolds) return guest;
  const locked = await lockGuest(tx, guest.id);
  if (!locked) return guest;
  await releaseDueHolds(tx, locked);
  return locked;
}
