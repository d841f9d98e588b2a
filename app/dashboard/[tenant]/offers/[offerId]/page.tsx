import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { GiveOfferForm, OfferForm, OfferStatusControls } from "@/components/dashboard/offer-forms";
import { OfferSummary, offerFormValues, offerValidity } from "@/components/dashboard/offer-summary";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { formatDateTime, formatMoney } from "@/server/format";
import { titleIn } from "@/server/offers/store";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("offers");

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ tenant: string; offerId: string }> };

/** One offer: its figures, who used it, giving it to guests, pausing, archiving and editing it. */
export default async function OfferPage({ params }: Props) {
  const { tenant: slug, offerId } = await params;
  const base = `/dashboard/${slug}/offers`;
  const staff = await requireStaffPage(slug, "offers.manage", `${base}/${offerId}`);
  const t = await getTranslations("offers");
  const locale = await getLocale();
  const caller = await serverCaller(slug);
  let detail: Awaited<ReturnType<typeof caller.offers.detail>>;
  try {
    detail = await caller.offers.detail({ offerId });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
  const choices = await caller.offers.choices();
  const { offer, stats, uses, mail } = detail;
  const { currency, timezone } = staff.tenant;
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const title = titleIn(offer.title, locale);
  const when = { format: (at: Date) => formatDateTime(at, locale, timezone) };
  const productName = (sku: string) => choices.products.find((product) => product.sku === sku)?.name ?? sku;
  const categoryName = (slugOf: string) =>
    choices.categories.find((category) => category.slug === slugOf)?.name ?? slugOf;
  const locationName = (id: string) => choices.locations.find((location) => location.id === id)?.name ?? id;
  const figures = [
    { key: "uses", value: String(stats.uses), testId: "offer-uses" },
    { key: "held", value: String(stats.held) },
    { key: "guests", value: String(stats.guests) },
    { key: "discount", value: money(stats.discount) },
    { key: "revenue", value: money(stats.revenue) },
    { key: "points", value: String(stats.points) },
  ] as const;
  return (
    <>
      <Link href={base} className="underline">
        {t("backToList")}
      </Link>
      <h1 className="mt-2 text-2xl font-bold">{title}</h1>
      <p className="mt-1">
        <OfferSummary offer={offer} currency={currency} moneyLocale={locale} /> ·{" "}
        <span data-testid="offer-status">{t(`statuses.${offer.status}`)}</span>
      </p>
      <p className="text-sm text-espresso/80">{await offerValidity(offer, timezone)}</p>
      <div className="mt-4">
        <OfferStatusControls tenant={slug} offerId={offer.id} status={offer.status} title={title} />
      </div>

      <section aria-labelledby="offer-figures" className="mt-6">
        <h2 id="offer-figures" className="text-xl font-semibold">
          {t("detail.figures")}
        </h2>
        <dl className="mt-2 grid max-w-3xl grid-cols-2 gap-3 sm:grid-cols-3">
          {figures.map((figure) => (
            <div key={figure.key} className="rounded-lg bg-crema p-3">
              <dt className="text-sm">{t(`detail.${figure.key}`)}</dt>
              <dd
                className="text-xl font-semibold tabular-nums"
                data-testid={"testId" in figure ? figure.testId : undefined}
              >
                {figure.value}
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="offer-conditions" className="mt-6">
        <h2 id="offer-conditions" className="text-xl font-semibold">
          {t("detail.conditions")}
        </h2>
        <ul className="mt-2 list-disc pl-6">
          {offer.skus.length === 0 && offer.categories.length === 0 ? <li>{t("detail.wholeCheck")}</li> : null}
          {offer.skus.length > 0 ? <li>{t("detail.skus", { list: offer.skus.map(productName).join(", ") })}</li> : null}
          {offer.categories.length > 0 ? (
            <li>{t("detail.categories", { list: offer.categories.map(categoryName).join(", ") })}</li>
          ) : null}
          {offer.minCheck > 0 ? <li>{t("detail.minCheck", { money: money(offer.minCheck) })}</li> : null}
          {offer.perGuestLimit !== null ? <li>{t("detail.perGuest", { count: offer.perGuestLimit })}</li> : null}
          {offer.totalLimit !== null ? (
            <li>{t("detail.total", { used: offer.usesCount, limit: offer.totalLimit })}</li>
          ) : null}
          <li>
            {offer.locationIds.length === 0
              ? t("detail.allLocations")
              : t("detail.locations", { list: offer.locationIds.map(locationName).join(", ") })}
          </li>
        </ul>
      </section>

      {offer.status !== "archived" ? (
        <section aria-labelledby="offer-give" className="mt-6">
          <h2 id="offer-give" className="text-xl font-semibold">
            {t("give.title")}
          </h2>
          {offer.source === "code" ? (
            <p className="mt-2">{t("give.codeOnly")}</p>
          ) : (
            <>
              <p className="mt-1 max-w-2xl text-espresso/80">{t("give.lead")}</p>
              <div className="mt-3">
                <GiveOfferForm tenant={slug} offerId={offer.id} />
              </div>
              {mail.grants > 0 ? <p className="mt-3 text-sm">{t("detail.mail", mail)}</p> : null}
            </>
          )}
        </section>
      ) : null}

      <section aria-labelledby="offer-uses-title" className="mt-6">
        <h2 id="offer-uses-title" className="text-xl font-semibold">
          {t("detail.usesTitle")}
        </h2>
        {uses.length === 0 ? (
          <p className="mt-2">{t("detail.noUses")}</p>
        ) : (
          <div className="mt-2 overflow-x-auto">
            <table className="w-full min-w-[40rem] text-left">
              <thead>
                <tr className="border-b border-espresso/20 text-sm">
                  <th scope="col" className="py-2 pr-3">
                    {t("detail.when")}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t("detail.guest")}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t("detail.check")}
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    {t("table.status")}
                  </th>
                  <th scope="col" className="py-2 text-right">
                    {t("table.discount")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {uses.map((use) => (
                  <tr key={use.id} className="border-b border-espresso/10" data-testid="offer-use">
                    <td className="py-2 pr-3">{when.format(new Date(use.at))}</td>
                    <td className="py-2 pr-3">{use.guest ? (use.guest.name ?? "—") : t("detail.anonymous")}</td>
                    <td className="py-2 pr-3">
                      {use.receipt
                        ? `${use.receipt.externalId} · ${money(use.receipt.total)}${use.receipt.channel === "online" ? ` (${t("detail.online")})` : ""}`
                        : use.orderId
                          ? t("detail.online")
                          : "—"}
                    </td>
                    <td className="py-2 pr-3">{t(`detail.useStatus.${use.status}`)}</td>
                    <td className="py-2 text-right tabular-nums">
                      {use.points > 0 ? `+${use.points}` : money(use.discount)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {offer.status !== "archived" ? (
        <details className="mt-6">
          <summary className="cursor-pointer text-xl font-semibold">{t("form.editTitle")}</summary>
          <div className="mt-3">
            <OfferForm
              tenant={slug}
              offerId={offer.id}
              initial={offerFormValues(offer, timezone)}
              choices={choices}
              cafeLocale={staff.tenant.locale}
              locked={offer.usesCount > 0 || stats.uses > 0}
            />
          </div>
        </details>
      ) : null}
    </>
  );
}
