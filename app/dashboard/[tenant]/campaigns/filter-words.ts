import { getTranslations } from "next-intl/server";

const LABELS = [
  "q",
  "segment",
  "tier",
  "lastVisitFrom",
  "lastVisitTo",
  "visitsMin",
  "visitsMax",
  "spendMin",
  "spendMax",
  "channel",
  "location",
  "marketing",
] as const;

/** The guests table's filter as its own labels say it: "Сегмент: sleeping; Визитов от: 3". */
export async function filterInWords(filter: Record<string, string>): Promise<string> {
  const t = await getTranslations("guestsInsight.filters");
  return LABELS.filter((name) => filter[name])
    .map((name) => `${t(name)}: ${filter[name]}`)
    .join("; ");
}
