"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientIp } from "@/server/http";
import { unsubscribeFromLink } from "@/server/offers/notify";
import { TENANT_SLUG } from "@/server/tenants/create";
import { findTenantBySlug } from "@/server/tenants/queries";

/** The unsubscribe button: the signed link names the guest, so no sign-in is needed. */
export async function unsubscribeAction(form: FormData): Promise<void> {
  const slug = String(form.get("tenant") ?? "");
  const token = String(form.get("token") ?? "");
  const tenant = TENANT_SLUG.test(slug) ? await findTenantBySlug(slug) : null;
  if (!tenant) redirect("/");
  const done = await unsubscribeFromLink(tenant, token, { ip: clientIp(await headers()) });
  redirect(`/${tenant.slug}/unsubscribe?${done ? "done=1" : "invalid=1"}`);
}
