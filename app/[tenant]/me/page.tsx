import { getLocale, getTranslations } from "next-intl/server";
import { CabinetNav } from "@/components/cabinet/cabinet-nav";
import { CabinetOffers } from "@/components/cabinet/offer-list";
import { QrCard, type QrCardLabels } from "@/components/cabinet/qr-card";
import { TierProgress } from "@/components/cabinet/tier-progress";
import { qrSvg } from "@/server/cabinet/qr-image";
import { MINOR_PER_POINT } from "@/server/cabinet/summary";
import { formatDate, formatMoney } from "@/server/format";
import { cabinetPage } from "./cabinet-page";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ tenant: string }> };

/** The cabinet's front page: balance, tier, the rotating QR card, personal offers and a survey invitation. */
export default async function CabinetOverviewPage({ params }: Props) {
  const slug = (await params).tenant;
  const { tenant, cabinet } = await cabinetPage(slug, `/${slug}/me`);
  const uiLocale = await getLocale();
  const [summary, survey, personal] = await Promise.all([
    cabinet.summary(),
    cabinet.survey(),
    cabinet.offers({ locale: uiLocale === "en" ? "en" : "ru" }),
  ]);
  const t = await getTranslations("cabinet");
  const money = (minor: number) => formatMoney(minor, summary.currency, uiLocale);
  const date = { format: (at: Date) => formatDate(at, uiLocale, tenant.timezone, "long") };
  const qr = await getTranslations("cabinet.qr");
  // The countdown's number is filled in on the phone, where "{seconds}" stands.
  const qrLabels: QrCardLabels = {
    heading: qr("heading"),
    hint: qr("hint"),
    imageLabel: qr("imageLabel"),
    countdown: qr("countdown", { seconds: "{seconds}" }),
    refresh: qr("refresh"),
    refreshing: qr("refreshing"),
    error: qr("error"),
    cardCode: qr("cardCode"),
    cardCodeHint: qr("cardCodeHint"),
  };
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 pb-16">
      <CabinetNav tenant={tenant.slug} current="overview" />
      <h1 className="mt-4 text-2xl font-bold">{t("overview.title")}</h1>
      <p className="mt-1">
        {summary.name ? t("overview.greeting", { name: summary.name }) : t("overview.greetingAnonymous")}
      </p>
      <p className="mt-2">
        <a href={`/${tenant.slug}/orders`} className="font-semibold underline">
          {(await getTranslations("waysBack"))("myOrders")}
        </a>
      </p>
      <div className="mt-4 grid gap-4 sm:grid-cols-2">
        <div className="flex flex-col gap-4">
          <section aria-labelledby="balance-heading" className="rounded-2xl bg-espresso p-4 text-crema shadow-sm">
            <h2 id="balance-heading" className="text-sm font-semibold uppercase tracking-wide">
              {t("overview.balanceHeading")}
            </h2>
            <p className="mt-1 text-4xl font-bold tabular-nums" data-testid="balance">
              {t("points", { count: summary.balance })}
            </p>
            <p className="mt-1">{t("overview.balanceValue", { money: money(summary.balanceValue) })}</p>
            <p className="mt-1 text-sm">{t("overview.pointRate", { money: money(MINOR_PER_POINT) })}</p>
          </section>
          <TierProgress summary={summary} moneyLocale={uiLocale} />
        </div>
        <QrCard
          tenant={tenant.slug}
          initialSvg={await qrSvg(summary.qr.payload)}
          initialExpiresIn={summary.qr.expiresInSeconds}
          cardCode={summary.cardCode}
          labels={qrLabels}
        />
      </div>
      {survey ? (
        <section aria-labelledby="survey-heading" className="mt-4 rounded-2xl border-2 border-leaf bg-white p-4">
          <h2 id="survey-heading" className="font-semibold">
            {t("overview.surveyHeading")}
          </h2>
          <p className="mt-1">
            {t("overview.surveyInvite", { title: survey.title, points: t("points", { count: survey.bonusPoints }) })}
          </p>
          <a
            href={`/${tenant.slug}/me/survey`}
            className="mt-3 inline-block rounded-lg bg-leaf px-4 py-2 font-semibold text-white"
          >
            {t("overview.surveyLink")}
          </a>
        </section>
      ) : null}
      <section aria-labelledby="offers-heading" className="mt-6">
        <h2 id="offers-heading" className="text-xl font-semibold">
          {t("overview.offersHeading")}
        </h2>
        <CabinetOffers
          usable={personal.usable}
          past={personal.past}
          cardCode={summary.cardCode}
          currency={summary.currency}
          moneyLocale={uiLocale}
          uiLocale={uiLocale}
          timeZone={tenant.timezone}
        />
        {summary.offers.length === 0 ? (
          personal.usable.length === 0 ? (
            <p className="mt-2 text-espresso/80">{t("overview.noOffers")}</p>
          ) : null
        ) : (
          <ul className="mt-3 flex flex-col gap-3">
            {summary.offers.map((offer) =>
              offer.kind === "campaign" ? (
                <li key={`c-${offer.campaignId}`} className="rounded-2xl bg-white p-4 shadow-sm">
                  <h3 className="font-semibold">{offer.subject}</h3>
                  <p className="mt-1 whitespace-pre-line">{offer.body}</p>
                  <p className="mt-2 text-sm text-espresso/80">
                    {t("overview.offerUntil", { date: date.format(offer.offerUntil) })}
                    {offer.bonusPoints > 0
                      ? ` · ${t("overview.offerBonus", { points: t("points", { count: offer.bonusPoints }) })}`
                      : null}
                  </p>
                </li>
              ) : (
                <li key={`u-${offer.sku}-${offer.text}`} className="rounded-2xl bg-white p-4 shadow-sm">
                  <h3 className="text-sm font-semibold uppercase tracking-wide text-espresso/80">
                    {t("overview.upsell")}
                  </h3>
                  <p className="mt-1">{offer.text}</p>
                </li>
              ),
            )}
          </ul>
        )}
      </section>
    </main>
  );
}
