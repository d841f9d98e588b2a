"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState, useTransition } from "react";
import { refreshQrAction } from "@/app/[tenant]/me/actions";

/** The card's texts, translated on the server ("{seconds}" in `countdown` stands for the number). */
export type QrCardLabels = Record<
  "heading" | "hint" | "imageLabel" | "countdown" | "refresh" | "refreshing" | "error" | "cardCode" | "cardCodeHint",
  string
>;

/** After a failed refresh, try again this soon (a phone going through a tunnel). */
const RETRY_SECONDS = 5;

/**
 * The guest's rotating QR code with a countdown to its next change. The server says how long the
 * code lives (its clock decides), the page counts down from that and fetches the next one through
 * a server action; it also refreshes at once when the tab comes back after being hidden. Its texts
 * come ready-made from the server, so the cabinet's front page ships no message formatter.
 */
export function QrCard({
  tenant,
  initialSvg,
  initialExpiresIn,
  cardCode,
  labels,
}: {
  tenant: string;
  initialSvg: string;
  initialExpiresIn: number;
  cardCode: string;
  labels: QrCardLabels;
}) {
  const t = (key: Exclude<keyof QrCardLabels, "countdown">) => labels[key];
  const router = useRouter();
  const [svg, setSvg] = useState(initialSvg);
  const [failed, setFailed] = useState(false);
  const [pending, startTransition] = useTransition();
  const deadline = useRef(Date.now() + initialExpiresIn * 1000);
  const [secondsLeft, setSecondsLeft] = useState(initialExpiresIn);

  const refresh = useCallback(() => {
    startTransition(async () => {
      const next = await refreshQrAction(tenant).catch(() => ({ error: "network" }));
      if ("svg" in next) {
        setSvg(next.svg);
        setFailed(false);
        deadline.current = Date.now() + next.expiresInSeconds * 1000;
      } else {
        setFailed(true);
        deadline.current = Date.now() + RETRY_SECONDS * 1000;
        // Signed out (or the card closed) elsewhere: the page's own guard sends the guest on.
        if (next.error === "unauthorized" || next.error === "forbidden") router.refresh();
      }
      setSecondsLeft(Math.max(0, Math.ceil((deadline.current - Date.now()) / 1000)));
    });
  }, [tenant, router]);

  useEffect(() => {
    // Counted from a deadline, not by decrements: timers of a busy or background tab drift.
    const timer = setInterval(() => {
      setSecondsLeft(Math.max(0, Math.ceil((deadline.current - Date.now()) / 1000)));
    }, 250);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (secondsLeft <= 0 && !pending) refresh();
  }, [secondsLeft, pending, refresh]);

  useEffect(() => {
    // Only a tab that has been hidden since the card started (or started hidden): a page just
    // opened in front already has a fresh code from the server.
    let wasHidden = document.visibilityState === "hidden";
    const onVisible = () => {
      if (document.visibilityState === "hidden") wasHidden = true;
      else if (wasHidden) {
        wasHidden = false;
        refresh();
      }
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [refresh]);

  return (
    <section aria-labelledby="qr-heading" className="rounded-2xl bg-white p-4 text-center shadow-sm">
      <h2 id="qr-heading" className="text-sm font-semibold uppercase tracking-wide text-espresso/80">
        {t("heading")}
      </h2>
      <p className="mt-1 text-sm">{t("hint")}</p>
      <div
        role="img"
        aria-label={t("imageLabel")}
        data-testid="qr-code"
        className="mx-auto mt-3 aspect-square w-full max-w-64"
        // The SVG is made on the server by the qrcode package from our own payload (no user text).
        // biome-ignore lint/security/noDangerouslySetInnerHtml: trusted, server-generated SVG
        dangerouslySetInnerHTML={{ __html: svg }}
      />
      <p className="mt-2 text-sm tabular-nums" aria-live="off">
        {pending ? t("refreshing") : labels.countdown.replace("{seconds}", String(secondsLeft))}
      </p>
      {failed ? (
        <p role="alert" className="mt-2 rounded-lg border border-red-700 bg-red-50 px-3 py-2 text-sm text-red-800">
          {t("error")}
        </p>
      ) : null}
      <button
        type="button"
        onClick={refresh}
        disabled={pending}
        className="mt-2 rounded-full border border-espresso/30 px-3 py-1 text-sm font-medium hover:bg-crema disabled:opacity-60"
      >
        {t("refresh")}
      </button>
      <dl className="mt-4 border-t border-espresso/10 pt-3">
        <dt className="text-sm text-espresso/80">{t("cardCode")}</dt>
        <dd className="font-mono text-2xl font-semibold tracking-widest">
          {cardCode.replace(/(\d{3})(?=\d)/g, "$1 ")}
        </dd>
      </dl>
      <p className="mt-1 text-xs text-espresso/80">{t("cardCodeHint")}</p>
    </section>
  );
}
