"use server";

import { redirect } from "next/navigation";
import { requireForm, requireText } from "@/server/action-args";
import { actionError } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

const page = (tenant: string) => `/dashboard/${tenant}/billing`;

/** Sends the owner to the provider's Checkout for the chosen plan and interval. */
export async function checkoutAction(tenant: string, form: FormData): Promise<void> {
  requireText(tenant);
  requireForm(form);
  let url: string;
  try {
    const checkout = await (await serverCaller(tenant)).billing.checkout({
      plan: String(form.get("plan") ?? "") as "pro",
      interval: String(form.get("interval") ?? "month") as "month",
    });
    url = checkout.url;
  } catch (error) {
    redirect(`${page(tenant)}?error=${encodeURIComponent(actionError(error).error)}`);
  }
  redirect(url);
}

/** Opens the provider's portal: card, plan change, cancellation. */
export async function portalAction(tenant: string): Promise<void> {
  requireText(tenant);
  let url: string;
  try {
    url = (await (await serverCaller(tenant)).billing.portal()).url;
  } catch (error) {
    redirect(`${page(tenant)}?error=${encodeURIComponent(actionError(error).error)}`);
  }
  redirect(url);
}
