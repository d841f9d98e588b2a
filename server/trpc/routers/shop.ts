import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { type Tx, withTenant } from "@/db/client";
import { loadProgram } from "@/server/loyalty/program";
import { getMenu } from "@/server/menu/menu";
import { orderOfferLines } from "@/server/offers/order-view";
import { checkoutQuote, guestOrders, guestOrderView, publicSlots, type StoreLocation } from "@/server/orders/checkout";
import { pushEndpointAllowed, removePushSubscription, savePushSubscription } from "@/server/orders/guest-notices";
import { placeOrder } from "@/server/orders/place";
import { reorderBasket } from "@/server/orders/reorder";
import { cancelOrderByGuest } from "@/server/orders/transitions";
import { type HoursOf, locationStatus } from "@/server/tenants/hours";
import { listLocations } from "@/server/tenants/locations";
import { findTenantBySlug, type TenantSummary } from "@/server/tenants/queries";
import { storefrontOpenTo } from "@/server/tenants/storefront";
import { type Context, guestProcedure, publicProcedure, router } from "../init";

const slug = z.string().min(1).max(100);
const basket = z
  .array(
    z.object({
      productSku: slug,
      variantSlug: slug.optional(),
      quantity: z.number().int().min(1).max(99),
      modifiers: z
        .array(z.object({ groupSlug: slug, optionSlug: slug, quantity: z.number().int().min(1).max(10).optional() }))
        .max(30)
        .default([]),
    }),
  )
  .min(1)
  .max(50);
/** The offers a guest chose at the checkout: their own personal offers by id, a promo code as typed. */
const offerChoices = z
  .array(z.union([z.object({ offerId: z.uuid() }), z.object({ code: z.string().trim().min(1).max(32) })]))
  .max(10)
  .default([]);

/**
 * Runs public work in one transaction bound to the café the URL names (`ctx.tenantSlug`): RLS then
 * makes every other café's rows invisible, so an id from elsewhere is simply not found.
 */
async function inNamedCafe<T>(ctx: Context, work: (tx: Tx, tenant: TenantSummary) => Promise<T>): Promise<T> {
  const tenant = ctx.tenantSlug ? await findTenantBySlug(ctx.tenantSlug, ctx.db) : null;
  // A storefront not opened yet is a café that does not exist, except to its own staff (a preview).
  if (!tenant || !(await storefrontOpenTo(ctx.db, tenant, ctx.getStaffSession))) {
    throw new TRPCError({ code: "NOT_FOUND", message: "No such café" });
  }
  return withTenant(tenant.id, (tx) => work(tx, tenant), ctx.db);
}

const storeLocation = (location: StoreLocation & HoursOf & { pickupEnabled: boolean }): StoreLocation => ({
  id: location.id,
  name: location.name,
  address: location.address,
  timezone: location.timezone,
  status: locationStatus(location, new Date()),
});

/** The guest storefront: the menu and slots for anyone, the basket, orders and their status for the café's guests. */
export const shopRouter = router({
  /**
   * The café's locations and the menu at one of them, with today's sold-out products marked. An
   * id that is not one of this café's locations (a stale cookie) falls back to the first location.
   */
  menu: publicProcedure
    .input(z.object({ locationId: z.uuid().optional(), locale: z.enum(["ru", "en"]).optional() }))
    .query(({ ctx, input }) =>
      inNamedCafe(ctx, async (tx, tenant) => {
        const locations = (await listLocations(tx)).map(storeLocation);
        const location = locations.find((place) => place.id === input.locationId) ?? locations[0] ?? null;
        // Texts in the guest's language where the café wrote them, its own otherwise.
        const menu = await getMenu(tx, { locationId: location?.id, locale: input.locale });
        return {
          cafe: { name: tenant.name, currency: tenant.currency, locale: tenant.locale },
          locations,
          location,
          menu,
        };
      }),
    ),

  /** The pick-up slots of one of the café's locations for a basket of `prepMinutes` (today by default). */
  slots: publicProcedure
    .input(
      z.object({
        locationId: z.uuid(),
        prepMinutes: z.number().int().min(0).max(600),
        date: z.iso.date().optional(),
      }),
    )
    .query(({ ctx, input }) => inNamedCafe(ctx, (tx) => publicSlots(tx, input))),

  /** The signed-in guest's basket priced from the location's menu, with slots and the points they may use. */
  quote: guestProcedure
    .input(z.object({ locationId: z.uuid(), items: basket, offers: offerChoices }))
    .query(async ({ ctx, input }) =>
      checkoutQuote(ctx.tx, await loadProgram(ctx.tx), { guestId: ctx.guest.id, ...input }),
    ),

  /**
   * Places the pick-up order (re-priced and re-checked by `placeOrder`); the same idempotency key
   * returns the first order instead of placing a second.
   */
  place: guestProcedure
    .input(
      z.object({
        locationId: z.uuid(),
        items: basket,
        pickup: z.union([z.literal("asap"), z.iso.datetime({ offset: true })]),
        comment: z.string().max(500).optional(),
        pointsToUse: z.number().int().min(0).max(1_000_000),
        idempotencyKey: z.string().min(8).max(200),
        offers: offerChoices,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const program = await loadProgram(ctx.tx);
      const { order, replayed } = await placeOrder(ctx.tx, program, {
        ...input,
        tenantId: ctx.tenant.id,
        guestId: ctx.guest.id,
      });
      return { orderId: order.id, replayed };
    }),

  /** One of the guest's own orders with its location; anyone else's order is NOT_FOUND. */
  order: guestProcedure
    .input(z.object({ orderId: z.uuid(), locale: z.enum(["ru", "en"]).optional() }))
    .query(async ({ ctx, input }) => {
      const view = await guestOrderView(ctx.tx, ctx.guest.id, input.orderId);
      // The discounts it took, by offer (after the order proved to be the guest's own).
      return { ...view, offers: await orderOfferLines(ctx.tx, view.order.id, input.locale ?? ctx.tenant.locale) };
    }),

  /** The guest's latest orders at this café. */
  orders: guestProcedure.query(({ ctx }) => guestOrders(ctx.tx, ctx.guest.id)),

  /** "Order again": what of one of the guest's own orders the chosen location sells today, and what not. */
  reorder: guestProcedure
    .input(z.object({ orderId: z.uuid(), locationId: z.uuid().optional(), locale: z.enum(["ru", "en"]).optional() }))
    .query(({ ctx, input }) => reorderBasket(ctx.tx, { guestId: ctx.guest.id, ...input })),

  /** Cancels the guest's own order while the café has not accepted it (CONFLICT afterwards). */
  cancel: guestProcedure
    .input(z.object({ orderId: z.uuid(), reason: z.string().trim().max(500).optional() }))
    .mutation(async ({ ctx, input }) => {
      const program = await loadProgram(ctx.tx);
      const { order } = await cancelOrderByGuest(ctx.tx, program, {
        guestId: ctx.guest.id,
        orderId: input.orderId,
        reason: input.reason,
        ip: ctx.ip,
      });
      return { orderId: order.id, status: order.status };
    }),

  /** Keeps this browser's push subscription, so the guest hears "your order is ready" here. */
  subscribePush: guestProcedure
    .input(
      z.object({
        endpoint: z.url().max(2000),
        keys: z.object({ p256dh: z.string().min(16).max(200), auth: z.string().min(8).max(100) }),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if (!pushEndpointAllowed(input.endpoint)) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "push_endpoint_refused" });
      }
      await savePushSubscription(ctx.tx, { tenantId: ctx.tenant.id, guestId: ctx.guest.id, subscription: input });
      return { subscribed: true };
    }),

  /** Forgets this browser's push subscription (the guest turned notifications off). */
  unsubscribePush: guestProcedure.input(z.object({ endpoint: z.url().max(2000) })).mutation(async ({ ctx, input }) => {
    await removePushSubscription(ctx.tx, { guestId: ctx.guest.id, endpoint: input.endpoint });
    return { subscribed: false };
  }),
});
