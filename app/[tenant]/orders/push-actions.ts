"use server";

import { requireRecord, requireText } from "@/server/action-args";
import { actionError } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

type Subscription = { endpoint: string; keys: { p256dh: string; auth: string } };

/** Keeps this browser's push subscription for the signed-in guest at the café. */
export async function subscribePushAction(tenant: string, subscription: Subscription): Promise<{ error?: string }> {
  requireText(tenant);
  requireRecord(subscription);
  try {
    await (await serverCaller(tenant)).shop.subscribePush({
      endpoint: String(subscription?.endpoint),
      keys: { p256dh: String(subscription?.keys?.p256dh), auth: String(subscription?.keys?.auth) },
    });
    return {};
  } catch (error) {
    return actionError(error);
  }
}

/** Forgets this browser's push subscription (the guest turned notifications off). */
export async function unsubscribePushAction(tenant: string, endpoint: string): Promise<{ error?: string }> {
  requireText(tenant);
  try {
    await (await serverCaller(tenant)).shop.unsubscribePush({ endpoint: String(endpoint) });
    return {};
  } catch (error) {
    return actionError(error);
  }
}
