import { and, asc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import {
  campaignSends,
  guestConsents,
  guests,
  ledgerEntries,
  orderItems,
  orders,
  pushSubscriptions,
  receiptLines,
  receipts,
  redemptions,
  refunds,
  surveyResponses,
} from "@/db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { endGuestSessionsOfEmail } from "../guest-auth/sessions";
import { lockName } from "../locks";
import { lockGuest, releaseDueHolds, releaseHolds } from "../loyalty/ledger";
import { requirePhone } from "../loyalty/phone";
import { newQrSecret } from "../loyalty/qr";
import { rememberWelcomeBonus } from "../loyalty/welcome-claims";
import { notifyOrder } from "../orders/transitions";
import { activeGuest, guestNotFound, lockedActiveGuest } from "./summary";

/** The marketing consent text version a guest agrees to in the cabinet; bump it when the text changes. */
export const MARKETING_CONSENT_TEXT_VERSION = "2026-01";

export type ProfileInput = {
  /** null clears the field; undefined leaves it as it is. */
  name?: string | null;
  phone?: string;
  /** `YYYY-MM-DD`, or null to clear. */
  birthday?: string | null;
  marketingOptIn?: boolean;
};

export type RequestMeta = { ip?: string | null };

const invalid = (path: string, message: string) =>
  new AppError("invalid_request", message, "invalid_request", [{ path, message }]);

function validBirthday(value: string, today: Date): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return (
    !Number.isNaN(date.getTime()) &&
    date.toISOString().slice(0, 10) === value &&
    Number(match[1]) >= 1900 &&
    date.getTime() <= today.getTime()
  );
}

export type GuestProfile = {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  birthday: string | null;
  marketingOptIn: boolean;
};

function profileOf(guest: GuestProfile): GuestProfile {
  const { id, name, phone, email, birthday, marketingOptIn } = guest;
  return { id, name, phone, email, birthday, marketingOptIn };
}

/** The signed-in guest's editable profile (and the email they sign in with); 404 when deleted or blocked. */
export async function guestProfile(tx: Tx, guestId: string): Promise<GuestProfile> {
  const guest = await activeGuest(tx, guestId);
  return profileOf(guest);
}

/** The consent row of a marketing opt-in change made online (the consent log keeps every change). */
async function recordMarketingConsent(tx: Tx, guest: { tenantId: string; guestId: string }, granted: boolean) {
  await tx.insert(guestConsents).values({
    tenantId: guest.tenantId,
    guestId: guest.guestId,
    kind: "marketing",
    granted,
    channel: "online",
    textVersion: MARKETING_CONSENT_TEXT_VERSION,
  });
}

/**
 * Withdraws a guest's marketing consent (an unsubscribe link, a one-click unsubscribe, a spam
 * complaint): recorded as a consent change and audited like the cabinet's switch. Also for a guest
 * whose online account the café blocked — saying no to mail needs no account. False when the
 * guest is gone; a guest already opted out changes nothing.
 */
export async function withdrawMarketingConsent(tx: Tx, guestId: string, meta: RequestMeta = {}): Promise<boolean> {
  const [guest] = await tx
    .select({ tenantId: guests.tenantId, optedIn: guests.marketingOptIn })
    .from(guests)
    .where(and(eq(guests.id, guestId), isNull(guests.deletedAt)))
    .for("update");
  if (!guest) return false;
  if (!guest.optedIn) return true;
  await tx.update(guests).set({ marketingOptIn: false, updatedAt: sql`now()` }).where(eq(guests.id, guestId));
  await recordMarketingConsent(tx, { tenantId: guest.tenantId, guestId }, false);
  await recordAudit(tx, {
    tenantId: guest.tenantId,
    actorKind: "guest",
    actorRef: guestId,
    ip: meta.ip,
    action: "guest.profile_update",
    targetType: "guest",
    targetId: guestId,
    meta: { fields: ["marketingOptIn"] },
  });
  return true;
}

/**
 * Changes the signed-in guest's profile. The phone is normalised to E.164 and must be free in
 * the tenant (409 phone_taken); a change of the marketing opt-in records a consent row (kind
 * marketing, channel online, text version). Audited with the names of the changed fields only.
 */
export async function updateProfile(
  tx: Tx,
  guestId: string,
  input: ProfileInput,
  meta: RequestMeta = {},
): Promise<GuestProfile> {
  const phone = input.phone === undefined ? undefined : requirePhone(input.phone);
  const name = input.name === undefined ? undefined : input.name?.trim() || null;
  if (name && name.length > 100) throw invalid("name", "From 1 to 100 characters");
  if (input.birthday && !validBirthday(input.birthday, new Date())) throw invalid("birthday", "Not a date YYYY-MM-DD");
  if (phone) {
    const [current] = await tx.select({ tenantId: guests.tenantId }).from(guests).where(eq(guests.id, guestId));
    if (!current) throw guestNotFound();
    // The same name enrolment locks (loyalty/guests.ts): a till enrolling this phone right now
    // and this change queue, so the check below cannot race it. Named locks come first.
    await lockName(tx, `enrol:${current.tenantId}:${phone}`);
  }
  const guest = await lockedActiveGuest(tx, guestId);
  // As at enrolment: the barista greets the guest by it, so a name is changed, not cleared.
  if (name === null && guest.name !== null) throw invalid("name", "From 1 to 100 characters");
  // The birthday brings a bonus: a guest sets it once; the café corrects a mistake.
  if (input.birthday !== undefined && guest.birthday && input.birthday !== guest.birthday) {
    throw new AppError("unprocessable", "The birthday is already set; ask the café to correct it", "birthday_locked");
  }
  if (phone && phone !== guest.phone) {
    const [taken] = await tx
      .select({ id: guests.id })
      .from(guests)
      .where(and(eq(guests.phone, phone), ne(guests.id, guest.id)));
    if (taken) throw new AppError("conflict", "This phone belongs to another guest", "phone_taken");
  }
  const changes: Partial<typeof guests.$inferInsert> = {};
  if (name !== undefined && name !== guest.name) changes.name = name;
  if (phone !== undefined && phone !== guest.phone) changes.phone = phone;
  if (input.birthday !== undefined && input.birthday !== guest.birthday) changes.birthday = input.birthday;
  if (input.marketingOptIn !== undefined && input.marketingOptIn !== guest.marketingOptIn) {
    changes.marketingOptIn = input.marketingOptIn;
  }
  // The phone given up keeps its welcome bonus claimed (a guest enrolled before claims were kept).
  if (changes.phone !== undefined) await rememberWelcomeBonus(tx, guest.tenantId, { phone: guest.phone });
  const changed = Object.keys(changes);
  if (changed.length > 0) {
    const [updated] = await tx
      .update(guests)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(guests.id, guest.id))
      .returning();
    if (updated) Object.assign(guest, updated);
  }
  if (changes.marketingOptIn !== undefined) {
    await recordMarketingConsent(tx, { tenantId: guest.tenantId, guestId: guest.id }, changes.marketingOptIn);
  }
  if (changed.length > 0) {
    await recordAudit(tx, {
      tenantId: guest.tenantId,
      actorKind: "guest",
      actorRef: guest.id,
      ip: meta.ip,
      action: "guest.profile_update",
      targetType: "guest",
      targetId: guest.id,
      meta: { fields: changed },
    });
  }
  return profileOf(guest);
}

/**
 * Everything the café holds about the guest, as one JSON-ready object ("download my data"):
 * profile, consents, receipts with lines and refunds, the points ledger, redemptions, online
 * orders with items, survey answers and campaigns sent. Audited in the same transaction.
 */
export async function exportGuestData(tx: Tx, guestId: string, meta: RequestMeta = {}) {
  const [guest] = await tx.select().from(guests).where(eq(guests.id, guestId));
  if (!guest || guest.deletedAt) throw guestNotFound();
  const consents = await tx
    .select()
    .from(guestConsents)
    .where(eq(guestConsents.guestId, guest.id))
    .orderBy(asc(guestConsents.createdAt));
  const receiptRows = await tx
    .select()
    .from(receipts)
    .where(eq(receipts.guestId, guest.id))
    .orderBy(asc(receipts.occurredAt));
  const receiptIds = receiptRows.map((receipt) => receipt.id);
  const lines = receiptIds.length
    ? await tx
        .select()
        .from(receiptLines)
        .where(inArray(receiptLines.receiptId, receiptIds))
        .orderBy(asc(receiptLines.lineNo))
    : [];
  const refundRows = receiptIds.length
    ? await tx.select().from(refunds).where(inArray(refunds.receiptId, receiptIds)).orderBy(asc(refunds.createdAt))
    : [];
  const ledger = await tx
    .select()
    .from(ledgerEntries)
    .where(eq(ledgerEntries.guestId, guest.id))
    .orderBy(asc(ledgerEntries.id));
  const redemptionRows = await tx
    .select()
    .from(redemptions)
    .where(eq(redemptions.guestId, guest.id))
    .orderBy(asc(redemptions.createdAt));
  const orderRows = await tx.select().from(orders).where(eq(orders.guestId, guest.id)).orderBy(asc(orders.createdAt));
  const items = orderRows.length
    ? await tx
        .select()
        .from(orderItems)
        .where(
          inArray(
            orderItems.orderId,
            orderRows.map((order) => order.id),
          ),
        )
        .orderBy(asc(orderItems.lineNo))
    : [];
  const answers = await tx
    .select()
    .from(surveyResponses)
    .where(eq(surveyResponses.guestId, guest.id))
    .orderBy(asc(surveyResponses.createdAt));
  const sends = await tx
    .select({ campaignId: campaignSends.campaignId, sentAt: campaignSends.sentAt })
    .from(campaignSends)
    .where(eq(campaignSends.guestId, guest.id));
  await recordAudit(tx, {
    tenantId: guest.tenantId,
    actorKind: "guest",
    actorRef: guest.id,
    ip: meta.ip,
    action: "guest.data_export",
    targetType: "guest",
    targetId: guest.id,
  });
  return {
    exportedAt: new Date().toISOString(),
    profile: {
      id: guest.id,
      name: guest.name,
      phone: guest.phone,
      email: guest.email,
      birthday: guest.birthday,
      cardCode: guest.cardCode,
      balance: guest.balance,
      lifetimePaid: guest.lifetimePaid,
      marketingOptIn: guest.marketingOptIn,
      enrolledAt: guest.createdAt,
      lastVisitAt: guest.lastVisitAt,
      blockedAt: guest.blockedAt,
    },
    consents: consents.map(({ tenantId: _t, guestId: _g, ...consent }) => consent),
    receipts: receiptRows.map((receipt) => ({
      id: receipt.id,
      channel: receipt.channel,
      locationId: receipt.locationId,
      occurredAt: receipt.occurredAt,
      total: receipt.total,
      pointsRedeemed: receipt.pointsRedeemed,
      pointsEarned: receipt.pointsEarned,
      fiscal: receipt.fiscalFn ? { fn: receipt.fiscalFn, fd: receipt.fiscalFd, fp: receipt.fiscalFp } : null,
      claimedAt: receipt.claimedAt,
      orderId: receipt.orderId,
      lines: lines
        .filter((line) => line.receiptId === receipt.id)
        .map(({ tenantId: _t, receiptId: _r, ...line }) => line),
      refunds: refundRows
        .filter((refund) => refund.receiptId === receipt.id)
        .map((refund) => ({
          id: refund.id,
          amount: refund.amount,
          pointsReversed: refund.pointsReversed,
          pointsReturned: refund.pointsReturned,
          createdAt: refund.createdAt,
        })),
    })),
    ledger: ledger.map(({ tenantId: _t, guestId: _g, actorUserId: _a, ...entry }) => entry),
    redemptions: redemptionRows.map(({ tenantId: _t, guestId: _g, ...redemption }) => redemption),
    orders: orderRows.map(({ tenantId: _t, guestId: _g, idempotencyKey: _k, ...order }) => ({
      ...order,
      items: items.filter((item) => item.orderId === order.id).map(({ tenantId: _t2, orderId: _o, ...item }) => item),
    })),
    surveyAnswers: answers.map((answer) => ({
      surveyId: answer.surveyId,
      answers: answer.answers,
      createdAt: answer.createdAt,
    })),
    campaignsSent: sends,
  };
}

export type DeletionActor = { kind: "guest" | "staff"; userId?: string | null; ip?: string | null };

/**
 * Deletes the guest's account ("delete my account"): personal fields erased (name, phone, email,
 * birthday; marketing off, with a withdrawal recorded), the card blocked, the QR secret rotated,
 * active holds voided (open orders are then paid in full at pick-up), free text the guest wrote
 * (order comments, text survey answers) erased.
 * The ledger, receipts and refunds stay for the café's accounting: they carry no personal data
 * once the guest row is anonymised. Audited. A deleted account answers 404 everywhere after.
 */
export async function deleteGuestAccount(tx: Tx, guestId: string, actor: DeletionActor) {
  const guest = await lockGuest(tx, guestId);
  if (!guest || guest.deletedAt) throw guestNotFound();
  await releaseDueHolds(tx, guest);
  const { count: holdsVoided } = await releaseHolds(tx, guest, { onlyDue: false, note: "account deleted" });
  // The phone and email are erased below; their welcome bonus stays claimed.
  await rememberWelcomeBonus(tx, guest.tenantId, { phone: guest.phone, email: guest.email });
  // Every signed-in device of that email is signed out at once, in this transaction.
  if (guest.email) await endGuestSessionsOfEmail(tx, guest.email);
  if (guest.marketingOptIn) {
    await tx.insert(guestConsents).values({
      tenantId: guest.tenantId,
      guestId: guest.id,
      kind: "marketing",
      granted: false,
      channel: actor.kind === "staff" ? "back_office" : "online",
      textVersion: MARKETING_CONSENT_TEXT_VERSION,
    });
  }
  await tx
    .update(guests)
    .set({
      name: null,
      phone: null,
      email: null,
      birthday: null,
      marketingOptIn: false,
      qrSecret: newQrSecret(),
      blockedAt: sql`now()`,
      deletedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(eq(guests.id, guest.id));
  await tx.update(orders).set({ comment: null }).where(eq(orders.guestId, guest.id));
  // Their browsers are no longer notified of anything here.
  await tx.delete(pushSubscriptions).where(eq(pushSubscriptions.guestId, guest.id));
  // Orders still open are the café's to finish: their points hold was voided above, so they are
  // paid in full at pick-up (an anonymous receipt then), and the board shows that at once.
  const openOrders = await tx
    .update(orders)
    .set({ pointsApplied: 0, updatedAt: sql`now()` })
    .where(and(eq(orders.guestId, guest.id), inArray(orders.status, ["new", "accepted", "ready"])))
    .returning({ id: orders.id, locationId: orders.locationId, status: orders.status });
  for (const order of openOrders) {
    await notifyOrder(tx, {
      tenantId: guest.tenantId,
      locationId: order.locationId,
      orderId: order.id,
      status: order.status,
    });
  }
  // Text answers may hold anything the guest typed; ratings and choices among fixed options stay.
  await tx.execute(sql`
    update survey_responses sr
       set answers = coalesce((select jsonb_object_agg(e.key, e.value) from jsonb_each(sr.answers) e
                                where not exists (select 1 from survey_questions q
                                                   where q.id::text = e.key and q.kind = 'text')), '{}'::jsonb)
     where sr.guest_id = ${guest.id}`);
  // Delivery events of their campaign mail: only what results need stays (type, times, ids, a
  // bounce's kind) — the address, subject and bounce text the provider sent go. New events are
  // stored that way already (server/campaigns/webhooks.ts storedEventPayload); older ones here.
  await tx.execute(sql`
    update message_events e
       set payload = jsonb_strip_nulls(jsonb_build_object(
             'type', e.type,
             'created_at', e.payload->'created_at',
             'data', jsonb_build_object(
               'email_id', e.payload->'data'->'email_id',
               'created_at', e.payload->'data'->'created_at',
               'tags', jsonb_build_object('tenant_id', e.tenant_id, 'send_id', e.send_id),
               'bounce', case when jsonb_typeof(e.payload->'data'->'bounce') = 'object' then jsonb_build_object(
                 'type', e.payload->'data'->'bounce'->'type', 'subType', e.payload->'data'->'bounce'->'subType') end)))
     where e.send_id in (select s.id from campaign_sends s where s.guest_id = ${guest.id})`);
  await recordAudit(tx, {
    tenantId: guest.tenantId,
    actorKind: actor.kind,
    actorRef: actor.kind === "guest" ? guest.id : null,
    actorUserId: actor.userId ?? null,
    ip: actor.ip,
    action: "guest.delete",
    targetType: "guest",
    targetId: guest.id,
    meta: { holdsVoided, balance: guest.balance },
  });
  return { id: guest.id, deleted: true as const, holdsVoided };
}
