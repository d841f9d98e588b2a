"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { subscribePushAction, unsubscribePushAction } from "@/app/[tenant]/orders/push-actions";

/** Where the service worker lives (public/push-sw.js); scope: the whole site. */
const WORKER_URL = "/push-sw.js";

type State = "checking" | "unsupported" | "denied" | "off" | "working" | "on" | "failed";

/** The VAPID public key (base64url) as the Push API takes it. */
function applicationServerKey(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

const pushSupported = () =>
  typeof window !== "undefined" && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

/**
 * "Tell me when the order is ready": asks the browser's permission (only on the guest's tap),
 * subscribes through the service worker and keeps the subscription for this guest at the café.
 * Where push is impossible or refused it says so — the email comes either way.
 */
export function PushOptIn({ tenant, publicKey }: { tenant: string; publicKey: string }) {
  const t = useTranslations("notices");
  const [state, setState] = useState<State>("checking");

  useEffect(() => {
    let cancelled = false;
    (async () => {
      if (!pushSupported()) return setState("unsupported");
      if (Notification.permission === "denied") return setState("denied");
      const registration = await navigator.serviceWorker.getRegistration(WORKER_URL);
      const subscription = await registration?.pushManager.getSubscription();
      if (!cancelled) setState(subscription && Notification.permission === "granted" ? "on" : "off");
    })().catch(() => !cancelled && setState("off"));
    return () => {
      cancelled = true;
    };
  }, []);

  async function turnOn() {
    setState("working");
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") return setState(permission === "denied" ? "denied" : "off");
      const registration = await navigator.serviceWorker.register(WORKER_URL);
      await navigator.serviceWorker.ready;
      const subscription =
        (await registration.pushManager.getSubscription()) ??
        (await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: applicationServerKey(publicKey),
        }));
      const json = subscription.toJSON();
      const answer = await subscribePushAction(tenant, {
        endpoint: subscription.endpoint,
        keys: { p256dh: json.keys?.p256dh ?? "", auth: json.keys?.auth ?? "" },
      });
      setState(answer.error ? "failed" : "on");
    } catch {
      setState("failed");
    }
  }

  async function turnOff() {
    setState("working");
    try {
      const registration = await navigator.serviceWorker.getRegistration(WORKER_URL);
      const subscription = await registration?.pushManager.getSubscription();
      if (subscription) {
        await unsubscribePushAction(tenant, subscription.endpoint);
        await subscription.unsubscribe();
      }
      setState("off");
    } catch {
      setState("failed");
    }
  }

  if (state === "checking") return null;
  return (
    <section aria-labelledby="push-heading" className="mt-6 rounded-xl border border-espresso/20 p-4">
      <h2 id="push-heading" className="font-semibold">
        {t("heading")}
      </h2>
      <div aria-live="polite" className="mt-2 text-sm">
        {state === "unsupported" ? <p>{t("unsupported")}</p> : null}
        {state === "denied" ? <p>{t("denied")}</p> : null}
        {state === "on" ? <p>{t("on")}</p> : null}
        {state === "failed" ? <p role="alert">{t("failed")}</p> : null}
      </div>
      {state === "off" || state === "failed" || state === "working" ? (
        <>
          <button
            type="button"
            onClick={turnOn}
            disabled={state === "working"}
            className="mt-2 rounded-lg bg-espresso px-4 py-2 font-semibold text-crema disabled:opacity-60"
          >
            {state === "working" ? t("working") : t("ask")}
          </button>
          <p className="mt-1 text-sm text-espresso/80">{t("askHelp")}</p>
        </>
      ) : null}
      {state === "on" ? (
        <button
          type="button"
          onClick={turnOff}
          className="mt-2 rounded-lg border border-espresso/40 px-4 py-2 font-semibold hover:bg-crema"
        >
          {t("turnOff")}
        </button>
      ) : null}
    </section>
  );
}
