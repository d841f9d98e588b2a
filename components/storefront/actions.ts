"use server";

import { cookies } from "next/headers";
import { requireForm } from "@/server/action-args";
import { TENANT_SLUG } from "@/server/tenants/create";
import { LOCATION_COOKIE, UUID } from "./location";

/**
 * Remembers the guest's location at one café (menu, cart and checkout follow it). The cookie is
 * scoped to the café's path, so each café keeps its own; the id is checked where it is used.
 */
export async function chooseLocationAction(formData: FormData): Promise<void> {
  requireForm(formData);
  const tenant = String(formData.get("tenant") ?? "");
  const locationId = String(formData.get("locationId") ?? "");
  if (!TENANT_SLUG.test(tenant) || !UUID.test(locationId)) return;
  (await cookies()).set(LOCATION_COOKIE, locationId, {
    path: `/${tenant}`,
    maxAge: 60 * 60 * 24 * 365,
    sameSite: "lax",
    httpOnly: true,
  });
}
