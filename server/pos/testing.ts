import type { Database } from "@/db/client";
import { withTenant } from "@/db/client";
import { createTenant } from "../tenants/create";
import { createPosKey } from "./keys";
import { handlePosRequest, POS_BASE_PATH } from "./rest";

export type PosReply<T = Record<string, unknown>> = { status: number; body: T; headers: Headers };

/** A café with one location and a POS key for it, for tests. */
export async function createPosTenant(db: Database, slug: string) {
  const { tenant, locations } = await db.transaction((tx) =>
    createTenant(tx, {
      slug,
      name: `Café ${slug}`,
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      locations: [
        { slug: "main", name: "Main", address: "Main st. 1" },
        { slug: "second", name: "Second", address: "Second st. 2" },
      ],
    }),
  );
  const created = await withTenant(
    tenant.id,
    (tx) =>
      createPosKey(tx, { tenantId: tenant.id, locationSlug: "main", name: "Till", actor: { actorKind: "system" } }),
    db,
  );
  const [main, second] = locations;
  if (!main || !second) throw new Error("createTenant returned no locations");
  return { tenantId: tenant.id, locationId: main.id, secondLocationId: second.id, key: created.key, keyId: created.id };
}

/** Calls the POS REST handler in-process, as an HTTP client would (no server needed). */
export function posClient(db: Database, key: string | null) {
  return async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    init: { headers?: Record<string, string>; rawBody?: string } = {},
  ): Promise<PosReply<T>> => {
    const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}) };
    if (body !== undefined || init.rawBody !== undefined) headers["content-type"] = "application/json";
    const request = new Request(`http://localhost${POS_BASE_PATH}${path}`, {
      method,
      headers: { ...headers, ...init.headers },
      body: init.rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const response = await handlePosRequest(request, db);
    return { status: response.status, body: (await response.json()) as T, headers: response.headers };
  };
}

/** A valid receipt body; override what a test is about. */
export function receiptBody(externalId: string, total: number, extra: Record<string, unknown> = {}) {
  return {
    externalId,
    occurredAt: "2026-11-22T08:15:00+03:00",
    lines: [
      { sku: "cappuccino", name: "Капучино 300 мл", quantity: 1, unitPrice: total, amount: total, category: "coffee" },
    ],
    total,
    ...extra,
  };
}
