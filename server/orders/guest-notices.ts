import type { Agent } from "node:https";
import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import webpush from "web-push";
import { type Database, type Tx, withTenant } from "@/db/client";
import { guests, locations, orderNotices, orders, pushSubscriptions, tenants } from "@/db/schema";
import { type EmailConfig, emailConfig, sendEmail } from "../email/send";
import { renderEmail } from "../email/templates";
import { publicUrl, vapidKeys } from "../env";
import { formatTime } from "../format";
import { isLocale, type Locale } from "../i18n/locales";
import { logger } from "../log";
import type { OrderStatus } from "./queries";

/** The states a guest is told about: the order is ready, or the café cancelled it. */
const ANNOUNCED: readonly OrderStatus[] = ["ready", "cancelled"];

/** A notice nobody delivered within this long (its server stopped) is sent by the sweeper... */
const SWEEP_AFTER_SECONDS = 20;
/** ...unless it is this old: "your order is ready" an hour later helps nobody. */
const STALE_AFTER_SECONDS = 60 * 60;
const PUSH_TIMEOUT_MS = 10_000;

/**
 * Owes the guest a notice of the order's new state, in the transaction that changes it (next to
 * the board's NOTIFY): one row per order and state under a unique key, so two servers, two taps or
 * a retry announce a state once. Only "ready", and a cancellation by the café (the guest who
 * cancelled knows). Returns the notice to deliver after the commit, or null.
 */
export async function oweOrderNotice(
  tx: Tx,
  order: { tenantId: string; id: string },
  status: OrderStatus,
  actorKind: "guest" | "staff",
): Promise<string | null> {
  if (!ANNOUNCED.includes(status) || (status === "cancelled" && actorKind === "guest")) return null;
  const [notice] = await tx
    .insert(orderNotices)
    .values({ tenantId: order.tenantId, orderId: order.id, status })
    .onConflictDoNothing({ target: [orderNotices.tenantId, orderNotices.orderId, orderNotices.status] })
    .returning({ id: orderNotices.id });
  return notice?.id ?? null;
}

type Claimed = {
  orderId: string;
  status: OrderStatus;
  pickupCode: string;
  pickupAt: Date;
  cancelReason: string | null;
  guestId: string;
  email: string | null;
  guestGone: boolean;
  location: string;
  timezone: string;
  cafe: { slug: string; name: string; locale: string };
};

/**
 * Takes the notice for delivery: `claimed_at` is set only where it is still null, so of two
 * senders (the request's after-commit and the sweeper, or two sweepers) exactly one gets it.
 */
async function claimNotice(tx: Tx, noticeId: string): Promise<Claimed | null> {
  const [notice] = await tx
    .update(orderNotices)
    .set({ claimedAt: sql`now()` })
    .where(and(eq(orderNotices.id, noticeId), isNull(orderNotices.claimedAt)))
    .returning({ orderId: orderNotices.orderId, status: orderNotices.status });
  if (!notice) return null;
  const [row] = await tx
    .select({
      pickupCode: orders.pickupCode,
      pickupAt: orders.pickupAt,
      cancelReason: orders.cancelReason,
      guestId: orders.guestId,
      email: guests.email,
      deletedAt: guests.deletedAt,
      onlineBlockedAt: guests.onlineBlockedAt,
      location: locations.name,
      timezone: locations.timezone,
      slug: tenants.slug,
      cafeName: tenants.name,
      locale: tenants.locale,
    })
    .from(orders)
    .innerJoin(guests, eq(guests.id, orders.guestId))
    .innerJoin(locations, eq(locations.id, orders.locationId))
    .innerJoin(tenants, eq(tenants.id, orders.tenantId))
    .where(eq(orders.id, notice.orderId));
  if (!row) return null;
  return {
    orderId: notice.orderId,
    status: notice.status,
    pickupCode: row.pickupCode,
    pickupAt: row.pickupAt,
    cancelReason: row.cancelReason,
    guestId: row.guestId,
    email: row.email,
    guestGone: row.deletedAt !== null || row.onlineBlockedAt !== null,
    location: row.location,
    timezone: row.timezone,
    cafe: { slug: row.slug, name: row.cafeName, locale: row.locale },
  };
}

const STRINGS: Record<
  Locale,
  {
    readySubject: (code: string) => string;
    readyBody: (location: string, at: string) => string;
    cancelledSubject: (code: string) => string;
    cancelledBody: (reason: string | null) => string;
    open: string;
    why: string;
  }
> = {
  ru: {
    readySubject: (code) => `Заказ ${code} готов`,
    readyBody: (location, at) => `Заберите его в «${location}» — назовите код у стойки. Время заказа: ${at}.`,
    cancelledSubject: (code) => `Заказ ${code} отменён кафе`,
    cancelledBody: (reason) => (reason ? `Причина: ${reason}.` : "Кафе отменило заказ."),
    open: "Открыть заказ",
    why: "Письмо о вашем заказе на самовывоз; других писем без вашего согласия не будет.",
  },
  en: {
    readySubject: (code) => `Order ${code} is ready`,
    readyBody: (location, at) => `Pick it up at ${location} — say the code at the counter. Pick-up time: ${at}.`,
    cancelledSubject: (code) => `Order ${code} was cancelled by the café`,
    cancelledBody: (reason) => (reason ? `Reason: ${reason}.` : "The café cancelled the order."),
    open: "Open the order",
    why: "This is about your pick-up order; no other mail without your consent.",
  },
};

/** What the guest reads: a subject line and one paragraph, in the café's language. */
function noticeText(notice: Claimed) {
  const locale: Locale = isLocale(notice.cafe.locale) ? notice.cafe.locale : "ru";
  const words = STRINGS[locale];
  const ready = notice.status === "ready";
  return {
    locale,
    words,
    title: ready ? words.readySubject(notice.pickupCode) : words.cancelledSubject(notice.pickupCode),
    body: ready
      ? words.readyBody(notice.location, formatTime(notice.pickupAt, locale, notice.timezone))
      : words.cancelledBody(notice.cancelReason),
    url: `${publicUrl()}/${notice.cafe.slug}/orders/${notice.orderId}`,
  };
}

/**
 * How push is sent: the VAPID keys (null: push is off). Tests also pass an https.Agent that trusts
 * their local push service's self-signed certificate.
 */
export type PushConfig = { publicKey: string; privateKey: string; subject: string; agent?: Agent } | null;

export type DeliveryOptions = { email?: EmailConfig; push?: PushConfig };

/**
 * Delivers one owed notice (after the transaction that owed it committed): an email when the guest
 * has an address, and a Web Push to each browser the guest allowed. Claimed first, so it goes out
 * once; a push service's 404/410 (the subscription expired or was withdrawn) removes that
 * subscription. A delivery failure is logged, never thrown: the order has moved on regardless.
 * Returns what was sent, or null when the notice was another sender's (or is gone).
 */
export async function deliverOrderNotice(
  db: Database,
  tenantId: string,
  noticeId: string,
  options: DeliveryOptions = {},
): Promise<{ email: boolean; pushed: number } | null> {
  const notice = await withTenant(tenantId, (tx) => claimNotice(tx, noticeId), db);
  if (!notice) return null;
  if (notice.guestGone) return { email: false, pushed: 0 };
  const text = noticeText(notice);
  let email = false;
  if (notice.email) {
    const { html, text: plain } = renderEmail({
      title: text.title,
      intro: text.body,
      action: { label: text.words.open, url: text.url },
      footer: text.words.why,
      locale: text.locale,
    });
    await sendEmail(
      db,
      { to: notice.email, subject: text.title, html, text: plain, context: notice.cafe.slug },
      options.email ?? emailConfig(),
    );
    email = true;
  }
  const pushed = await pushToGuest(db, tenantId, notice, text, options.push === undefined ? vapidKeys() : options.push);
  await withTenant(
    tenantId,
    (tx) =>
      tx
        .update(orderNotices)
        .set({ outcome: [email ? "email" : null, pushed > 0 ? `push:${pushed}` : null].filter(Boolean).join(" ") })
        .where(eq(orderNotices.id, noticeId)),
    db,
  );
  return { email, pushed };
}

/** Sends the notice to each of the guest's push subscriptions at this café; returns how many took it. */
async function pushToGuest(
  db: Database,
  tenantId: string,
  notice: Claimed,
  text: ReturnType<typeof noticeText>,
  keys: PushConfig,
): Promise<number> {
  if (!keys) return 0;
  const subscriptions = await withTenant(
    tenantId,
    (tx) => tx.select().from(pushSubscriptions).where(eq(pushSubscriptions.guestId, notice.guestId)),
    db,
  );
  const payload = JSON.stringify({
    title: text.title,
    body: text.body,
    url: text.url,
    // One notification per order on the guest's screen: "ready" replaces an earlier one.
    tag: `order-${notice.orderId}`,
  });
  let pushed = 0;
  for (const subscription of subscriptions) {
    try {
      await webpush.sendNotification(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        payload,
        {
          vapidDetails: { subject: keys.subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
          TTL: STALE_AFTER_SECONDS,
          urgency: "high",
          timeout: PUSH_TIMEOUT_MS,
          contentEncoding: "aes128gcm",
          ...(keys.agent ? { agent: keys.agent } : {}),
        },
      );
      pushed += 1;
      await withTenant(
        tenantId,
        (tx) =>
          tx.update(pushSubscriptions).set({ lastSentAt: sql`now()` }).where(eq(pushSubscriptions.id, subscription.id)),
        db,
      );
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404 || status === 410) {
        // The push service says the subscription is gone (expired, or the guest withdrew it).
        await withTenant(
          tenantId,
          (tx) => tx.delete(pushSubscriptions).where(eq(pushSubscriptions.id, subscription.id)),
          db,
        );
      } else {
        logger().warn({ err: error, tenantId, orderId: notice.orderId, status }, "push notice not sent");
      }
    }
  }
  return pushed;
}

/** deliverOrderNotice in the background: the barista's tap does not wait for mail and push services. */
export function deliverOrderNoticeInBackground(db: Database, tenantId: string, noticeId: string | null): void {
  if (!noticeId) return;
  deliverOrderNotice(db, tenantId, noticeId).catch((error: unknown) =>
    logger().error({ err: error, tenantId, noticeId }, "order notice not delivered"),
  );
}

/**
 * Delivers the notices nobody took (the server that owed them stopped between the commit and
 * the send): older than a few seconds, younger than an hour. Each café bound in turn.
 */
export async function deliverStrayOrderNotices(db: Database, options: DeliveryOptions = {}): Promise<number> {
  const cafes = await db.select({ id: tenants.id }).from(tenants);
  let delivered = 0;
  for (const cafe of cafes) {
    try {
      const stray = await withTenant(
        cafe.id,
        (tx) =>
          tx
            .select({ id: orderNotices.id })
            .from(orderNotices)
            .where(
              and(
                isNull(orderNotices.claimedAt),
                lt(orderNotices.createdAt, sql`now() - make_interval(secs => ${SWEEP_AFTER_SECONDS})`),
                gt(orderNotices.createdAt, sql`now() - make_interval(secs => ${STALE_AFTER_SECONDS})`),
              ),
            )
            .limit(100),
        db,
      );
      for (const notice of stray) {
        if (await deliverOrderNotice(db, cafe.id, notice.id, options)) delivered += 1;
      }
    } catch (error) {
      logger().error({ err: error, tenantId: cafe.id }, "stray order notices not delivered");
    }
  }
  return delivered;
}

/** A browser's push subscription as the Push API's `PushSubscription.toJSON()` gives it. */
export type PushSubscriptionInput = { endpoint: string; keys: { p256dh: string; auth: string } };

/**
 * Whether a push endpoint may be kept: https only, as every push service is (the server posts to
 * this URL, so a guest must not aim it at a plain-http address inside the network).
 */
export function pushEndpointAllowed(endpoint: string): boolean {
  try {
    return new URL(endpoint).protocol === "https:";
  } catch {
    return false;
  }
}

/** Keeps the guest's push subscription (this browser) at the café; the same browser again updates it. */
export async function savePushSubscription(
  tx: Tx,
  input: { tenantId: string; guestId: string; subscription: PushSubscriptionInput },
): Promise<void> {
  const { endpoint, keys } = input.subscription;
  await tx
    .insert(pushSubscriptions)
    .values({ tenantId: input.tenantId, guestId: input.guestId, endpoint, p256dh: keys.p256dh, auth: keys.auth })
    .onConflictDoUpdate({
      target: [pushSubscriptions.tenantId, pushSubscriptions.endpoint],
      set: { guestId: input.guestId, p256dh: keys.p256dh, auth: keys.auth },
    });
}

/** Forgets this browser's subscription (the guest turned notifications off here). */
export async function removePushSubscription(tx: Tx, input: { guestId: string; endpoint: string }): Promise<void> {
  await tx
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.guestId, input.guestId), eq(pushSubscriptions.endpoint, input.endpoint)));
}
