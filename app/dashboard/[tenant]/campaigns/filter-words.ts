import { getTranslations } from "next-intl/server";
import { GUEST_FILTER_PARAMS } from "@/server/campaigns/manage";

const SEGMENT_KEYS = new Set(["new", "regular", "loyal", "sleeping", "lost", "birthday"]);

/** The guests table's filter as its own labels say it: "Сегмент: Спящие; Визитов от: 3". */
export async function filterInWords(filter: Record<string, string>): Promise<string> {
  const t = await getTranslations("guestsInsight");
  const value = (name: string, given: string) =>
    name === "segment" && SEGMENT_KEYS.has(given) ? t(`segments.${given}` as "segments.all") : given;
  return GUEST_FILTER_PARAMS.filter((name) => filter[name])
    .map((name) => `${t(`filters.${name}`)}: ${value(name, filter[name] ?? "")}`)
    .join("; ");
}
