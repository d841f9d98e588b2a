import { getLocale, getTranslations } from "next-intl/server";
import { type CartBadgeLabels, CartBadgeLink } from "./cart-badge-link";

const samplesByLocale = new Map<string, Map<Intl.LDMLPluralRule, number>>();

/** The smallest count of each plural category of the locale, to write that form out once. */
function pluralSamples(locale: string): Map<Intl.LDMLPluralRule, number> {
  const known = samplesByLocale.get(locale);
  if (known) return known;
  const rules = new Intl.PluralRules(locale);
  const samples = new Map<Intl.LDMLPluralRule, number>();
  for (let count = 1; count <= 200 && samples.size < rules.resolvedOptions().pluralCategories.length; count++) {
    const category = rules.select(count);
    if (!samples.has(category)) samples.set(category, count);
  }
  samplesByLocale.set(locale, samples);
  return samples;
}

/** The header's cart link, with its label translated here on the server in every plural form. */
export async function CartBadge({ tenant }: { tenant: string }) {
  const t = await getTranslations("shop.cart");
  const locale = await getLocale();
  const forms: CartBadgeLabels["forms"] = {};
  for (const [category, count] of pluralSamples(locale)) {
    forms[category] = t("badge", { count }).replace(String(count), "#");
  }
  return <CartBadgeLink tenant={tenant} labels={{ locale, empty: t("badge", { count: 0 }), forms }} />;
}
