import { getTranslations } from "next-intl/server";
import type { MenuProduct } from "@/server/menu/menu";
import { fromPrice } from "@/server/menu/pricing";
import { formatMoney } from "@/server/money";
import { productImageProps } from "./images";

export type Money = { currency: string; locale: string };

/**
 * A product on the menu: picture, name, price, description, preparation time; opens the product
 * page to choose options. Its look lives in globals.css (.product-card): a menu has dozens of
 * cards, and every class and wrapper element is repeated in the page's HTML, in its React Server
 * Components payload and in the tree React hydrates on a phone.
 */
export async function ProductCard({
  tenant,
  product,
  categorySlug,
  money,
}: {
  tenant: string;
  product: MenuProduct;
  categorySlug: string;
  money: Money;
}) {
  const t = await getTranslations("shop");
  const lowest = formatMoney(fromPrice(product), money.currency, money.locale);
  const hasOptions = product.modifierGroups.length > 0 || product.variants.length > 1;
  return (
    <article className="product-card" data-sku={product.sku} data-sold-out={product.soldOut || undefined}>
      {/* A plain link (navigated in the app by LinkNavigation, fetched on tap): no component per
          card to hydrate on a phone. */}
      <a href={`/${tenant}/product/${encodeURIComponent(product.sku)}`}>
        {/* A plain img with next/image's srcset for uploaded photos (getImageProps: no client
            component per card); the drawings are tiny SVGs. */}
        {/* biome-ignore lint/performance/noImgElement: see above */}
        <img {...productImageProps(product, categorySlug, { width: 80, sizes: "80px" })} alt="" loading="lazy" />
        <h3>{product.name}</h3>
        <p className="price">{hasOptions ? t("from", { price: lowest }) : lowest}</p>
        {product.description ? <p className="description">{product.description}</p> : null}
        <p className="meta">
          {product.soldOut ? (
            <span className="sold-out">{t("soldOut")}</span>
          ) : (
            t("prepMinutes", { minutes: product.prepMinutes })
          )}
        </p>
      </a>
    </article>
  );
}
