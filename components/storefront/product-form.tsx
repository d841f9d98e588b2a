"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import type { MenuModifierGroup, MenuProduct } from "@/server/menu/menu";
import {
  type ChosenModifier,
  defaultModifiers,
  defaultVariant,
  MAX_OPTION_QUANTITY,
  MAX_QUANTITY,
  priceItem,
  selectionProblem,
} from "@/server/menu/pricing";
import { formatMoney } from "@/server/money";
import { addToCart } from "./cart-store";
import type { Money } from "./product-card";
import { QuantityStepper } from "./quantity-stepper";

/** Where a single-choice group that may be left empty keeps its "none" radio. */
const NONE = "";

/**
 * The product's options and quantity with a live total: a radio group for a single choice,
 * checkboxes (capped at the group's maximum) otherwise, the defaults preselected. Adds the choice
 * to the cart; the price shown comes from the server's menu, the cart stores only the choice.
 */
export function ProductForm({ tenant, product, money }: { tenant: string; product: MenuProduct; money: Money }) {
  const t = useTranslations("shop.product");
  const [chosen, setChosen] = useState<ChosenModifier[]>(() => defaultModifiers(product));
  const [variantSlug, setVariantSlug] = useState<string | undefined>(() => defaultVariant(product)?.slug);
  const [quantity, setQuantity] = useState(1);
  const [added, setAdded] = useState<{ asked: number; count: number } | null>(null);
  const formId = useId();
  const format = (minor: number) => formatMoney(minor, money.currency, money.locale);
  const line = priceItem([{ id: "", slug: "", name: "", products: [product] }], {
    productSku: product.sku,
    variantSlug,
    quantity,
    modifiers: chosen,
  });
  const invalidGroup = selectionProblem(product, chosen);

  const optionsOf = (group: MenuModifierGroup) =>
    chosen.filter((modifier) => modifier.groupSlug === group.slug).map((modifier) => modifier.optionSlug);
  const timesOf = (group: MenuModifierGroup, optionSlug: string) =>
    chosen.find((modifier) => modifier.groupSlug === group.slug && modifier.optionSlug === optionSlug)?.quantity ?? 1;
  /** Sets how many of one option (syrup pumps); 0 removes it. */
  const setTimes = (group: MenuModifierGroup, optionSlug: string, times: number) => {
    setAdded(null);
    setChosen((current) => {
      const others = current.filter((m) => !(m.groupSlug === group.slug && m.optionSlug === optionSlug));
      return times > 0
        ? [...others, { groupSlug: group.slug, optionSlug, ...(times > 1 ? { quantity: times } : {}) }]
        : others;
    });
  };
  const setGroup = (group: MenuModifierGroup, optionSlugs: string[]) => {
    setAdded(null);
    setChosen((current) => [
      ...current.filter((modifier) => modifier.groupSlug !== group.slug),
      ...optionSlugs.map((optionSlug) => ({ groupSlug: group.slug, optionSlug })),
    ]);
  };
  const delta = (priceDelta: number) =>
    priceDelta === 0 ? "" : `${priceDelta > 0 ? "+" : "−"}${format(Math.abs(priceDelta))}`;

  return (
    <form
      className="mt-4 flex flex-col gap-5"
      onSubmit={(event) => {
        event.preventDefault();
        if (product.soldOut || invalidGroup) return;
        // Options in the menu's group order, so equal choices merge into one cart line.
        const ordered = product.modifierGroups.flatMap((group) =>
          group.options
            .filter((option) => optionsOf(group).includes(option.slug))
            .map((option) => {
              const times = timesOf(group, option.slug);
              return { groupSlug: group.slug, optionSlug: option.slug, ...(times > 1 ? { quantity: times } : {}) };
            }),
        );
        setAdded({
          asked: quantity,
          count: addToCart(tenant, {
            productSku: product.sku,
            ...(variantSlug ? { variantSlug } : {}),
            quantity,
            modifiers: ordered,
          }),
        });
        setQuantity(1);
      }}
    >
      {product.variants.length > 0 ? (
        <fieldset className="rounded-xl bg-white p-4 shadow-sm" data-group="size">
          <legend className="float-left w-full font-semibold">{t("size")}</legend>
          <div className="clear-left mt-2 flex flex-col">
            {product.variants.map((variant) => (
              <OptionRow
                key={variant.id}
                type="radio"
                name={`${formId}-size`}
                value={variant.slug}
                label={variant.name}
                price={format(variant.price)}
                checked={variantSlug === variant.slug}
                onChange={() => {
                  setAdded(null);
                  setVariantSlug(variant.slug);
                }}
              />
            ))}
          </div>
        </fieldset>
      ) : null}
      {product.modifierGroups.map((group) => {
        const selected = optionsOf(group);
        const single = group.maxSelect === 1;
        const counted = group.maxPerOption > 1;
        const total = selected.reduce((sum, slug) => sum + timesOf(group, slug), 0);
        const hint =
          group.minSelect === 0
            ? t("optional", { max: group.maxSelect })
            : group.minSelect === group.maxSelect
              ? t("chooseExactly", { count: group.minSelect })
              : t("chooseRange", { min: group.minSelect, max: group.maxSelect });
        const hintId = `${formId}-${group.slug}-hint`;
        return (
          <fieldset
            key={group.id}
            className="rounded-xl bg-white p-4 shadow-sm"
            aria-describedby={hintId}
            data-group={group.slug}
          >
            <legend className="float-left w-full font-semibold">{group.name}</legend>
            <p id={hintId} className="clear-left text-sm text-espresso/80">
              {hint}
            </p>
            <div className="mt-2 flex flex-col">
              {single && group.minSelect === 0 && !group.options.some((option) => option.isDefault) ? (
                <OptionRow
                  type="radio"
                  name={`${formId}-${group.slug}`}
                  label={t("none")}
                  price=""
                  checked={selected.length === 0}
                  onChange={() => setGroup(group, [])}
                  value={NONE}
                />
              ) : null}
              {group.options.map((option) => {
                const checked = selected.includes(option.slug);
                if (counted) {
                  const times = checked ? timesOf(group, option.slug) : 0;
                  const room = group.maxSelect - total;
                  return (
                    <div
                      key={option.id}
                      className="flex min-h-12 items-center justify-between gap-3 border-b border-espresso/10 py-2 last:border-b-0"
                    >
                      <span className={option.soldOut ? "text-espresso/60" : ""}>
                        {option.name}
                        {option.soldOut ? ` — ${t("optionSoldOut")}` : ""}
                        {option.priceDelta !== 0 ? (
                          <span className="ml-2 text-sm">{delta(option.priceDelta)}</span>
                        ) : null}
                      </span>
                      <QuantityStepper
                        label={option.name}
                        value={times}
                        min={0}
                        max={
                          option.soldOut
                            ? times
                            : Math.min(group.maxPerOption, MAX_OPTION_QUANTITY, times + Math.max(0, room))
                        }
                        onChange={(value) => setTimes(group, option.slug, value)}
                      />
                    </div>
                  );
                }
                return (
                  <OptionRow
                    key={option.id}
                    type={single ? "radio" : "checkbox"}
                    name={`${formId}-${group.slug}`}
                    value={option.slug}
                    label={option.soldOut ? `${option.name} — ${t("optionSoldOut")}` : option.name}
                    price={delta(option.priceDelta)}
                    checked={checked}
                    // A full checkbox group greys the rest out rather than silently dropping a choice.
                    disabled={
                      (option.soldOut && !checked) || (!single && !checked && selected.length >= group.maxSelect)
                    }
                    onChange={() =>
                      setGroup(
                        group,
                        single
                          ? [option.slug]
                          : checked
                            ? selected.filter((slug) => slug !== option.slug)
                            : [...selected, option.slug],
                      )
                    }
                  />
                );
              })}
            </div>
          </fieldset>
        );
      })}

      <div className="flex flex-wrap items-center justify-between gap-3 rounded-xl bg-white p-4 shadow-sm">
        <QuantityStepper
          label={t("quantity")}
          value={quantity}
          min={1}
          max={MAX_QUANTITY}
          onChange={(value) => {
            setAdded(null);
            setQuantity(value);
          }}
        />
        <p className="text-lg font-semibold" aria-live="polite" data-testid="product-total">
          {t("total", { price: format(line.amount) })}
        </p>
      </div>

      {product.soldOut ? (
        <p className="rounded-lg bg-espresso/10 px-3 py-2 font-semibold">{t("soldOutToday")}</p>
      ) : null}
      <button
        type="submit"
        disabled={product.soldOut || invalidGroup !== null}
        className="min-h-12 rounded-xl bg-espresso px-4 py-3 text-lg font-semibold text-crema hover:bg-roast disabled:cursor-not-allowed disabled:opacity-60"
      >
        {t("add", { price: format(line.amount) })}
      </button>
      <p role="status" className="text-center">
        {added !== null ? (
          <>
            {added.count === added.asked
              ? t("added", { count: added.count })
              : t("addedUpToMax", { count: added.count, max: MAX_QUANTITY })}{" "}
            <Link href={`/${tenant}/cart`} className="font-semibold underline">
              {t("goToCart")}
            </Link>{" "}
            ·{" "}
            <Link href={`/${tenant}`} className="font-semibold underline">
              {t("continue")}
            </Link>
          </>
        ) : null}
      </p>
    </form>
  );
}

function OptionRow(props: {
  type: "radio" | "checkbox";
  name: string;
  value: string;
  label: string;
  price: string;
  checked: boolean;
  disabled?: boolean;
  onChange: () => void;
}) {
  return (
    <label
      className={`flex min-h-12 items-center gap-3 border-b border-espresso/10 py-2 last:border-b-0 ${props.disabled ? "text-espresso/60" : "cursor-pointer"}`}
    >
      <input
        type={props.type}
        name={props.name}
        value={props.value}
        checked={props.checked}
        disabled={props.disabled}
        onChange={props.onChange}
        className="size-5 accent-espresso"
      />
      <span className="flex-1">{props.label}</span>
      {props.price ? <span className="text-sm">{props.price}</span> : null}
    </label>
  );
}
