import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import { appDb } from "@/db/client";
import { currentStaffSession } from "../auth/session";
import { currentGuestAccount } from "../guest-auth/session";
import { clientIp } from "../http";
import { createCaller } from "./root";

/**
 * The tRPC caller for server components and server actions of one tenant (its back-office, its
 * storefront and cabinet): the same procedures, and so the same checks, as HTTP clients use.
 */
export async function serverCaller(tenantSlug: string) {
  const requestHeaders = await headers();
  return createCaller({
    db: appDb(),
    requestId: requestHeaders.get("x-request-id") ?? randomUUID(),
    ip: clientIp(requestHeaders),
    headers: requestHeaders,
    getStaffSession: currentStaffSession,
    getGuestAccount: currentGuestAccount,
    tenantSlug,
    response: { headers: {} },
  });
}
