import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { MenuProduct } from "@/server/menu/menu";
import { fromPrice } from "@/server/menu/pricing";
import { formatMoney } from "@/server/money";
import { productImage } from "./images";

export type Money = { currency: string; locale: string };

/** A product on the menu: picture, name, description, price; opens the product page to choose options. */
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
  const hasOptions = product.modifierGroups.length > 0;
  return (
    <article
      className={`h-full rounded-xl shadow-sm ${product.soldOut ? "bg-stone-100 text-espresso/90" : "bg-white"}`}
      data-sku={product.sku}
      data-sold-out={product.soldOut || undefined}
    >
      {/* No prefetch of every visible product as the menu loads (a phone's CPU and data): on tap. */}
      <Link
        href={`/${tenant}/product/${encodeURIComponent(product.sku)}`}
        prefetch={false}
        className="flex h-full gap-3 rounded-xl p-3 hover:bg-espresso/5"
      >
        {/* A plain img: café images may live on any host, and the drawings are tiny SVGs. */}
        {/* biome-ignore lint/performance/noImgElement: see above */}
        <img
          src={productImage(product, categorySlug)}
          alt=""
          width={80}
          height={80}
          loading="lazy"
          decoding="async"
          className={`size-20 shrink-0 rounded-lg object-cover ${product.soldOut ? "opacity-50 grayscale" : ""}`}
        />
        <div className="flex min-w-0 flex-1 flex-col">
          <div className="flex items-start justify-between gap-2">
            <h3 className="font-semibold">{product.name}</h3>
            <p className="shrink-0 font-semibold">{hasOptions ? t("from", { price: lowest }) : lowest}</p>
          </div>
          {product.description ? (
            <p className="mt-1 line-clamp-2 text-sm text-espresso/80">{product.description}</p>
          ) : null}
          <p className="mt-auto pt-1 text-xs text-espresso/80">
            {product.soldOut ? (
              <span className="rounded bg-espresso/10 px-2 py-0.5 font-semibold text-espresso">{t("soldOut")}</span>
            ) : (
              t("prepMinutes", { minutes: product.prepMinutes })
            )}
          </p>
        </div>
      </Link>
    </article>
  );
}
