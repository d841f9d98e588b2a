"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import type { MenuCategory } from "@/server/menu/menu";
import { describeChoice, MAX_QUANTITY, priceBasket } from "@/server/menu/pricing";
import { formatMoney } from "@/server/money";
import { removeLine, setQuantity, useCart } from "./cart-store";
import { LineProblemNote } from "./line-problem";
import type { Money } from "./product-card";
import { QuantityStepper } from "./quantity-stepper";

/**
 * The cart: its lines priced from the chosen location's menu as the server sent it (the cart
 * itself stores no prices), quantities to change, lines to remove, and the way to checkout.
 */
export function CartView({
  tenant,
  menu,
  locationName,
  money,
}: {
  tenant: string;
  menu: MenuCategory[];
  locationName: string | null;
  money: Money;
}) {
  const t = useTranslations("shop.cart");
  const lines = useCart(tenant);
  const format = (minor: number) => formatMoney(minor, money.currency, money.locale);
  if (lines === null) return <p className="mt-4">{t("loading")}</p>;
  if (lines.length === 0) {
    return (
      <div className="mt-6 rounded-xl bg-white p-6 text-center shadow-sm">
        <p>{t("empty")}</p>
        <Link href={`/${tenant}`} className="mt-3 inline-block font-semibold underline">
          {t("toMenu")}
        </Link>
      </div>
    );
  }
  const basket = priceBasket(menu, lines);
  return (
    <>
      {locationName ? <p className="mt-2 text-sm text-espresso/80">{t("at", { location: locationName })}</p> : null}
      <ul className="mt-4 flex flex-col gap-3" aria-label={t("lines")}>
        {lines.map((line, index) => {
          const priced = basket.lines[index];
          if (!priced) return null;
          return (
            <li
              key={line.id}
              className={`rounded-xl p-4 shadow-sm ${priced.problem ? "bg-stone-100" : "bg-white"}`}
              data-sku={line.productSku}
            >
              <div className="flex items-start justify-between gap-3">
                <div>
                  <h2 className="font-semibold">{priced.name}</h2>
                  {priced.modifiers.length > 0 || priced.variantName ? (
                    <p className="text-sm text-espresso/80">{describeChoice(priced)}</p>
                  ) : null}
                  {priced.problem ? <LineProblemNote problem={priced.problem} /> : null}
                </div>
                <p className="shrink-0 font-semibold" data-testid="line-amount">
                  {priced.problem === "not_found" ? "—" : format(priced.amount)}
                </p>
              </div>
              <div className="mt-3 flex items-center justify-between gap-3">
                <QuantityStepper
                  label={priced.name}
                  value={line.quantity}
                  min={1}
                  max={MAX_QUANTITY}
                  onChange={(value) => setQuantity(tenant, line.id, value)}
                />
                <button
                  type="button"
                  onClick={() => removeLine(tenant, line.id)}
                  className="min-h-11 rounded-lg px-3 py-2 text-sm font-medium underline hover:bg-espresso/5"
                  aria-label={t("removeLine", { name: priced.name })}
                >
                  {t("remove")}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      <div className="mt-4 rounded-xl bg-white p-4 shadow-sm">
        <p className="flex justify-between text-lg font-semibold">
          <span>{t("total")}</span>
          <span data-testid="cart-total">{format(basket.subtotal)}</span>
        </p>
        {!basket.orderable ? (
          <p className="mt-2 text-sm" role="note">
            {t("fixProblems")}
          </p>
        ) : null}
        <p className="mt-1 text-sm text-espresso/80">{t("pricesNote")}</p>
      </div>
      <Link
        href={`/${tenant}/checkout`}
        className="mt-4 block min-h-12 rounded-xl bg-espresso px-4 py-3 text-center text-lg font-semibold text-crema hover:bg-roast"
      >
        {t("checkout")}
      </Link>
    </>
  );
}
