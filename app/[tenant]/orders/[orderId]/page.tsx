import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { OrderTracker } from "@/components/storefront/order-tracker";
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
  return (
    <main id="main" className="mx-auto max-w-xl px-4 pb-16">
      <h1 className="mt-6 text-2xl font-bold">{t("title")}</h1>
      <OrderTracker tenant={tenant.slug} view={view} money={{ currency: tenant.currency, locale: tenant.locale }} />
    </main>
  );
}
