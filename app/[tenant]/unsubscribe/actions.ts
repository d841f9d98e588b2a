"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { requireForm } from "@/server/action-args";
import { unsubscribeFromCampaignLink } from "@/server/campaigns/unsubscribe";
import { clientIp } from "@/server/http";
import { unsubscribeFromLink } from "@/server/offers/notify";
import { TENANT_SLUG } from "@/server/tenants/create";
import { findTenantBySlug } from "@/server/tenants/queries";

/** The unsubscribe button: the signed link names the guest, so no sign-in is needed. */
export async function unsubscribeAction(form: FormData): Promise<void> {
  requireForm(form);
  const slug = String(form.get("tenant") ?? "");
  const token = String(form.get("token") ?? "");
  const tenant = TENANT_SLUG.test(slug) ? await findTenantBySlug(slug) : null;
  if (!tenant) redirect("/");
  const send = String(form.get("send") ?? "");
  const ip = clientIp(await headers());
  // A campaign's link names its send as well, so the unsubscribe is counted for that campaign.
  const done = send
    ? await unsubscribeFromCampaignLink(tenant, token, send, { ip })
    : await unsubscribeFromLink(tenant, token, { ip });
  redirect(`/${tenant.slug}/unsubscribe?${done ? "done=1" : "invalid=1"}`);
}
