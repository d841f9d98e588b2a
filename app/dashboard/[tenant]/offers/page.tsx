import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { OfferSummary, offerValidity } from "@/components/dashboard/offer-summary";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { formatMoney } from "@/server/money";
import { titleIn } from "@/server/offers/store";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("offers");

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<{ archived?: string }> };

/** The café's offers and promo codes with their figures (owners and managers). */
export default async function OffersPage({ params, searchParams }: Props) {
  const slug = (await params).tenant;
  const base = `/dashboard/${slug}/offers`;
  const staff = await requireStaffPage(slug, "offers.manage", base);
  const archived = (await searchParams).archived === "1";
  const t = await getTranslations("offers");
  const locale = await getLocale();
  const { offers } = await (await serverCaller(slug)).offers.list({ archived });
  const money = (minor: number) => formatMoney(minor, staff.tenant.currency, locale);
  const validity = await Promise.all(offers.map((offer) => offerValidity(offer, staff.tenant.timezone)));
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-2 max-w-3xl">{t("lead")}</p>
      <div className="mt-4 flex flex-wrap items-center gap-4">
        <Link href={`${base}/new`} className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema hover:bg-roast">
          {t("new")}
        </Link>
        <Link href={archived ? base : `${base}?archived=1`} className="underline">
          {archived ? t("showActive") : t("showArchived")}
        </Link>
      </div>
      {offers.length === 0 ? (
        <p className="mt-6">{t("empty")}</p>
      ) : (
        <div className="mt-6 overflow-x-auto">
          <table className="w-full min-w-[48rem] text-left">
            <caption className="sr-only">{t("table.caption")}</caption>
            <thead>
              <tr className="border-b border-espresso/20 text-sm">
                <th scope="col" className="py-2 pr-3">
                  {t("table.title")}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t("table.status")}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t("table.validity")}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t("table.uses")}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t("table.guests")}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t("table.discount")}
                </th>
                <th scope="col" className="py-2 text-right">
                  {t("table.revenue")}
                </th>
              </tr>
            </thead>
            <tbody>
              {offers.map((offer, index) => (
                <tr key={offer.id} className="border-b border-espresso/10 align-top" data-offer={offer.id}>
                  <td className="py-2 pr-3">
                    <Link href={`${base}/${offer.id}`} className="font-semibold underline">
                      {titleIn(offer.title, locale)}
                    </Link>
                    <p className="text-sm text-espresso/80">
                      <OfferSummary offer={offer} currency={staff.tenant.currency} moneyLocale={locale} />
                    </p>
                  </td>
                  <td className="py-2 pr-3">{t(`statuses.${offer.status}`)}</td>
                  <td className="py-2 pr-3 text-sm">{validity[index]}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{offer.stats.uses}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{offer.stats.guests}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{money(offer.stats.discount)}</td>
                  <td className="py-2 text-right tabular-nums">{money(offer.stats.revenue)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
