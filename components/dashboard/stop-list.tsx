"use client";

import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { setAvailableAction, setSoldOutAction } from "@/app/dashboard/[tenant]/menu/actions";
import { setOptionSoldOutAction } from "@/app/dashboard/[tenant]/menu/editor/actions";
import { formatDay, formatMoney } from "@/server/format";
import type { StopListLocation, StopListProduct } from "@/server/menu/stoplist";
import type { StopListView } from "@/server/trpc/routers/menu";

type Flag = "soldOutToday" | "available";
/** Toggles sent but not yet confirmed, by `${locationId}:${productId}:${flag}`. */
type Pending = Record<string, boolean>;

const keyOf = (locationId: string, productId: string, flag: Flag) => `${locationId}:${productId}:${flag}`;

/**
 * The stop-list: per location and category, one row per product with a checkbox for "sold out
 * today" and, for owners and managers, one for "offered at this location". A tap shows at once
 * and is saved in the background; a refusal puts it back and says why.
 */
export function StopList({
  tenant,
  view,
  currency,
}: {
  tenant: string;
  view: StopListView;
  /** The café's currency; the day and the prices are written the reader's way. */
  currency: string;
}) {
  const t = useTranslations("stoplist");
  const uiLocale = useLocale();
  const router = useRouter();
  const [pending, setPending] = useState<Pending>({});
  const [announcement, setAnnouncement] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [, startTransition] = useTransition();

  function shown(location: StopListLocation, product: StopListProduct, flag: Flag): boolean {
    return pending[keyOf(location.id, product.id, flag)] ?? product[flag];
  }

  function toggle(location: StopListLocation, product: StopListProduct, flag: Flag, value: boolean) {
    const key = keyOf(location.id, product.id, flag);
    setPending((current) => ({ ...current, [key]: value }));
    setError(null);
    startTransition(async () => {
      const input = { locationId: location.id, productId: product.id };
      const result =
        flag === "soldOutToday"
          ? await setSoldOutAction(tenant, { ...input, soldOut: value })
          : await setAvailableAction(tenant, { ...input, available: value });
      if (result.error) {
        setError(t.has(`errors.${result.error}`) ? t(`errors.${result.error}`) : t("errors.generic"));
        router.refresh();
      } else {
        const what = flag === "soldOutToday" ? (value ? "soldOut" : "back") : value ? "offered" : "notOffered";
        setAnnouncement(t(`announce.${what}`, { product: product.name, location: location.name }));
      }
      // The refreshed page carries the stored value from here on.
      setPending((current) => {
        const next = { ...current };
        delete next[key];
        return next;
      });
    });
  }

  if (view.locations.length === 0) return <p className="mt-6">{t("noLocations")}</p>;

  return (
    <div className="mt-6 flex flex-col gap-10">
      <p role="status" aria-live="polite" className="sr-only">
        {announcement}
      </p>
      {error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-red-900">
          {error}
        </p>
      ) : null}
      {view.locations.map((location) => (
        <section key={location.id} aria-labelledby={`stoplist-${location.id}`} className="flex flex-col gap-4">
          <div>
            <h2 id={`stoplist-${location.id}`} className="text-xl font-bold">
              {location.name}
            </h2>
            <p className="text-sm text-espresso/80">
              {t("today", { date: formatDay(location.today, uiLocale, "weekday") })}
            </p>
          </div>
          {location.categories.length === 0 ? <p>{t("empty")}</p> : null}
          {location.categories.map((category) => (
            // Fixed layout and widths: every category's table has its columns in the same places.
            <table key={category.id} className="w-full max-w-3xl table-fixed border-collapse text-left">
              <caption className="py-2 text-left text-lg font-semibold">{category.name}</caption>
              <colgroup>
                <col />
                <col className="w-24 sm:w-32" />
                <col className="w-24 sm:w-32" />
                {view.canManage ? <col className="w-24 sm:w-32" /> : null}
              </colgroup>
              <thead>
                <tr className="border-b border-espresso/20 text-sm text-espresso/80">
                  <th scope="col" className="py-2 pr-4 font-medium">
                    {t("product")}
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    {t("price")}
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    {t("soldOut")}
                  </th>
                  {view.canManage ? (
                    <th scope="col" className="py-2 font-medium">
                      {t("offered")}
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {category.products.map((product) => {
                  const offered = shown(location, product, "available");
                  const soldOut = shown(location, product, "soldOutToday");
                  return (
                    <tr key={product.id} className="border-b border-espresso/10">
                      <th scope="row" className={`py-3 pr-4 font-medium ${soldOut || !offered ? "line-through" : ""}`}>
                        {product.name}
                        {offered ? null : <span className="block text-sm font-normal">{t("notOffered")}</span>}
                      </th>
                      <td className="py-3 pr-4 whitespace-nowrap">{formatMoney(product.price, currency, uiLocale)}</td>
                      <td className="py-3 pr-4">
                        <input
                          type="checkbox"
                          className="size-6 accent-espresso"
                          checked={soldOut}
                          disabled={!offered}
                          aria-label={t("soldOutLabel", { product: product.name, location: location.name })}
                          onChange={(event) => toggle(location, product, "soldOutToday", event.target.checked)}
                        />
                      </td>
                      {view.canManage ? (
                        <td className="py-3">
                          <input
                            type="checkbox"
                            className="size-6 accent-espresso"
                            checked={offered}
                            aria-label={t("offeredLabel", { product: product.name, location: location.name })}
                            onChange={(event) => toggle(location, product, "available", event.target.checked)}
                          />
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ))}
          {view.optionGroups.length > 0 ? (
            <OptionStopList tenant={tenant} location={location} groups={view.optionGroups} />
          ) : null}
        </section>
      ))}
    </div>
  );
}

/** Modifier options sold out today at a location (oat milk ran out): not choosable there until tomorrow. */
function OptionStopList({
  tenant,
  location,
  groups,
}: {
  tenant: string;
  location: StopListLocation;
  groups: StopListView["optionGroups"];
}) {
  const t = useTranslations("stoplist");
  const router = useRouter();
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<string | null>(null);
  const [, startTransition] = useTransition();
  return (
    <fieldset className="max-w-3xl">
      <legend className="py-2 text-lg font-semibold">{t("options")}</legend>
      {error ? (
        <p role="alert" className="text-red-900">
          {error}
        </p>
      ) : null}
      <div className="flex flex-col gap-3">
        {groups.map((group) => (
          <div key={group.id}>
            <p className="font-medium">{group.name}</p>
            <div className="flex flex-wrap gap-x-6">
              {group.options.map((option) => {
                const soldOut = pending[option.id] ?? location.soldOutOptionIds.includes(option.id);
                return (
                  <label
                    key={option.id}
                    className={`flex min-h-11 items-center gap-2 ${soldOut ? "line-through" : ""}`}
                  >
                    <input
                      type="checkbox"
                      className="size-6 accent-espresso"
                      checked={soldOut}
                      aria-label={t("optionSoldOutLabel", { option: option.name, location: location.name })}
                      onChange={(event) => {
                        const value = event.target.checked;
                        setPending((current) => ({ ...current, [option.id]: value }));
                        startTransition(async () => {
                          const result = await setOptionSoldOutAction(tenant, {
                            locationId: location.id,
                            optionId: option.id,
                            soldOut: value,
                          });
                          setError(result.error ? t("errors.generic") : null);
                          router.refresh();
                          setPending((current) => {
                            const next = { ...current };
                            delete next[option.id];
                            return next;
                          });
                        });
                      }}
                    />
                    {option.name}
                  </label>
                );
              })}
            </div>
          </div>
        ))}
      </div>
    </fieldset>
  );
}
