import { sql } from "drizzle-orm";
import { appDb, type Database } from "@/db/client";
import { stripeEvents, subscriptions } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { checkoutSessionCompleted } from "./events/checkout-session-completed";
import { customerSubscription } from "./events/customer-subscription";
import { invoicePaid } from "./events/invoice-paid";
import { invoicePaymentFailed } from "./events/invoice-payment-failed";
import type { EventHandler } from "./events/types";
import type { BillingProvider, ProviderEvent } from "./provider";
import { syncSubscription } from "./sync";

/** The event types we act on, one small module each; anything else is answered 200 and ignored. */
const HANDLERS: readonly EventHandler[] = [
  checkoutSessionCompleted,
  customerSubscription,
  invoicePaid,
  invoicePaymentFailed,
];

export const HANDLED_EVENT_TYPES = HANDLERS.flatMap((handler) => handler.types);

export type WebhookOutcome = "applied" | "duplicate" | "ignored" | "unknown_customer";

/**
 * Applies one verified webhook event at most once. The event id is stored under its primary key
 * in the same transaction as the sync: a redelivery — even one arriving while the first is still
 * being applied, which then waits on that key — finds it and does nothing; a failure rolls both
 * back, so the provider's retry applies it.
 */
export async function handleBillingEvent(
  db: Database,
  provider: BillingProvider,
  event: ProviderEvent,
): Promise<WebhookOutcome> {
  const handler = HANDLERS.find((candidate) => candidate.types.includes(event.type));
  if (!handler) return "ignored";
  const customerId = handler.customerOf(event.object);
  return db.transaction(async (tx) => {
    const fresh = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.type })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (fresh.length === 0) return "duplicate";
    if (!customerId) return "unknown_customer";
    const [known] = await tx.execute<{ tenant_id: string | null }>(
      sql`select tenant_of_billing_customer(${customerId}) as tenant_id`,
    );
    const tenantId = known?.tenant_id ?? handler.tenantOf?.(event.object) ?? null;
    if (!tenantId) return "unknown_customer";
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
    const [row] = await tx.select({ customerId: subscriptions.providerCustomerId }).from(subscriptions);
    // A café named by a checkout may only take a customer when it has none of its own yet.
    if (!row || (row.customerId !== null && row.customerId !== customerId)) return "unknown_customer";
    const current = await syncSubscription(tx, provider, { tenantId, customerId, cause: `stripe:${event.type}` });
    if (handler.audit) {
      await recordAudit(tx, {
        tenantId,
        actorKind: "system",
        action: handler.audit,
        targetType: "invoice",
        targetId: typeof event.object.id === "string" ? event.object.id : undefined,
        meta: { event: event.type, subscription: current?.id ?? null, status: current?.status ?? null },
      });
    }
    return "applied";
  });
}

/** handleBillingEvent on the app's pool, for the webhook route. */
export function applyBillingEvent(provider: BillingProvider, event: ProviderEvent): Promise<WebhookOutcome> {
  return handleBillingEvent(appDb(), provider, event);
}
