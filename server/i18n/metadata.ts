import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

export type PageTitle = Parameters<Awaited<ReturnType<typeof getTranslations<"meta.titles">>>>[0];

/** A platform page's title in the reader's language (the root layout adds " — Зерно"/" — Zerno"). */
export function titled(key: PageTitle): () => Promise<Metadata> {
  return async () => ({ title: (await getTranslations("meta.titles"))(key) });
}
