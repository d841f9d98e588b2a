import { getTranslations } from "next-intl/server";
import type { MenuProduct } from "@/server/menu/menu";
import { formatMoney } from "@/server/money";

type Money = { currency: string; locale: string };

export async function ProductCard({ product, money }: { product: MenuProduct; money: Money }) {
  const t = await getTranslations("storefront");
  const price = formatMoney(product.price, money.currency, money.locale);
  const hasOptions = product.modifierGroups.length > 0;
  return (
    <article className="flex h-full flex-col rounded-xl bg-white p-4 shadow-sm" data-sku={product.sku}>
      <div className="flex items-start justify-between gap-3">
        <h3 className="font-semibold">{product.name}</h3>
        <p className="shrink-0 font-semibold">{hasOptions ? t("from", { price }) : price}</p>
      </div>
      {product.description ? <p className="mt-1 text-sm text-espresso/80">{product.description}</p> : null}
      <p className="mt-2 text-xs text-espresso/80">{t("prepMinutes", { minutes: product.prepMinutes })}</p>
      {hasOptions ? (
        <p className="mt-1 text-xs text-espresso/80">
          {t("options")}: {product.modifierGroups.map((group) => group.name).join(", ")}
        </p>
      ) : null}
    </article>
  );
}
