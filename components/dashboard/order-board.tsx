"use client";

import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useRef, useState, useTransition } from "react";
import { advanceOrderAction, type BoardStep } from "@/app/dashboard/[tenant]/orders/actions";
import { dayInZone, formatDateTime, formatMoney, formatPoints, formatTime } from "@/server/format";
import { describeChoice } from "@/server/menu/pricing";
import { isGuestCancel } from "@/server/orders/cancel-reason";
import type { OrderStatus, OrderSummary } from "@/server/orders/queries";
import type { BoardView } from "@/server/trpc/routers/orders";

type ColumnKey = "new" | "accepted" | "ready" | "done";
const COLUMNS: readonly ColumnKey[] = ["new", "accepted", "ready", "done"];
/** The one big button of a card: where the order goes next. */
const NEXT_STEP: Partial<Record<OrderStatus, Exclude<BoardStep, "cancelled">>> = {
  new: "accepted",
  accepted: "ready",
  ready: "picked_up",
};
/** How long a new order stays highlighted. */
const HIGHLIGHT_MS = 20_000;

type Money = { currency: string; locale: string };

/** A short double beep through the Web Audio API (no sound file to load). */
function beep(context: AudioContext | null) {
  if (!context) return;
  if (context.state === "suspended") void context.resume().catch(() => {});
  const start = context.currentTime;
  for (const [offset, frequency] of [
    [0, 880],
    [0.22, 1175],
  ] as const) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.3, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.18);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.2);
  }
}

/** The pick-up time in the location's zone; with the date when it is not today there. */
function pickupTime(pickupAt: string, locale: string, timeZone: string | undefined): string {
  const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const sameDay = dayInZone(pickupAt, zone) === dayInZone(new Date(), zone);
  return sameDay ? formatTime(pickupAt, locale, zone) : formatDateTime(pickupAt, locale, zone, { style: "short" });
}

function allOrders(view: BoardView): OrderSummary[] {
  return Object.values(view.columns).flat();
}

/**
 * The live order board: four columns (new, accepted, ready, done today), one big button per
 * card for the next step and a cancel with a reason. The server streams order changes (SSE over
 * LISTEN/NOTIFY); each one refreshes the board, and a new order beeps, glows and is announced.
 */
export function OrderBoard({ tenant, view, currency }: { tenant: string; view: BoardView; currency: string }) {
  const t = useTranslations("board");
  const locale = useLocale();
  const router = useRouter();
  const [live, setLive] = useState<"connecting" | "open" | "lost">("connecting");
  const [soundOn, setSoundOn] = useState(true);
  const [audioReady, setAudioReady] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const [fresh, setFresh] = useState<Set<string>>(() => new Set());
  const known = useRef<Set<string> | null>(null);
  const audio = useRef<AudioContext | null>(null);
  const unlockedAt = useRef(Number.NEGATIVE_INFINITY);
  const soundRef = useRef(soundOn);
  soundRef.current = soundOn;

  // Browsers start audio only after a user gesture: the first tap or key unlocks it. (Only the
  // sound button's label changes then, so nothing moves under the finger mid-tap.)
  useEffect(() => {
    const unlock = () => {
      stop();
      if (audio.current || typeof AudioContext === "undefined") return;
      unlockedAt.current = performance.now();
      audio.current = new AudioContext();
      void audio.current.resume().catch(() => {});
      setAudioReady(true);
    };
    const stop = () => {
      window.removeEventListener("pointerdown", unlock);
      window.removeEventListener("keydown", unlock);
    };
    window.addEventListener("pointerdown", unlock);
    window.addEventListener("keydown", unlock);
    return stop;
  }, []);

  // Orders that appeared in "new" since the last render: highlight, announce and beep.
  useEffect(() => {
    const ids = new Set(allOrders(view).map((order) => order.id));
    if (known.current === null) {
      known.current = ids;
      return;
    }
    const previous = known.current;
    known.current = ids;
    const arrived = view.columns.new.filter((order) => !previous.has(order.id));
    if (arrived.length === 0) return;
    setFresh((current) => new Set([...current, ...arrived.map((order) => order.id)]));
    setAnnouncement(arrived.map((order) => t("newOrder", { code: order.pickupCode })).join(". "));
    if (soundRef.current) beep(audio.current);
    const timer = setTimeout(() => {
      setFresh((current) => {
        const next = new Set(current);
        for (const order of arrived) next.delete(order.id);
        return next;
      });
    }, HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [view, t]);

  // The live stream: any change of our orders refreshes the board (coalesced over 150 ms).
  useEffect(() => {
    const source = new EventSource(`/api/orders/stream/${encodeURIComponent(tenant)}`);
    let pending: ReturnType<typeof setTimeout> | undefined;
    let opened = false;
    const refresh = () => {
      clearTimeout(pending);
      pending = setTimeout(() => router.refresh(), 150);
    };
    source.addEventListener("open", () => {
      setLive("open");
      // After a reconnect, catch up on what was missed meanwhile.
      if (opened) refresh();
      opened = true;
    });
    source.addEventListener("error", () => setLive("lost"));
    source.addEventListener("order", refresh);
    return () => {
      clearTimeout(pending);
      source.close();
    };
  }, [tenant, router]);

  const money: Money = { currency, locale };
  const showLocation = view.locations.length > 1;
  const zoneOf = (locationId: string) => view.locations.find((place) => place.id === locationId);
  const columnOrders = (key: ColumnKey): OrderSummary[] =>
    key === "done" ? [...view.columns.picked_up, ...view.columns.cancelled] : view.columns[key];

  return (
    <div className="mt-4">
      <div className="flex flex-wrap items-center gap-3">
        <p className="text-sm" data-live={live}>
          <span
            aria-hidden="true"
            className={`mr-2 inline-block size-3 rounded-full ${live === "open" ? "bg-leaf" : "bg-amber-500"}`}
          />
          {t(`live.${live}`)}
        </p>
        <button
          type="button"
          aria-pressed={soundOn}
          onClick={() => {
            // The tap that just unlocked audio (see above) turns the sound on rather than off.
            if (performance.now() - unlockedAt.current < 1_000) setSoundOn(true);
            else setSoundOn((on) => !on);
          }}
          className="min-h-12 rounded-lg border border-espresso/40 px-4 py-2 font-medium"
        >
          {soundOn ? (audioReady ? t("sound.on") : t("sound.tapToEnable")) : t("sound.off")}
        </button>
      </div>
      <p role="status" aria-live="assertive" aria-atomic="true" className="sr-only" data-testid="board-announcement">
        {announcement}
      </p>
      {/* A 1024 px tablet beside the menu has ~720 px: four narrow columns, tighter spacing. */}
      <div className="mt-4 grid gap-4 md:grid-cols-2 lg:grid-cols-4 lg:gap-2 xl:gap-4" data-testid="order-board">
        {COLUMNS.map((key) => {
          const orders = columnOrders(key);
          return (
            <section
              key={key}
              aria-labelledby={`board-${key}`}
              className="min-w-0 rounded-xl bg-crema p-3 lg:p-2 xl:p-3"
              data-column={key}
            >
              <h2
                id={`board-${key}`}
                className="flex flex-wrap items-baseline justify-between gap-x-2 text-lg font-semibold"
              >
                <span>{t(`columns.${key}`)}</span>{" "}
                <span className="text-base font-normal">{t("count", { count: orders.length })}</span>
              </h2>
              {orders.length === 0 ? (
                <p className="mt-3 text-sm text-espresso/80">{t("empty")}</p>
              ) : (
                <ul className="mt-3 flex flex-col gap-3">
                  {orders.map((order) => (
                    <li key={order.id}>
                      <OrderCard
                        tenant={tenant}
                        order={order}
                        money={money}
                        fresh={fresh.has(order.id)}
                        location={zoneOf(order.locationId)}
                        showLocation={showLocation}
                        onDone={() => router.refresh()}
                      />
                    </li>
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
    </div>
  );
}

function OrderCard({
  tenant,
  order,
  money,
  fresh,
  location,
  showLocation,
  onDone,
}: {
  tenant: string;
  order: OrderSummary;
  money: Money;
  fresh: boolean;
  location: { name: string; timezone: string } | undefined;
  showLocation: boolean;
  onDone: () => void;
}) {
  const t = useTranslations("board");
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  const [cancelling, setCancelling] = useState(false);
  const reasonId = useId();
  const headingId = useId();
  const next = NEXT_STEP[order.status];
  const time = pickupTime(order.pickupAt, money.locale, location?.timezone);

  const move = useCallback(
    (to: BoardStep, reason?: string) => {
      setError(undefined);
      startTransition(async () => {
        const result = await advanceOrderAction(tenant, { orderId: order.id, to, reason });
        if (result.error) {
          setError(t.has(`errors.${result.error}`) ? t(`errors.${result.error}`) : t("errors.generic"));
        } else {
          setCancelling(false);
        }
        onDone();
      });
    },
    [tenant, order.id, t, onDone],
  );

  return (
    <article
      aria-labelledby={headingId}
      data-order={order.pickupCode}
      data-status={order.status}
      // wrap-anywhere: a long comment or name without spaces breaks inside the card, never past it.
      className={`min-w-0 wrap-anywhere rounded-xl border-2 bg-white p-4 shadow-sm transition-colors lg:p-3 xl:p-4 ${
        fresh ? "border-amber-500 ring-4 ring-amber-300" : "border-espresso/15"
      }`}
    >
      <div className="flex items-start justify-between gap-2">
        <h3 id={headingId} className="font-mono text-4xl font-bold tracking-wider lg:text-3xl xl:text-4xl">
          <span className="sr-only">{t("pickupCode")} </span>
          {order.pickupCode}
        </h3>
        {fresh ? <span className="rounded bg-amber-200 px-2 py-1 text-sm font-semibold">{t("fresh")}</span> : null}
      </div>
      <p className="mt-1 text-lg font-semibold">
        {order.asap ? t("asap", { time }) : t("at", { time })}
        {showLocation && location ? <span className="font-normal"> · {location.name}</span> : null}
      </p>
      <ul className="mt-2 flex flex-col gap-1">
        {order.items.map((item) => (
          <li key={item.lineNo}>
            <span className="font-semibold">{t("item", { quantity: item.quantity, name: item.name })}</span>
            {item.modifiers.length > 0 || item.variantName ? (
              <span className="block text-sm text-espresso/80">{describeChoice(item)}</span>
            ) : null}
          </li>
        ))}
      </ul>
      {order.comment ? (
        <p className="mt-2 rounded bg-crema px-2 py-1" data-testid="order-comment">
          {t("comment", { comment: order.comment })}
        </p>
      ) : null}
      <dl className="mt-2 text-sm">
        {order.pointsApplied > 0 ? (
          <div className="flex justify-between gap-2">
            <dt>{t("points")}</dt>
            <dd>{formatPoints(order.pointsApplied, money.locale)}</dd>
          </div>
        ) : null}
        <div className="flex justify-between gap-2 text-base font-bold">
          <dt>{t("toPay")}</dt>
          <dd>{formatMoney(order.toPay, money.currency, money.locale)}</dd>
        </div>
      </dl>
      {order.status === "cancelled" ? (
        <p className="mt-2 text-sm">
          <strong>{t("status.cancelled")}</strong>
          {order.cancelReason
            ? ` — ${isGuestCancel(order.cancelReason) ? t("cancelledByGuest") : order.cancelReason}`
            : null}
        </p>
      ) : null}
      {order.status === "picked_up" ? (
        <p className="mt-2 text-sm font-semibold text-leaf">{t("status.picked_up")}</p>
      ) : null}
      {error ? (
        <p role="alert" className="mt-2 rounded-lg border border-red-700 bg-red-50 px-3 py-2 text-red-800">
          {error}
        </p>
      ) : null}
      {next ? (
        <div className="mt-3 flex flex-col gap-2">
          <button
            type="button"
            disabled={pending}
            onClick={() => move(next)}
            className="min-h-14 w-full rounded-xl bg-espresso px-4 py-3 text-xl font-bold text-crema hover:bg-roast disabled:opacity-60 lg:px-2"
          >
            {t(`next.${next}`)}
            <span className="sr-only"> {t("orderCode", { code: order.pickupCode })}</span>
          </button>
          {cancelling ? (
            <form
              className="flex min-w-0 flex-col gap-2"
              data-testid="cancel-form"
              onSubmit={(event) => {
                event.preventDefault();
                const reason = String(new FormData(event.currentTarget).get("reason") ?? "").trim();
                if (reason) move("cancelled", reason);
              }}
            >
              <label htmlFor={reasonId} className="font-medium">
                {t("cancelReason")}
              </label>
              <input
                id={reasonId}
                name="reason"
                required
                maxLength={500}
                // biome-ignore lint/a11y/noAutofocus: the barista just asked to cancel; the reason is what comes next.
                autoFocus
                className="min-h-12 w-full min-w-0 rounded-lg border border-espresso/40 px-3 py-2"
              />
              {/* In a narrow column the two buttons stack rather than spill out of the card. */}
              <div className="flex flex-wrap gap-2">
                <button
                  type="submit"
                  disabled={pending}
                  className="min-h-12 min-w-0 flex-1 basis-32 rounded-lg bg-red-800 px-3 py-2 font-semibold text-white disabled:opacity-60"
                >
                  {t("cancelConfirm")}
                  <span className="sr-only"> {t("orderCode", { code: order.pickupCode })}</span>
                </button>
                <button
                  type="button"
                  onClick={() => setCancelling(false)}
                  className="min-h-12 min-w-0 flex-1 basis-24 rounded-lg border border-espresso/40 px-3 py-2"
                >
                  {t("keep")}
                </button>
              </div>
            </form>
          ) : (
            <button
              type="button"
              disabled={pending}
              onClick={() => setCancelling(true)}
              className="min-h-12 w-full rounded-lg border border-red-800 px-3 py-2 font-medium text-red-800 disabled:opacity-60"
            >
              {t("cancel")}
              <span className="sr-only"> {t("orderCode", { code: order.pickupCode })}</span>
            </button>
          )}
        </div>
      ) : null}
    </article>
  );
}
