"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useState, useTransition } from "react";
import { cancelOrderAction } from "@/app/[tenant]/orders/actions";
import { dayInZone, formatDateTime, formatMoney, formatTime } from "@/server/format";
import { describeChoice } from "@/server/menu/pricing";
import type { OrderOfferLine } from "@/server/offers/order-view";
import { isGuestCancel } from "@/server/orders/cancel-reason";
import type { GuestOrderView } from "@/server/orders/checkout";
import type { OrderStatus } from "@/server/orders/queries";
import type { Money } from "./product-card";

const STEPS: readonly OrderStatus[] = ["new", "accepted", "ready", "picked_up"];
/** How often the page re-reads the order when the live stream is down. */
const POLL_MS = 10_000;

/**
 * The order's status page: steps new → accepted → ready → picked up (or cancelled with the
 * reason), the pick-up code, time in the location's zone, items and money. Each change the
 * server streams re-reads the order (router.refresh); if the stream fails, it polls instead.
 */
export function OrderTracker({
  tenant,
  view,
  money,
}: {
  tenant: string;
  view: GuestOrderView & { offers: OrderOfferLine[] };
  money: Money;
}) {
  const t = useTranslations("shop.order");
  const to = useTranslations("offers.order");
  const tc = useTranslations("waysBack.cancelled");
  const locale = useLocale();
  const router = useRouter();
  const { order, location } = view;
  const [live, setLive] = useState<"connecting" | "open" | "polling">("connecting");
  const [confirming, setConfirming] = useState(false);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [cancelling, startCancel] = useTransition();
  const cancelled = order.status === "cancelled";
  const finished = order.status === "picked_up" || cancelled;
  const format = (minor: number) => formatMoney(minor, money.currency, money.locale);

  useEffect(() => {
    if (finished) return;
    let poll: ReturnType<typeof setInterval> | undefined;
    const startPolling = () => {
      setLive("polling");
      poll ??= setInterval(() => router.refresh(), POLL_MS);
    };
    if (typeof EventSource === "undefined") {
      startPolling();
      return () => clearInterval(poll);
    }
    const source = new EventSource(
      `/api/orders/guest-stream/${encodeURIComponent(tenant)}/${encodeURIComponent(order.id)}`,
    );
    let opened = false;
    source.addEventListener("open", () => {
      setLive("open");
      clearInterval(poll);
      poll = undefined;
      // After a reconnect, catch up on a change missed meanwhile.
      if (opened) router.refresh();
      opened = true;
    });
    source.addEventListener("order", () => router.refresh());
    // The browser retries a dropped stream by itself; until it is back (or for good, if it was
    // refused), the page polls.
    source.addEventListener("error", startPolling);
    return () => {
      source.close();
      clearInterval(poll);
    };
  }, [tenant, order.id, finished, router]);

  const sameDay = dayInZone(order.pickupAt, location.timezone) === dayInZone(new Date(), location.timezone);
  const pickupTime = sameDay
    ? formatTime(order.pickupAt, locale, location.timezone)
    : formatDateTime(order.pickupAt, locale, location.timezone, { style: "short" });
  const current = STEPS.indexOf(order.status);

  return (
    <div className="mt-4 flex flex-col gap-4" data-status={order.status}>
      <p role="status" aria-live="polite" className="text-lg font-semibold">
        {t(`status.${order.status}`)}
      </p>

      {order.status === "cancelled" ? (
        // The state is said once (above); no pick-up code to show at the counter, only the order's name.
        <div className="rounded-xl border border-red-700 bg-red-50 p-4 text-red-900" data-testid="cancelled-order">
          <p className="font-semibold">{tc("order", { code: order.pickupCode })}</p>
          {order.cancelReason ? (
            <p className="mt-1">
              {isGuestCancel(order.cancelReason)
                ? t("cancelledByYou")
                : t("cancelReason", { reason: order.cancelReason })}
            </p>
          ) : null}
          {order.pointsApplied > 0 ? (
            <p className="mt-1">{t("pointsReturned", { points: order.pointsApplied })}</p>
          ) : null}
        </div>
      ) : (
        <ol className="grid grid-cols-4 gap-1" aria-label={t("steps")}>
          {STEPS.map((step, index) => (
            <li
              key={step}
              aria-current={index === current ? "step" : undefined}
              className={`rounded-lg px-1 py-2 text-center text-xs font-medium sm:text-sm ${
                index < current
                  ? "bg-leaf/15 text-espresso"
                  : index === current
                    ? "bg-leaf text-white"
                    : "bg-white text-espresso/80"
              }`}
            >
              <span aria-hidden="true">{index < current ? "✓ " : ""}</span>
              {t(`step.${step}`)}
            </li>
          ))}
        </ol>
      )}

      {cancelled ? null : (
        <section className="rounded-xl bg-white p-4 text-center shadow-sm" aria-labelledby="pickup-code-label">
          <h2 id="pickup-code-label" className="text-sm text-espresso/80">
            {t("code")}
          </h2>
          <p className="mt-1 font-mono text-6xl font-bold tracking-widest" data-testid="pickup-code">
            {order.pickupCode}
          </p>
          <p className="mt-3 text-lg">
            {order.asap ? t("pickupAsap", { time: pickupTime }) : t("pickupAt", { time: pickupTime })}
          </p>
          <p className="text-sm text-espresso/80">
            {location.name}, {location.address}
          </p>
        </section>
      )}

      <section className="rounded-xl bg-white p-4 shadow-sm" aria-labelledby="order-items">
        <h2 id="order-items" className="font-semibold">
          {t("items")}
        </h2>
        <ul className="mt-2 flex flex-col gap-2">
          {order.items.map((item) => (
            <li key={item.lineNo} className="flex justify-between gap-3">
              <div>
                <p>
                  {item.name} × {item.quantity}
                </p>
                {item.modifiers.length > 0 || item.variantName ? (
                  <p className="text-sm text-espresso/80">{describeChoice(item)}</p>
                ) : null}
              </div>
              <p className="shrink-0">{format(item.amount)}</p>
            </li>
          ))}
        </ul>
        {order.comment ? <p className="mt-2 text-sm">{t("comment", { comment: order.comment })}</p> : null}
        <dl className="mt-3 flex flex-col gap-1 border-t border-espresso/10 pt-3">
          <div className="flex justify-between">
            <dt>{t("subtotal")}</dt>
            <dd>{format(order.subtotal)}</dd>
          </div>
          {view.offers.map((offer) => (
            <div key={offer.offerId} className="flex justify-between" data-testid="order-offer">
              <dt>{to("discount", { title: offer.code ? `${offer.code} — ${offer.title}` : offer.title })}</dt>
              <dd>−{format(offer.discount)}</dd>
            </div>
          ))}
          {order.pointsApplied > 0 ? (
            <div className="flex justify-between">
              <dt>{t("points", { points: order.pointsApplied })}</dt>
              <dd>−{format(order.pointsApplied * 100)}</dd>
            </div>
          ) : null}
          {cancelled ? null : (
            <div className="flex justify-between text-lg font-semibold">
              <dt>{t("toPay")}</dt>
              <dd data-testid="order-to-pay">{format(order.toPay)}</dd>
            </div>
          )}
        </dl>
        {cancelled ? <p className="mt-2 font-semibold">{tc("nothingToPay")}</p> : null}
      </section>

      {view.cancellable ? (
        <div className="flex flex-col gap-2">
          {confirming ? (
            <>
              {/* Points are mentioned only when the order holds some. */}
              <p>{order.pointsApplied > 0 ? tc("confirmPoints", { points: order.pointsApplied }) : tc("confirm")}</p>
              <div className="flex gap-2">
                <button
                  type="button"
                  disabled={cancelling}
                  onClick={() =>
                    startCancel(async () => {
                      const result = await cancelOrderAction(tenant, order.id);
                      setConfirming(false);
                      if (result.error) setCancelError(result.error);
                      router.refresh();
                    })
                  }
                  className="min-h-12 flex-1 rounded-xl bg-red-800 px-4 py-2 font-semibold text-white disabled:opacity-60"
                >
                  {t("cancelYes")}
                </button>
                <button
                  type="button"
                  onClick={() => setConfirming(false)}
                  className="min-h-12 flex-1 rounded-xl border border-espresso/40 px-4 py-2 font-semibold"
                >
                  {t("cancelNo")}
                </button>
              </div>
            </>
          ) : (
            <button
              type="button"
              onClick={() => {
                setCancelError(null);
                setConfirming(true);
              }}
              className="min-h-12 rounded-xl border border-espresso/40 px-4 py-2 font-semibold"
            >
              {t("cancel")}
            </button>
          )}
        </div>
      ) : null}
      {cancelError ? (
        <p role="alert" className="rounded-lg border border-red-700 bg-red-50 px-3 py-2 text-red-800">
          {cancelError === "invalid_transition" ? t("cancelTooLate") : t("cancelFailed")}
        </p>
      ) : null}

      <p className="text-sm text-espresso/80" data-live={live}>
        {finished ? null : t(`live.${live}`)}
      </p>
      <p>
        <Link href={`/${tenant}/orders`} className="underline">
          {t("allOrders")}
        </Link>{" "}
        ·{" "}
        <Link href={`/${tenant}`} className="underline">
          {t("toMenu")}
        </Link>
      </p>
    </div>
  );
}
