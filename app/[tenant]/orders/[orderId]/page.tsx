import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { OrderAgain } from "@/components/storefront/order-again";
import { OrderTracker } from "@/components/storefront/order-tracker";
import { PushOptIn } from "@/components/storefront/push-opt-in";
import { vapidKeys } from "@/server/env";
import { requireGuestPage } from "@/server/guest-auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ tenant: string; orderId: string }> };

/** The status of one of the guest's orders, updated live; anyone else's order is a 404. */
export default async function OrderPage({ params }: Params) {
  const { tenant: slug, orderId } = await params;
  const { tenant } = await requireGuestPage(slug, `/${slug}/orders/${orderId}`);
  const t = await getTranslations("shop.order");
  const uiLocale = (await getLocale()) === "en" ? "en" : "ru";
  let view: Awaited<ReturnType<Awaited<ReturnType<typeof serverCaller>>["shop"]["order"]>>;
  try {
    view = await (await serverCaller(tenant.slug)).shop.order({ orderId, locale: uiLocale });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
  const push = vapidKeys();
  return (
    <main id="main" className="mx-auto max-w-xl px-4 pb-16">
      <h1 className="mt-6 text-2xl font-bold">{t("title")}</h1>
      <OrderTracker tenant={tenant.slug} view={view} money={{ currency: tenant.currency, locale: uiLocale }} />
      {view.order.status === "picked_up" || view.order.status === "cancelled" ? (
        <div className="mt-4">
          <OrderAgain tenant={tenant.slug} orderId={view.order.id} />
        </div>
      ) : null}
      {/* Worth asking only while the order is still being made, and only where push is configured. */}
      {push && (view.order.status === "new" || view.order.status === "accepted") ? (
        <PushOptIn tenant={tenant.slug} publicKey={push.publicKey} />
      ) : null}
    </main>
  );
}
