"use server";

import { TRPCError } from "@trpc/server";
import { requireText } from "@/server/action-args";
import { AppError } from "@/server/errors";
import type { BasketItem } from "@/server/menu/pricing";
import type { OfferChoice } from "@/server/offers/types";
import type { CheckoutQuote } from "@/server/orders/checkout";
import { actionError } from "@/server/trpc/action-errors";
import { serverCaller } from "@/server/trpc/server-caller";

/** A refusal the checkout translates: the domain's reason, and which product it is about where known. */
export type CheckoutError = { error: string; sku?: string; left?: number };

function refusal(error: unknown): CheckoutError {
  const { error: reason } = actionError(error);
  const details = error instanceof TRPCError && error.cause instanceof AppError ? error.cause.details : undefined;
  const { sku, left } = (details && typeof details === "object" ? details : {}) as { sku?: unknown; left?: unknown };
  return {
    error: reason,
    ...(typeof sku === "string" ? { sku } : {}),
    ...(typeof left === "number" ? { left } : {}),
  };
}

/** The basket re-priced by the server for the signed-in guest, with slots and the points they may use. */
export async function quoteAction(
  tenant: string,
  input: { locationId: string; items: BasketItem[]; offers?: OfferChoice[] },
): Promise<{ quote: CheckoutQuote } | CheckoutError> {
  requireText(tenant);
  try {
    return { quote: await (await serverCaller(tenant)).shop.quote(input) };
  } catch (error) {
    return refusal(error);
  }
}

/** Places the order; the procedure validates and re-checks everything, the key makes a retry safe. */
export async function placeOrderAction(
  tenant: string,
  input: {
    locationId: string;
    items: BasketItem[];
    pickup: string;
    comment?: string;
    pointsToUse: number;
    idempotencyKey: string;
    /** The offers and promo code the guest chose; the server prices them, never the client. */
    offers?: OfferChoice[];
  },
): Promise<{ orderId: string } | CheckoutError> {
  requireText(tenant);
  try {
    const { orderId } = await (await serverCaller(tenant)).shop.place(input);
    return { orderId };
  } catch (error) {
    return refusal(error);
  }
}
