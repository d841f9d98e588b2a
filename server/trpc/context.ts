import { randomUUID } from "node:crypto";
import { appDb, type Database } from "@/db/client";
import { clientIp } from "../http";
import type { Context } from "./init";

/** The context of one HTTP request: its id (from proxy.ts), the client's address, the app's pool. */
export function createRequestContext(request: { headers: Headers }, db: Database = appDb()): Context {
  return {
    db,
    requestId: request.headers.get("x-request-id") ?? randomUUID(),
    ip: clientIp(request.headers),
    headers: request.headers,
    getStaffSession: async () => {
      const { currentStaffSession } = await import("../auth/session");
      return currentStaffSession();
    },
    getGuestAccount: async () => {
      const { currentGuestAccount } = await import("../guest-auth/session");
      return currentGuestAccount();
    },
    tenantSlug: request.headers.get("x-zerno-tenant"),
    response: { headers: {} },
  };
}
