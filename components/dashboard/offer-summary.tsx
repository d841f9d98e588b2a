import { getLocale, getTranslations } from "next-intl/server";
import { formatMoney } from "@/server/money";
import type { OfferRow } from "@/server/offers/types";
import { localDateOf } from "@/server/orders/slots";
import type { OfferFormValues } from "./offer-forms";

/** "Промокод OSEN25 · −25 %", "Личное · в подарок": how an offer reaches guests and what it gives. */
export async function OfferSummary({
  offer,
  currency,
  moneyLocale,
}: {
  offer: Pick<OfferRow, "kind" | "value" | "source" | "code">;
  currency: string;
  moneyLocale: string;
}) {
  const t = await getTranslations("offers");
  const how = offer.code ? `${t("sources.code")} ${offer.code}` : t(`sources.${offer.source}`);
  const what = t(`kindSummary.${offer.kind}`, {
    value: offer.value,
    money: formatMoney(offer.value, currency, moneyLocale),
  });
  return (
    <>
      {how} · {t(`kinds.${offer.kind}`)} {what}
    </>
  );
}

/** "с 1 октября до 30 ноября", in the café's time zone (the last day inclusive, as the owner chose it). */
export async function offerValidity(
  offer: Pick<OfferRow, "validFrom" | "validUntil">,
  timeZone: string,
): Promise<string> {
  const t = await getTranslations("offers");
  const day = new Intl.DateTimeFormat(await getLocale(), { dateStyle: "medium", timeZone });
  // validUntil is the midnight after the last day: the day shown is the one before it.
  const lastDay = offer.validUntil ? new Date(new Date(offer.validUntil).getTime() - 1) : null;
  return [
    t("from", { date: day.format(new Date(offer.validFrom)) }),
    lastDay ? t("until", { date: day.format(lastDay) }) : t("noEnd"),
  ].join(" ");
}

/** An offer as its edit form shows it: money in major units, instants as the café's calendar days. */
export function offerFormValues(offer: OfferRow, timeZone: string): OfferFormValues {
  const major = (minor: number) => String(minor / 100);
  const count = (value: number | null) => (value === null ? "" : String(value));
  return {
    kind: offer.kind,
    value: offer.kind === "amount_off" ? major(offer.value) : String(offer.value),
    skus: offer.skus,
    requiredSkus: offer.requiredSkus,
    categories: offer.categories,
    title: offer.title,
    description: offer.description,
    validFrom: localDateOf(new Date(offer.validFrom), timeZone),
    // Stored as the midnight after the last day.
    validUntil: offer.validUntil ? localDateOf(new Date(new Date(offer.validUntil).getTime() - 1), timeZone) : "",
    minCheck: major(offer.minCheck),
    perGuestLimit: count(offer.perGuestLimit),
    totalLimit: count(offer.totalLimit),
    locationIds: offer.locationIds,
    source: offer.source === "campaign" ? "personal" : offer.source,
    code: offer.code ?? "",
    grantDays: count(offer.grantDays),
  };
}
