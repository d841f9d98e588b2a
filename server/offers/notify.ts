import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { appDb, type Database, type Tx, withTenant } from "@/db/client";
import { guestOffers, guests, offers } from "@/db/schema";
import { signToken, verifyToken } from "../auth/tokens";
import { withdrawMarketingConsent } from "../cabinet/profile";
import { type EmailConfig, emailConfig, sendEmail } from "../email/send";
import { renderEmail } from "../email/templates";
import { publicUrl } from "../env";
import { formatDate, formatMoney } from "../format";
import { isLocale, type Locale } from "../i18n/locales";
import { logger } from "../log";
import { titleIn } from "./store";

/** Grants mailed per transaction: a segment of thousands is claimed and sent in slices. */
const BATCH = 100;
/** An unsubscribe link keeps working this long (a year of old mail in the inbox). */
const UNSUBSCRIBE_TTL_SECONDS = 366 * 24 * 3600;
const UNSUBSCRIBE_PURPOSE = "offers-unsubscribe";

type Cafe = { id: string; slug: string; name: string; locale: string; currency: string; timezone: string };

const STRINGS: Record<
  Locale,
  { subject: (cafe: string) => string; intro: string; until: string; minCheck: string; open: string; why: string }
> = {
  ru: {
    subject: (cafe) => `Для вас предложение в «${cafe}»`,
    intro: "Мы приготовили для вас личное предложение:",
    until: "Действует до",
    minCheck: "При заказе от",
    open: "Открыть в личном кабинете",
    why: "Вы получили это письмо, потому что согласились получать предложения от кофейни.",
  },
  en: {
    subject: (cafe) => `An offer for you at ${cafe}`,
    intro: "We have a personal offer for you:",
    until: "Valid until",
    minCheck: "On orders from",
    open: "Open it in your account",
    why: "You get this email because you agreed to receive offers from the café.",
  },
};

/** A link that withdraws the guest's marketing consent at this café (signed; no sign-in needed). */
export function unsubscribeUrl(cafe: { id: string; slug: string }, guestId: string, issuedAt?: Date): string {
  return `${publicUrl()}/${cafe.slug}/unsubscribe?token=${encodeURIComponent(unsubscribeToken(cafe, guestId, issuedAt))}`;
}

/** The signed token of an unsubscribe link (the page's and the one-click endpoint's). */
export function unsubscribeToken(cafe: { id: string }, guestId: string, issuedAt?: Date): string {
  return signToken(
    UNSUBSCRIBE_PURPOSE,
    { t: cafe.id, g: guestId },
    UNSUBSCRIBE_TTL_SECONDS,
    undefined,
    issuedAt?.getTime(),
  );
}

/** The café and guest an unsubscribe token names, or null for a forged or expired one. */
export function readUnsubscribeToken(token: string): { tenantId: string; guestId: string } | null {
  const payload = verifyToken<{ t?: unknown; g?: unknown }>(UNSUBSCRIBE_PURPOSE, token);
  return payload && typeof payload.t === "string" && typeof payload.g === "string"
    ? { tenantId: payload.t, guestId: payload.g }
    : null;
}

type Claimed = {
  grantId: string;
  guestId: string;
  email: string;
  title: Record<string, string | undefined>;
  minCheck: number;
  expiresAt: Date | null;
  validUntil: Date | null;
};

/**
 * Claims up to BATCH of the grants not mailed yet whose guest agreed to marketing mail and has an
 * email: `notified_at` is set in the same statement that picks them, so two senders never mail one
 * grant twice. Grants of guests without consent stay unmailed (and unclaimed) for good.
 */
export async function claimGrantsToNotify(tx: Tx, grantIds: string[]): Promise<Claimed[]> {
  if (grantIds.length === 0) return [];
  const due = tx
    .select({ id: guestOffers.id })
    .from(guestOffers)
    .innerJoin(guests, eq(guests.id, guestOffers.guestId))
    .where(
      and(
        inArray(guestOffers.id, grantIds),
        isNull(guestOffers.notifiedAt),
        eq(guests.marketingOptIn, true),
        isNotNull(guests.email),
        isNull(guests.deletedAt),
        isNull(guests.blockedAt),
      ),
    )
    .limit(BATCH)
    .for("update", { of: guestOffers, skipLocked: true });
  const claimed = await tx
    .update(guestOffers)
    .set({ notifiedAt: sql`now()` })
    .where(inArray(guestOffers.id, due))
    .returning({
      grantId: guestOffers.id,
      guestId: guestOffers.guestId,
      offerId: guestOffers.offerId,
      expiresAt: guestOffers.expiresAt,
    });
  if (claimed.length === 0) return [];
  const [people, offered] = await Promise.all([
    tx
      .select({ id: guests.id, email: guests.email })
      .from(guests)
      .where(
        inArray(
          guests.id,
          claimed.map((row) => row.guestId),
        ),
      ),
    tx
      .select({ id: offers.id, title: offers.title, minCheck: offers.minCheck, validUntil: offers.validUntil })
      .from(offers)
      .where(inArray(offers.id, [...new Set(claimed.map((row) => row.offerId))])),
  ]);
  return claimed.flatMap((row) => {
    const email = people.find((person) => person.id === row.guestId)?.email;
    const offer = offered.find((candidate) => candidate.id === row.offerId);
    if (!email || !offer) return [];
    return [
      {
        grantId: row.grantId,
        guestId: row.guestId,
        email,
        title: offer.title,
        minCheck: offer.minCheck,
        expiresAt: row.expiresAt,
        validUntil: offer.validUntil,
      },
    ];
  });
}

/** The "a personal offer arrived" email of one grant, in the café's language, with its unsubscribe link. */
export function offerEmail(cafe: Cafe, grant: Claimed) {
  const locale: Locale = isLocale(cafe.locale) ? cafe.locale : "ru";
  const words = STRINGS[locale];
  const until = grant.expiresAt ?? grant.validUntil;
  const lines = [
    words.intro,
    `«${titleIn(grant.title, locale)}»`,
    // Written in the email's language (its reader's), the café's currency and time zone.
    ...(grant.minCheck > 0 ? [`${words.minCheck} ${formatMoney(grant.minCheck, cafe.currency, locale)}`] : []),
    ...(until ? [`${words.until} ${formatDate(until, locale, cafe.timezone, "long")}`] : []),
  ];
  const { html, text } = renderEmail({
    title: words.subject(cafe.name),
    intro: lines.join("\n\n"),
    action: { label: words.open, url: `${publicUrl()}/${cafe.slug}/me` },
    footer: words.why,
    unsubscribeUrl: unsubscribeUrl(cafe, grant.guestId),
    locale,
  });
  return { to: grant.email, subject: words.subject(cafe.name), html, text, context: cafe.slug };
}

/**
 * Mails the guests of freshly given grants (after the grant committed): slice by slice, each slice
 * claimed in its own transaction and then sent. Marketing consent decides: no consent, no mail.
 * Returns how many were mailed.
 */
export async function notifyGrants(
  db: Database,
  cafe: Cafe,
  grantIds: string[],
  config: EmailConfig = emailConfig(),
): Promise<number> {
  let sent = 0;
  for (;;) {
    const batch = await withTenant(cafe.id, (tx) => claimGrantsToNotify(tx, grantIds), db);
    if (batch.length === 0) return sent;
    for (const grant of batch) {
      await sendEmail(db, offerEmail(cafe, grant), config);
      sent += 1;
    }
  }
}

/** notifyGrants in the background: a segment's mail must not hold the owner's request open. */
export function notifyGrantsInBackground(db: Database, cafe: Cafe, grantIds: string[]): void {
  if (grantIds.length === 0) return;
  notifyGrants(db, cafe, grantIds).catch((error: unknown) =>
    logger().error({ err: error, tenantId: cafe.id }, "offer emails not sent"),
  );
}

/** How many of an offer's grants were mailed, of how many (the offer page's progress line). */
export async function grantMailProgress(tx: Tx, offerId: string): Promise<{ grants: number; mailed: number }> {
  const [row] = await tx
    .select({
      grants: sql<number>`count(*)::int`,
      mailed: sql<number>`count(${guestOffers.notifiedAt})::int`,
    })
    .from(guestOffers)
    .where(eq(guestOffers.offerId, offerId));
  return { grants: row?.grants ?? 0, mailed: row?.mailed ?? 0 };
}

/**
 * The unsubscribe link's answer: withdraws the guest's marketing consent at the café the link was
 * made for (recorded and audited as a profile change). False for a forged, expired or other café's
 * link, or a guest who is gone.
 */
/** The unsubscribe page's button, over the app's pool. */
export function unsubscribeFromLink(cafe: { id: string }, token: string, meta: { ip?: string | null } = {}) {
  return unsubscribeByToken(appDb(), cafe, token, meta);
}

export async function unsubscribeByToken(
  db: Database,
  cafe: { id: string },
  token: string,
  meta: { ip?: string | null } = {},
): Promise<boolean> {
  const named = readUnsubscribeToken(token);
  if (!named || named.tenantId !== cafe.id) return false;
  return withTenant(cafe.id, (tx) => withdrawMarketingConsent(tx, named.guestId, { ip: meta.ip ?? null }), db);
}
