import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { OrderAgain } from "@/components/storefront/order-again";
import { formatDateTime, formatMoney } from "@/server/format";
import { requireGuestPage } from "@/server/guest-auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const dynamic = "force-dynamic";

/** The signed-in guest's recent orders at this café, newest first. */
export default async function MyOrdersPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const { tenant } = await requireGuestPage(slug, `/${slug}/orders`);
  const t = await getTranslations("shop.order");
  const locale = await getLocale();
  const orders = await (await serverCaller(tenant.slug)).shop.orders();
  return (
    <main id="main" className="mx-auto max-w-xl px-4 pb-16">
      <h1 className="mt-6 text-2xl font-bold">{t("listTitle")}</h1>
      {orders.length === 0 ? (
        <p className="mt-4">
          {t("listEmpty")}{" "}
          <Link href={`/${tenant.slug}`} className="underline">
            {t("toMenu")}
          </Link>
        </p>
      ) : (
        <ul className="mt-4 flex flex-col gap-3">
          {orders.map((order) => (
            <li key={order.id}>
              <Link
                href={`/${tenant.slug}/orders/${order.id}`}
                className="flex items-center justify-between gap-3 rounded-xl bg-white p-4 shadow-sm hover:bg-espresso/5"
              >
                <span>
                  <span className="block font-semibold">
                    {t("listItem", { code: order.pickupCode, count: order.itemCount })}
                  </span>
                  <span className="block text-sm text-espresso/80">
                    {formatDateTime(order.pickupAt, locale, order.location.timezone, { style: "short" })}
                    {" · "}
                    {order.location.name}
                  </span>
                </span>
                <span className="shrink-0 text-right">
                  <span className="block">{t(`status.${order.status}`)}</span>
                  <span className="block font-semibold">{formatMoney(order.toPay, tenant.currency, locale)}</span>
                </span>
              </Link>
              <div className="mt-2">
                <OrderAgain tenant={tenant.slug} orderId={order.id} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
