import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import type { DASHBOARD_SECTIONS } from "./sections";

type SectionKey = (typeof DASHBOARD_SECTIONS)[number]["key"];

/** A back-office page's title: its section's name (the root layout adds "— Зерно"), so tabs and screen readers tell pages apart. */
export function sectionMetadata(section: SectionKey) {
  return async (): Promise<Metadata> => ({ title: (await getTranslations("dashboard.sections"))(section) });
}
