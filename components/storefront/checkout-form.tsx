"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { type CheckoutError, placeOrderAction, quoteAction } from "@/app/[tenant]/checkout/actions";
import { formatDay, formatMoney, formatTime } from "@/server/format";
import { describeChoice } from "@/server/menu/pricing";
import type { CheckoutQuote, StoreLocation } from "@/server/orders/checkout";
import { chooseLocationAction } from "./actions";
import { checkoutIdempotencyKey, clearCart, finishCheckout, useCart } from "./cart-store";
import { LineProblemNote } from "./line-problem";
import type { Money } from "./product-card";

/** 1 point pays 1 major unit. */
const MINOR_PER_POINT = 100;
/** Refusals after which the quote is out of date (prices, stock, slots or points moved meanwhile). */
const REQUOTE = new Set([
  "slot_full",
  "slot_too_soon",
  "slot_unavailable",
  "no_slot_available",
  "daily_limit_reached",
  "product_sold_out",
  "product_unavailable",
  "product_not_found",
  "modifier_invalid",
  "modifier_selection",
  "insufficient_points",
  "redemption_limit_exceeded",
  "offer_not_applicable",
  "offer_used_up",
  "offer_expired",
  "offer_not_found",
]);
/** Refusals about the chosen offers or the typed code: said beside the promo-code field. */
const OFFER_ERRORS = new Set(["offer_not_applicable", "offer_used_up", "offer_expired", "offer_not_found"]);

type Pickup = { mode: "asap" } | { mode: "slot"; startsAt: string };

/**
 * The checkout of a signed-in guest: location, pick-up time (as soon as possible or a slot of the
 * day, full and too-soon slots greyed with the reason), a comment for the barista, points within
 * min(balance, the programme's cap) and the summary. Prices come from the server's quote; one
 * idempotency key per checkout makes a double submit place one order.
 */
export function CheckoutForm({
  tenant,
  locations,
  initialLocationId,
  money,
}: {
  tenant: string;
  locations: StoreLocation[];
  initialLocationId: string;
  money: Money;
}) {
  const t = useTranslations("shop.checkout");
  const to = useTranslations("offers.checkout");
  const locale = useLocale();
  const router = useRouter();
  const id = useId();
  const lines = useCart(tenant);
  const [locationId, setLocationId] = useState(initialLocationId);
  const [quote, setQuote] = useState<CheckoutQuote | null>(null);
  const [quoteError, setQuoteError] = useState<CheckoutError | null>(null);
  const [pickup, setPickup] = useState<Pickup>({ mode: "asap" });
  const [comment, setComment] = useState("");
  const [points, setPoints] = useState(0);
  const [placing, setPlacing] = useState(false);
  const [placed, setPlaced] = useState(false);
  const [error, setError] = useState<CheckoutError | null>(null);
  /** Personal offers the guest ticked, and the promo code applied (the server prices both). */
  const [chosenOffers, setChosenOffers] = useState<string[]>([]);
  const [code, setCode] = useState<string | null>(null);
  const [typedCode, setTypedCode] = useState("");
  const [codeError, setCodeError] = useState<string | null>(null);
  const submitting = useRef(false);
  const errorRef = useRef<HTMLParagraphElement>(null);

  const items = (lines ?? []).map(({ productSku, quantity, modifiers }) => ({ productSku, quantity, modifiers }));
  const itemsKey = JSON.stringify(items);
  const offerChoices = [...chosenOffers.map((offerId) => ({ offerId })), ...(code ? [{ code }] : [])];
  const offersKey = JSON.stringify(offerChoices);
  const format = (minor: number) => formatMoney(minor, money.currency, money.locale);
  const time = (iso: string, timeZone: string) => formatTime(iso, locale, timeZone);
  const day = (date: string) => formatDay(date, locale, "weekday");

  const requote = useCallback(async () => {
    const basket = JSON.parse(itemsKey) as typeof items;
    const offers = JSON.parse(offersKey) as typeof offerChoices;
    if (basket.length === 0) return;
    try {
      const result = await quoteAction(tenant, { locationId, items: basket, offers });
      if ("error" in result && OFFER_ERRORS.has(result.error) && offers.length > 0) {
        // The typed code (or a ticked offer) is refused: say so by the field, and price without it.
        setCodeError(result.error);
        setCode(null);
        setChosenOffers([]);
        return;
      }
      if ("quote" in result) {
        setQuote(result.quote);
        setQuoteError(null);
        setPoints((current) => Math.min(current, result.quote.maxPoints));
        setPickup((current) => {
          const { slots, asap } = result.quote;
          if (current.mode === "slot" && slots.some((slot) => slot.startsAt === current.startsAt && slot.available)) {
            return current;
          }
          // Nothing fits "as soon as possible" (the day is over): the first free time of the next day.
          const first = slots.find((slot) => slot.available);
          return asap === null && first ? { mode: "slot", startsAt: first.startsAt } : { mode: "asap" };
        });
      } else {
        setQuoteError(result);
      }
    } catch {
      setQuoteError({ error: "network" });
    }
  }, [tenant, locationId, itemsKey, offersKey]);

  useEffect(() => {
    void requote();
  }, [requote]);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  if (placed)
    return (
      <p className="mt-6 text-lg" role="status">
        {t("placed")}
      </p>
    );
  if (lines === null) return <p className="mt-6">{t("loading")}</p>;
  if (lines.length === 0) {
    return (
      <div className="mt-6 rounded-xl bg-white p-6 text-center shadow-sm">
        <p>{t("emptyCart")}</p>
        <Link href={`/${tenant}`} className="mt-3 inline-block font-semibold underline">
          {t("toMenu")}
        </Link>
      </div>
    );
  }

  const message = (problem: CheckoutError) => {
    const name = problem.sku ? (quote?.lines.find((line) => line.productSku === problem.sku)?.name ?? problem.sku) : "";
    const key = `errors.${problem.error}`;
    return t.has(key) ? t(key, { name, left: problem.left ?? 0 }) : t("errors.generic");
  };
  /** What went wrong, with a way back to sign-in when the session is the problem. */
  const problemText = (problem: CheckoutError) => (
    <>
      {message(problem)}{" "}
      {problem.error === "unauthorized" || problem.error === "forbidden" ? (
        <Link href={`/${tenant}/sign-in?next=${encodeURIComponent(`/${tenant}/checkout`)}`} className="underline">
          {t("signIn")}
        </Link>
      ) : null}
    </>
  );

  const subtotal = quote?.subtotal ?? 0;
  const offerDiscount = quote?.offerDiscount ?? 0;
  const maxPoints = quote?.maxPoints ?? 0;
  const toPay = subtotal - offerDiscount - points * MINOR_PER_POINT;
  const zone = quote?.location.timezone ?? locations.find((place) => place.id === locationId)?.timezone ?? "UTC";
  const canPlace = Boolean(quote?.orderable) && !placing && (pickup.mode === "slot" || quote?.asap != null);

  const offerReason = (reason: string | undefined) =>
    reason && to.has(`reasons.${reason}`) ? to(`reasons.${reason}`) : to("reasons.no_matching_items");
  function applyCode() {
    const typed = typedCode.trim();
    if (!typed) return;
    setCodeError(null);
    setCode(typed);
  }

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    // A second tap while the first is on its way does nothing; a retry after a reload reuses the key.
    if (submitting.current || !quote) return;
    submitting.current = true;
    setPlacing(true);
    setError(null);
    try {
      const result = await placeOrderAction(tenant, {
        locationId,
        items,
        pickup: pickup.mode === "asap" ? "asap" : pickup.startsAt,
        comment: comment.trim() || undefined,
        pointsToUse: points,
        idempotencyKey: checkoutIdempotencyKey(tenant, { locationId, items }),
        offers: offerChoices,
      });
      if ("orderId" in result) {
        setPlaced(true);
        clearCart(tenant);
        finishCheckout(tenant);
        router.push(`/${tenant}/orders/${result.orderId}`);
        return;
      }
      setError(result);
      if (OFFER_ERRORS.has(result.error)) {
        setCodeError(result.error);
        setCode(null);
        setChosenOffers([]);
      } else if (REQUOTE.has(result.error)) await requote();
    } catch {
      setError({ error: "network" });
    } finally {
      submitting.current = false;
      setPlacing(false);
    }
  };

  return (
    <form onSubmit={submit} className="mt-4 flex flex-col gap-5" noValidate>
      <section aria-labelledby={`${id}-where`} className="rounded-xl bg-white p-4 shadow-sm">
        <h2 id={`${id}-where`} className="font-semibold">
          {t("where")}
        </h2>
        <label htmlFor={`${id}-location`} className="mt-2 block text-sm">
          {t("location")}
        </label>
        <select
          id={`${id}-location`}
          value={locationId}
          onChange={(event) => {
            const next = event.target.value;
            setLocationId(next);
            setPickup({ mode: "asap" });
            const form = new FormData();
            form.set("tenant", tenant);
            form.set("locationId", next);
            void chooseLocationAction(form);
          }}
          className="mt-1 w-full rounded-lg border border-espresso/40 bg-white px-3 py-2 text-base"
        >
          {locations.map((place) => (
            <option key={place.id} value={place.id}>
              {place.name} — {place.address}
            </option>
          ))}
        </select>
      </section>

      <section aria-labelledby={`${id}-items`} className="rounded-xl bg-white p-4 shadow-sm">
        <div className="flex items-baseline justify-between">
          <h2 id={`${id}-items`} className="font-semibold">
            {t("items")}
          </h2>
          <Link href={`/${tenant}/cart`} className="text-sm underline">
            {t("editCart")}
          </Link>
        </div>
        {quote ? (
          <ul className="mt-2 flex flex-col gap-2">
            {quote.lines.map((line) => (
              // The cart merges equal choices, so product + options name a line.
              <li
                key={`${line.productSku}|${line.variantSlug ?? ""}|${line.modifiers.map((m) => `${m.groupSlug}/${m.optionSlug}×${m.quantity}`).join(",")}`}
                className="flex justify-between gap-3"
              >
                <div>
                  <p>
                    {line.name} × {line.quantity}
                  </p>
                  {line.modifiers.length > 0 || line.variantName ? (
                    <p className="text-sm text-espresso/80">{describeChoice(line)}</p>
                  ) : null}
                  {line.problem ? <LineProblemNote problem={line.problem} /> : null}
                </div>
                <p className="shrink-0">{line.problem === "not_found" ? "—" : format(line.amount)}</p>
              </li>
            ))}
          </ul>
        ) : quoteError ? null : (
          <p className="mt-2">{t("loading")}</p>
        )}
        {quoteError ? (
          <p role="alert" className="mt-2 rounded-lg border border-red-700 bg-red-50 px-3 py-2 text-red-800">
            {problemText(quoteError)}
          </p>
        ) : null}
      </section>

      {quote ? (
        <>
          <fieldset className="rounded-xl bg-white p-4 shadow-sm">
            <legend className="float-left w-full font-semibold">{t("pickup.title")}</legend>
            <p className="clear-left text-sm text-espresso/80">{t("pickup.zone", { location: quote.location.name })}</p>
            <label className="mt-2 flex min-h-12 items-center gap-3">
              <input
                type="radio"
                name={`${id}-pickup`}
                checked={pickup.mode === "asap"}
                disabled={quote.asap === null}
                onChange={() => setPickup({ mode: "asap" })}
                className="size-5 accent-espresso"
              />
              <span>{quote.asap ? t("pickup.asap", { time: time(quote.asap, zone) }) : t("pickup.noSlotsToday")}</span>
            </label>
            <label className="flex min-h-12 items-center gap-3">
              <input
                type="radio"
                name={`${id}-pickup`}
                checked={pickup.mode === "slot"}
                disabled={!quote.slots.some((slot) => slot.available)}
                onChange={() => {
                  const first = quote.slots.find((slot) => slot.available);
                  if (first) setPickup({ mode: "slot", startsAt: first.startsAt });
                }}
                className="size-5 accent-espresso"
              />
              <span>{quote.today ? t("pickup.atTime") : t("pickup.atTimeOn", { day: day(quote.date) })}</span>
            </label>
            {pickup.mode === "slot" ? (
              <div className="mt-2">
                <label htmlFor={`${id}-slot`} className="block text-sm">
                  {t("pickup.slot")}
                </label>
                <select
                  id={`${id}-slot`}
                  value={pickup.startsAt}
                  onChange={(event) => setPickup({ mode: "slot", startsAt: event.target.value })}
                  className="mt-1 w-full rounded-lg border border-espresso/40 bg-white px-3 py-2 text-base"
                >
                  {quote.slots.map((slot) => (
                    <option key={slot.startsAt} value={slot.startsAt} disabled={!slot.available}>
                      {time(slot.startsAt, zone)}
                      {slot.reason ? ` — ${t(`pickup.reason.${slot.reason}`)}` : ""}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
          </fieldset>

          <section className="rounded-xl bg-white p-4 shadow-sm">
            <label htmlFor={`${id}-comment`} className="font-semibold">
              {t("comment")}
            </label>
            <textarea
              id={`${id}-comment`}
              value={comment}
              maxLength={500}
              rows={2}
              onChange={(event) => setComment(event.target.value)}
              placeholder={t("commentPlaceholder")}
              className="mt-2 w-full rounded-lg border border-espresso/40 px-3 py-2 text-base"
            />
          </section>

          <section aria-labelledby={`${id}-offers`} className="rounded-xl bg-white p-4 shadow-sm">
            <h2 id={`${id}-offers`} className="font-semibold">
              {to("title")}
            </h2>
            {quote.offers.filter((offer) => !offer.code).length === 0 ? (
              <p className="mt-1 text-sm text-espresso/80">{to("none")}</p>
            ) : (
              <ul className="mt-2 flex flex-col gap-2" aria-label={to("yours")}>
                {quote.offers
                  .filter((offer) => !offer.code)
                  .map((offer) => (
                    <li key={offer.id}>
                      <label className="flex min-h-11 items-center gap-3">
                        <input
                          type="checkbox"
                          checked={chosenOffers.includes(offer.id)}
                          disabled={!offer.applicable && !chosenOffers.includes(offer.id)}
                          onChange={(event) => {
                            setCodeError(null);
                            setChosenOffers((current) =>
                              event.target.checked
                                ? [...current, offer.id]
                                : current.filter((chosen) => chosen !== offer.id),
                            );
                          }}
                          className="size-5 accent-leaf"
                        />
                        <span className="flex-1">
                          {to("use", { title: offer.title })}
                          {offer.applicable ? null : (
                            <span className="block text-sm text-espresso/80">
                              {to("notApplicable", { reason: offerReason(offer.reason) })}
                            </span>
                          )}
                        </span>
                        {offer.applicable && offer.maxDiscount > 0 ? (
                          <span className="shrink-0">{to("saves", { money: format(offer.maxDiscount) })}</span>
                        ) : null}
                      </label>
                    </li>
                  ))}
              </ul>
            )}
            {code ? (
              <p className="mt-3 flex flex-wrap items-center gap-3" data-testid="applied-code">
                <span className="rounded-full bg-leaf/15 px-3 py-1 font-mono font-semibold">{code}</span>
                {quote.offers
                  .filter((offer) => offer.code?.toLowerCase() === code.toLowerCase())
                  .map((offer) => (
                    <span key={offer.id}>
                      {offer.title}
                      {offer.applicable
                        ? offer.maxDiscount > 0
                          ? ` ${to("saves", { money: format(offer.maxDiscount) })}`
                          : ""
                        : ` — ${to("notApplicable", { reason: offerReason(offer.reason) })}`}
                    </span>
                  ))}
                <button
                  type="button"
                  onClick={() => setCode(null)}
                  className="underline"
                  aria-label={to("codeRemove", { code })}
                >
                  ✕
                </button>
              </p>
            ) : (
              <div className="mt-3 flex items-end gap-2">
                <div className="flex flex-1 flex-col gap-1">
                  <label htmlFor={`${id}-code`} className="text-sm font-medium">
                    {to("code")}
                  </label>
                  <input
                    id={`${id}-code`}
                    value={typedCode}
                    onChange={(event) => setTypedCode(event.target.value)}
                    onKeyDown={(event) => {
                      if (event.key === "Enter") {
                        event.preventDefault();
                        applyCode();
                      }
                    }}
                    autoCapitalize="characters"
                    autoComplete="off"
                    aria-invalid={codeError ? true : undefined}
                    aria-describedby={codeError ? `${id}-code-error` : undefined}
                    className="rounded-lg border border-espresso/40 px-3 py-2 text-base uppercase aria-invalid:border-red-700"
                  />
                </div>
                <button
                  type="button"
                  onClick={applyCode}
                  className="min-h-11 rounded-lg border border-espresso/40 px-4 py-2 font-semibold"
                >
                  {to("codeApply")}
                </button>
              </div>
            )}
            {codeError ? (
              <p id={`${id}-code-error`} role="alert" className="mt-2 text-sm font-medium text-red-800">
                {to.has(`errors.${codeError}`) ? to(`errors.${codeError}`) : t("errors.generic")}
              </p>
            ) : null}
          </section>

          <section aria-labelledby={`${id}-points`} className="rounded-xl bg-white p-4 shadow-sm">
            <h2 id={`${id}-points`} className="font-semibold">
              {t("points.title")}
            </h2>
            <p id={`${id}-points-hint`} className="text-sm text-espresso/80">
              {t("points.hint", { balance: quote.balance, percent: quote.maxRedeemPercent, max: maxPoints })}
            </p>
            {maxPoints > 0 ? (
              <div className="mt-3 flex items-center gap-3">
                <input
                  type="range"
                  min={0}
                  max={maxPoints}
                  step={1}
                  value={points}
                  onChange={(event) => setPoints(Number(event.target.value))}
                  aria-label={t("points.slider")}
                  aria-describedby={`${id}-points-hint`}
                  aria-valuetext={t("points.valueText", { points, money: format(points * MINOR_PER_POINT) })}
                  className="h-11 flex-1 accent-leaf"
                />
                <label htmlFor={`${id}-points-number`} className="sr-only">
                  {t("points.number")}
                </label>
                <input
                  id={`${id}-points-number`}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={maxPoints}
                  step={1}
                  value={points}
                  onChange={(event) => {
                    const value = Math.trunc(Number(event.target.value));
                    setPoints(Number.isFinite(value) ? Math.max(0, Math.min(maxPoints, value)) : 0);
                  }}
                  className="w-24 rounded-lg border border-espresso/40 px-3 py-2 text-right text-base"
                />
              </div>
            ) : null}
            {points > 0 ? (
              <p className="mt-2 text-sm" aria-live="polite">
                {t("points.worth", { points, money: format(points * MINOR_PER_POINT) })}
              </p>
            ) : null}
          </section>

          <section aria-labelledby={`${id}-summary`} className="rounded-xl bg-white p-4 shadow-sm">
            <h2 id={`${id}-summary`} className="sr-only">
              {t("summary.title")}
            </h2>
            <dl className="flex flex-col gap-1">
              <div className="flex justify-between">
                <dt>{t("summary.subtotal")}</dt>
                <dd>{format(subtotal)}</dd>
              </div>
              {offerDiscount > 0 ? (
                <div className="flex justify-between">
                  <dt>{to("discount")}</dt>
                  <dd data-testid="offer-discount">−{format(offerDiscount)}</dd>
                </div>
              ) : null}
              <div className="flex justify-between">
                <dt>{t("summary.points", { points })}</dt>
                <dd>−{format(points * MINOR_PER_POINT)}</dd>
              </div>
              <div className="flex justify-between text-lg font-semibold">
                <dt>{t("summary.toPay")}</dt>
                <dd data-testid="to-pay">{format(toPay)}</dd>
              </div>
            </dl>
            <p className="mt-1 text-sm text-espresso/80">{t("summary.payAtCounter")}</p>
          </section>
        </>
      ) : null}

      {error ? (
        <p
          ref={errorRef}
          tabIndex={-1}
          role="alert"
          className="rounded-lg border border-red-700 bg-red-50 px-3 py-2 text-red-800"
        >
          {problemText(error)}
        </p>
      ) : null}

      <button
        type="submit"
        disabled={!canPlace}
        className="min-h-12 rounded-xl bg-espresso px-4 py-3 text-lg font-semibold text-crema hover:bg-roast disabled:cursor-not-allowed disabled:opacity-60"
      >
        {placing ? t("placing") : t("place", { price: format(Math.max(0, toPay)) })}
      </button>
    </form>
  );
}
