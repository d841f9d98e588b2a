import { getTranslations } from "next-intl/server";
import { qrSvg } from "@/server/cabinet/qr-image";
import { formatDate, formatMoney } from "@/server/format";

/** A personal offer or a promo code as the cabinet shows it (guestOffersFor's items). */
export type CabinetOfferItem = {
  id: string;
  code?: string;
  title: string;
  description: string;
  minCheck: number;
  validUntil: string | null;
  usedAt: string | null;
  status: "usable" | "used" | "expired" | "ended";
};

/**
 * The guest's usable offers, each with a code to show at the counter: a promo code's own code,
 * otherwise the printed card number (the till finds the guest by it and lists their offers), as
 * a QR code and as text; and the past ones, with what became of them.
 */
export async function CabinetOffers({
  usable,
  past,
  cardCode,
  currency,
  moneyLocale,
  uiLocale,
  timeZone,
}: {
  usable: CabinetOfferItem[];
  past: CabinetOfferItem[];
  cardCode: string;
  currency: string;
  moneyLocale: string;
  uiLocale: string;
  timeZone: string;
}) {
  const t = await getTranslations("offers.cabinet");
  const day = { format: (at: Date) => formatDate(at, uiLocale, timeZone, "long") };
  const cards = await Promise.all(usable.map(async (offer) => ({ offer, svg: await qrSvg(offer.code ?? cardCode) })));
  return (
    <>
      {cards.length > 0 ? (
        <ul className="mt-3 flex flex-col gap-3" aria-label={t("heading")}>
          {cards.map(({ offer, svg }) => (
            <li
              key={offer.id}
              className="rounded-2xl border-2 border-leaf bg-white p-4 shadow-sm"
              data-offer={offer.id}
            >
              <h3 className="text-lg font-semibold">{offer.title}</h3>
              {offer.description ? <p className="mt-1 whitespace-pre-line">{offer.description}</p> : null}
              <p className="mt-2 text-sm text-espresso/80">
                {offer.validUntil ? t("until", { date: day.format(new Date(offer.validUntil)) }) : t("noEnd")}
                {offer.minCheck > 0
                  ? ` · ${t("minCheck", { money: formatMoney(offer.minCheck, currency, moneyLocale) })}`
                  : null}
              </p>
              <details className="mt-3">
                <summary className="cursor-pointer font-medium">{t("showAtCounter")}</summary>
                <div className="mt-2 flex flex-wrap items-center gap-4">
                  <div
                    role="img"
                    aria-label={t("qrLabel", { title: offer.title })}
                    className="aspect-square w-40"
                    // Made on the server by the qrcode package from the code or card number (no guest text).
                    // biome-ignore lint/security/noDangerouslySetInnerHtml: trusted, server-generated SVG
                    dangerouslySetInnerHTML={{ __html: svg }}
                  />
                  <dl>
                    <dt className="text-sm text-espresso/80">{offer.code ? t("codeLabel") : t("cardLabel")}</dt>
                    <dd className="font-mono text-2xl font-semibold tracking-widest">
                      {offer.code ?? cardCode.replace(/(\d{3})(?=\d)/g, "$1 ")}
                    </dd>
                  </dl>
                </div>
              </details>
            </li>
          ))}
        </ul>
      ) : null}
      {past.length > 0 ? (
        <section aria-labelledby="past-offers-heading" className="mt-4">
          <h3 id="past-offers-heading" className="font-semibold">
            {t("past")}
          </h3>
          <ul className="mt-2 flex flex-col gap-1">
            {past.map((offer) => (
              <li
                key={`${offer.id}-${offer.usedAt ?? offer.status}`}
                className="flex flex-wrap justify-between gap-2 text-espresso/80"
              >
                <span>{offer.title}</span>
                <span className="text-sm">
                  {offer.status === "used" && offer.usedAt
                    ? t("pastStatus.used", { date: day.format(new Date(offer.usedAt)) })
                    : t(offer.status === "expired" ? "pastStatus.expired" : "pastStatus.ended")}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
