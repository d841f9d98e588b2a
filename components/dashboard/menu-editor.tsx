"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useState, useTransition } from "react";
import {
  deleteProductAction,
  type MenuActionResult,
  moveCategoryAction,
  removeProductPhotoAction,
  saveCategoryAction,
  saveModifierGroupAction,
  saveProductAction,
  setCategoryArchivedAction,
  setLocationPriceAction,
  setModifierGroupArchivedAction,
  setProductArchivedAction,
} from "@/app/dashboard/[tenant]/menu/editor/actions";
import type { EditorCategory, EditorGroup, EditorProduct, EditorView } from "@/server/menu/editor";
import { decimalMoney, formatMoney } from "@/server/money";
import { photoUrl } from "@/server/storage/photo-urls";

type Money = { currency: string; locale: string };
type Editing = { kind: "product"; id?: string; categoryId: string } | { kind: "group"; id?: string } | null;

const VAT_RATES = [0, 5, 7, 10, 20, 22];
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/** "250" or "250,50" as minor units; null when it is not a price. */
function toMinor(text: string): number | null {
  const cleaned = text.replace(/[\s\u00a0]/g, "").replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}
/** Minor units as an input's text: "250" or "250.5". */
const fromMinor = (minor: number) =>
  decimalMoney(minor)
    .replace(/\.00$/, "")
    .replace(/(\.\d)0$/, "$1");

/** The words for an editor refusal, and whether it is about `field`. */
function useRefusal() {
  const t = useTranslations("menuEditor.errors");
  return (result: MenuActionResult | null) => {
    if (!result?.error) return null;
    const code = result.error.startsWith("field_") ? "invalid_request" : result.error;
    return t.has(code) ? t(code) : t("generic");
  };
}

/**
 * The menu editor (owners, managers): categories in order (up/down buttons, keyboard first),
 * their items with sizes, photo, modifier groups and per-location prices, and the modifier
 * groups. Each save goes through a server action to the menu procedures and refreshes the page.
 */
export function MenuEditor({ tenant, view, money }: { tenant: string; view: EditorView; money: Money }) {
  const t = useTranslations("menuEditor");
  const router = useRouter();
  const [editing, setEditing] = useState<Editing>(null);
  // A new item's form reopens as the saved item's (with its photo and prices): it says "saved" there.
  const [justSaved, setJustSaved] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [pending, startTransition] = useTransition();
  const refusal = useRefusal();
  const [error, setError] = useState<string | null>(null);

  function act(work: () => Promise<MenuActionResult>, done?: (result: MenuActionResult) => void) {
    setError(null);
    startTransition(async () => {
      const result = await work();
      if (result.error) setError(refusal(result));
      else {
        done?.(result);
        router.refresh();
      }
    });
  }

  const live = view.categories.filter((category) => !category.archived);
  return (
    <div className="mt-6 flex flex-col gap-8">
      <p role="status" aria-live="polite" className="sr-only">
        {announcement}
      </p>
      {error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 font-medium text-red-800">
          {error}
        </p>
      ) : null}

      <section aria-labelledby="categories-heading">
        <h2 id="categories-heading" className="text-xl font-semibold">
          {t("categories")}
        </h2>
        {view.categories.length === 0 ? <p className="mt-2">{t("noCategories")}</p> : null}
        <ol className="mt-3 flex flex-col gap-4">
          {view.categories.map((category) => (
            <li key={category.id} className="rounded-xl bg-white p-4 shadow-sm" data-category={category.name}>
              <CategoryRow
                tenant={tenant}
                category={category}
                first={live[0]?.id === category.id}
                last={live.at(-1)?.id === category.id}
                pending={pending}
                onMove={(direction) =>
                  act(
                    () => moveCategoryAction(tenant, { id: category.id, direction }),
                    () => setAnnouncement(t(direction === "up" ? "moveUp" : "moveDown", { name: category.name })),
                  )
                }
                onArchive={(archived) => act(() => setCategoryArchivedAction(tenant, { id: category.id, archived }))}
              />
              <ul className="mt-3 flex flex-col divide-y divide-espresso/10">
                {category.products.map((product) => (
                  <li key={product.id} className="py-2">
                    <div className="flex flex-wrap items-center justify-between gap-2">
                      <span className={product.archived ? "text-espresso/60" : ""}>
                        <span className="font-medium">{product.name}</span>{" "}
                        <code className="text-sm">{product.sku}</code> ·{" "}
                        {product.variants.length > 0
                          ? product.variants
                              .map((v) => `${v.name} ${formatMoney(v.price, money.currency, money.locale)}`)
                              .join(" · ")
                          : formatMoney(product.price, money.currency, money.locale)}
                        {product.archived ? ` (${t("archived")})` : ""}
                      </span>
                      <span className="flex gap-3">
                        <button
                          type="button"
                          className="underline"
                          aria-expanded={editing?.kind === "product" && editing.id === product.id}
                          onClick={() =>
                            setEditing(
                              editing?.kind === "product" && editing.id === product.id
                                ? null
                                : { kind: "product", id: product.id, categoryId: category.id },
                            )
                          }
                        >
                          {t("editProduct")} <span className="sr-only">{product.name}</span>
                        </button>
                        <button
                          type="button"
                          className="underline"
                          disabled={pending}
                          onClick={() =>
                            act(() => setProductArchivedAction(tenant, { id: product.id, archived: !product.archived }))
                          }
                        >
                          {product.archived ? t("restore") : t("archive")}{" "}
                          <span className="sr-only">{product.name}</span>
                        </button>
                        <button
                          type="button"
                          className="text-red-800 underline"
                          disabled={pending}
                          onClick={() => act(() => deleteProductAction(tenant, { id: product.id }))}
                        >
                          {t("deleteProduct")} <span className="sr-only">{product.name}</span>
                        </button>
                      </span>
                    </div>
                    {editing?.kind === "product" && editing.id === product.id ? (
                      <ProductForm
                        key={product.id}
                        tenant={tenant}
                        view={view}
                        product={product}
                        categoryId={category.id}
                        money={money}
                        justSaved={justSaved === product.id}
                        onSaved={(id) => setEditing({ kind: "product", id, categoryId: category.id })}
                        onClose={() => setEditing(null)}
                      />
                    ) : null}
                  </li>
                ))}
              </ul>
              {editing?.kind === "product" && !editing.id && editing.categoryId === category.id ? (
                <ProductForm
                  tenant={tenant}
                  view={view}
                  product={null}
                  categoryId={category.id}
                  money={money}
                  justSaved={false}
                  onSaved={(id) => {
                    setJustSaved(id);
                    setEditing({ kind: "product", id, categoryId: category.id });
                  }}
                  onClose={() => setEditing(null)}
                />
              ) : (
                <button
                  type="button"
                  className="mt-2 rounded-lg border border-espresso/40 px-3 py-2"
                  onClick={() => setEditing({ kind: "product", categoryId: category.id })}
                >
                  {t("addProduct", { category: category.name })}
                </button>
              )}
            </li>
          ))}
        </ol>
        <NewCategoryForm tenant={tenant} />
      </section>

      <section aria-labelledby="groups-heading">
        <h2 id="groups-heading" className="text-xl font-semibold">
          {t("groups")}
        </h2>
        <ul className="mt-3 flex flex-col gap-2">
          {view.groups.map((group) => (
            <li key={group.id} className="rounded-xl bg-white p-4 shadow-sm">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className={group.archived ? "text-espresso/60" : ""}>
                  <span className="font-medium">{group.name}</span>{" "}
                  {t("groupRule", { min: group.minSelect, max: group.maxSelect, per: group.maxPerOption })} ·{" "}
                  {group.options.map((option) => option.name).join(", ")}
                  {group.archived ? ` (${t("archived")})` : ""}
                </span>
                <span className="flex gap-3">
                  <button
                    type="button"
                    className="underline"
                    aria-expanded={editing?.kind === "group" && editing.id === group.id}
                    onClick={() =>
                      setEditing(
                        editing?.kind === "group" && editing.id === group.id ? null : { kind: "group", id: group.id },
                      )
                    }
                  >
                    {t("editGroup")} <span className="sr-only">{group.name}</span>
                  </button>
                  <button
                    type="button"
                    className="underline"
                    disabled={pending}
                    onClick={() =>
                      act(() => setModifierGroupArchivedAction(tenant, { id: group.id, archived: !group.archived }))
                    }
                  >
                    {group.archived ? t("restore") : t("archive")} <span className="sr-only">{group.name}</span>
                  </button>
                </span>
              </div>
              {editing?.kind === "group" && editing.id === group.id ? (
                <GroupForm
                  key={group.id}
                  tenant={tenant}
                  group={group}
                  money={money}
                  onClose={() => setEditing(null)}
                />
              ) : null}
            </li>
          ))}
        </ul>
        {editing?.kind === "group" && !editing.id ? (
          <GroupForm tenant={tenant} group={null} money={money} onClose={() => setEditing(null)} />
        ) : (
          <button
            type="button"
            className="mt-3 rounded-lg border border-espresso/40 px-3 py-2"
            onClick={() => setEditing({ kind: "group" })}
          >
            {t("newGroup")}
          </button>
        )}
      </section>
    </div>
  );
}

function CategoryRow({
  tenant,
  category,
  first,
  last,
  pending,
  onMove,
  onArchive,
}: {
  tenant: string;
  category: EditorCategory;
  first: boolean;
  last: boolean;
  pending: boolean;
  onMove: (direction: "up" | "down") => void;
  onArchive: (archived: boolean) => void;
}) {
  const t = useTranslations("menuEditor");
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState(category.name);
  const [nameEn, setNameEn] = useState(category.translations.en?.name ?? "");
  const [result, setResult] = useState<MenuActionResult | null>(null);
  const [saving, startSaving] = useTransition();
  const refusal = useRefusal();
  return (
    <div className="flex flex-wrap items-end gap-3">
      <h3 className="sr-only">{category.name}</h3>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          startSaving(async () => {
            const answer = await saveCategoryAction(tenant, {
              id: category.id,
              name,
              translations: { en: { name: nameEn } },
            });
            setResult(answer);
            if (!answer.error) router.refresh();
          });
        }}
      >
        <label className="flex flex-col text-sm" htmlFor={`${id}-name`}>
          {t("categoryName")}
          <input
            id={`${id}-name`}
            value={name}
            onChange={(event) => setName(event.target.value)}
            className="rounded-lg border border-espresso/40 bg-white px-3 py-2 text-base"
          />
        </label>
        <label className="flex flex-col text-sm" htmlFor={`${id}-en`}>
          {t("nameEn")}
          <input
            id={`${id}-en`}
            value={nameEn}
            onChange={(event) => setNameEn(event.target.value)}
            className="rounded-lg border border-espresso/40 bg-white px-3 py-2 text-base"
          />
        </label>
        <button type="submit" disabled={saving} className="rounded-lg border border-espresso/40 px-3 py-2">
          {t("rename")}
        </button>
        {result?.error ? <span className="text-sm text-red-800">{refusal(result)}</span> : null}
      </form>
      {category.archived ? (
        <span className="text-espresso/70">({t("archived")})</span>
      ) : (
        <span className="flex gap-1">
          <button
            type="button"
            onClick={() => onMove("up")}
            disabled={pending || first}
            aria-label={t("moveUp", { name: category.name })}
            className="min-h-11 min-w-11 rounded-lg border border-espresso/40 disabled:opacity-40"
          >
            ↑
          </button>
          <button
            type="button"
            onClick={() => onMove("down")}
            disabled={pending || last}
            aria-label={t("moveDown", { name: category.name })}
            className="min-h-11 min-w-11 rounded-lg border border-espresso/40 disabled:opacity-40"
          >
            ↓
          </button>
        </span>
      )}
      <button type="button" className="underline" disabled={pending} onClick={() => onArchive(!category.archived)}>
        {category.archived ? t("restore") : t("archive")} <span className="sr-only">{category.name}</span>
      </button>
    </div>
  );
}

function NewCategoryForm({ tenant }: { tenant: string }) {
  const t = useTranslations("menuEditor");
  const router = useRouter();
  const [name, setName] = useState("");
  const [nameEn, setNameEn] = useState("");
  const [result, setResult] = useState<MenuActionResult | null>(null);
  const [saving, startSaving] = useTransition();
  const refusal = useRefusal();
  return (
    <form
      className="mt-4 flex flex-wrap items-end gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        startSaving(async () => {
          const answer = await saveCategoryAction(tenant, { name, translations: { en: { name: nameEn } } });
          setResult(answer);
          if (!answer.error) {
            setName("");
            setNameEn("");
            router.refresh();
          }
        });
      }}
    >
      <label className="flex flex-col" htmlFor="new-category-name">
        {t("newCategory")}
        <input
          id="new-category-name"
          value={name}
          required
          onChange={(event) => setName(event.target.value)}
          className="rounded-lg border border-espresso/40 bg-white px-3 py-2"
        />
      </label>
      <label className="flex flex-col" htmlFor="new-category-en">
        {t("nameEn")}
        <input
          id="new-category-en"
          value={nameEn}
          onChange={(event) => setNameEn(event.target.value)}
          className="rounded-lg border border-espresso/40 bg-white px-3 py-2"
        />
      </label>
      <button type="submit" disabled={saving} className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema">
        {saving ? t("saving") : t("addCategory")}
      </button>
      {result?.error ? (
        <p role="alert" className="w-full text-sm text-red-800">
          {refusal(result)}
        </p>
      ) : null}
    </form>
  );
}

type SizeRow = { key: string; id?: string; name: string; price: string; sku: string };

function ProductForm({
  tenant,
  view,
  product,
  categoryId,
  money,
  justSaved,
  onSaved,
  onClose,
}: {
  tenant: string;
  view: EditorView;
  product: EditorProduct | null;
  categoryId: string;
  money: Money;
  justSaved: boolean;
  onSaved: (id: string) => void;
  onClose: () => void;
}) {
  const t = useTranslations("menuEditor");
  const router = useRouter();
  const id = useId();
  const refusal = useRefusal();
  const [name, setName] = useState(product?.name ?? "");
  const [nameEn, setNameEn] = useState(product?.translations.en?.name ?? "");
  const [description, setDescription] = useState(product?.description ?? "");
  const [descriptionEn, setDescriptionEn] = useState(product?.translations.en?.description ?? "");
  const [sku, setSku] = useState(product?.sku ?? "");
  const [price, setPrice] = useState(product ? fromMinor(product.price) : "");
  const [prepMinutes, setPrepMinutes] = useState(String(product?.prepMinutes ?? 3));
  const [vatRate, setVatRate] = useState(product?.vatRate === null || !product ? "" : String(product.vatRate));
  const [category, setCategory] = useState(product?.categoryId ?? categoryId);
  const [sizes, setSizes] = useState<SizeRow[]>(
    () =>
      product?.variants.map((variant) => ({
        key: variant.id,
        id: variant.id,
        name: variant.name,
        price: fromMinor(variant.price),
        sku: variant.sku ?? "",
      })) ?? [],
  );
  const [groupIds, setGroupIds] = useState<string[]>(product?.groupIds ?? []);
  const [result, setResult] = useState<MenuActionResult | null>(null);
  const [saving, startSaving] = useTransition();
  const invalid = (field: string) => (result?.field === field ? true : undefined);

  const save = () => {
    const base = toMinor(price || (sizes[0]?.price ?? ""));
    if (base === null) return setResult({ error: "price_invalid", field: "price" });
    const variants: { id?: string; name: string; price: number; sku: string | null }[] = [];
    for (const [index, size] of sizes.entries()) {
      const sizePrice = toMinor(size.price);
      if (sizePrice === null) return setResult({ error: "price_invalid", field: `variants.${index}.price` });
      variants.push({ id: size.id, name: size.name, price: sizePrice, sku: size.sku.trim() || null });
    }
    startSaving(async () => {
      const answer = await saveProductAction(tenant, {
        id: product?.id,
        categoryId: category,
        sku,
        name,
        translations: { en: { name: nameEn, description: descriptionEn } },
        description,
        price: base,
        prepMinutes: Number.parseInt(prepMinutes, 10) || 0,
        vatRate: vatRate === "" ? null : Number(vatRate),
        variants,
        groupIds,
      });
      setResult(answer);
      if (!answer.error && answer.id) {
        onSaved(answer.id);
        router.refresh();
      }
    });
  };

  const input = "rounded-lg border border-espresso/40 bg-white px-3 py-2 aria-invalid:border-red-700";
  return (
    <div className="mt-3 flex flex-col gap-4 rounded-lg border border-espresso/20 p-4" data-testid="product-form">
      <form
        className="flex flex-col gap-3"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <div className="grid gap-3 sm:grid-cols-2">
          <label className="flex flex-col" htmlFor={`${id}-name`}>
            {t("productName")}
            <input
              id={`${id}-name`}
              className={input}
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={invalid("name")}
            />
          </label>
          <label className="flex flex-col" htmlFor={`${id}-name-en`}>
            {t("nameEn")}
            <input id={`${id}-name-en`} className={input} value={nameEn} onChange={(e) => setNameEn(e.target.value)} />
          </label>
          <label className="flex flex-col" htmlFor={`${id}-description`}>
            {t("description")}
            <textarea
              id={`${id}-description`}
              className={input}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              rows={2}
            />
          </label>
          <label className="flex flex-col" htmlFor={`${id}-description-en`}>
            {t("descriptionEn")}
            <textarea
              id={`${id}-description-en`}
              className={input}
              value={descriptionEn}
              onChange={(e) => setDescriptionEn(e.target.value)}
              rows={2}
            />
          </label>
          <label className="flex flex-col" htmlFor={`${id}-sku`}>
            {t("sku")}
            <input
              id={`${id}-sku`}
              className={input}
              value={sku}
              onChange={(e) => setSku(e.target.value)}
              aria-invalid={invalid("sku")}
              aria-describedby={`${id}-sku-hint`}
            />
            <span id={`${id}-sku-hint`} className="text-sm text-espresso/80">
              {t("skuHint")}
            </span>
          </label>
          <label className="flex flex-col" htmlFor={`${id}-price`}>
            {t("price", { currency: money.currency })}
            <input
              id={`${id}-price`}
              className={input}
              inputMode="decimal"
              value={price}
              onChange={(e) => setPrice(e.target.value)}
              aria-invalid={invalid("price")}
            />
          </label>
          <label className="flex flex-col" htmlFor={`${id}-prep`}>
            {t("prepMinutes")}
            <input
              id={`${id}-prep`}
              className={input}
              inputMode="numeric"
              value={prepMinutes}
              onChange={(e) => setPrepMinutes(e.target.value)}
              aria-invalid={invalid("prepMinutes")}
            />
          </label>
          <label className="flex flex-col" htmlFor={`${id}-vat`}>
            {t("vatRate")}
            <select id={`${id}-vat`} className={input} value={vatRate} onChange={(e) => setVatRate(e.target.value)}>
              <option value="">{t("vatNone")}</option>
              {VAT_RATES.map((rate) => (
                <option key={rate} value={String(rate)}>
                  {rate} %
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col" htmlFor={`${id}-category`}>
            {t("category")}
            <select
              id={`${id}-category`}
              className={input}
              value={category}
              onChange={(e) => setCategory(e.target.value)}
            >
              {view.categories.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.name}
                </option>
              ))}
            </select>
          </label>
        </div>

        <fieldset className="flex flex-col gap-2">
          <legend className="font-semibold">{t("sizes")}</legend>
          <p className="text-sm text-espresso/80">{t("sizesHint")}</p>
          {sizes.map((size, index) => (
            <div key={size.key} className="flex flex-wrap items-end gap-2" data-testid="size-row">
              <label className="flex flex-col text-sm" htmlFor={`${id}-size-${size.key}`}>
                {t("sizeName")} {index + 1}
                <input
                  id={`${id}-size-${size.key}`}
                  className={input}
                  value={size.name}
                  aria-invalid={invalid(`variants.${index}.name`)}
                  onChange={(e) =>
                    setSizes(sizes.map((row) => (row.key === size.key ? { ...row, name: e.target.value } : row)))
                  }
                />
              </label>
              <label className="flex flex-col text-sm" htmlFor={`${id}-size-price-${size.key}`}>
                {t("sizePrice", { currency: money.currency })} {index + 1}
                <input
                  id={`${id}-size-price-${size.key}`}
                  className={input}
                  inputMode="decimal"
                  value={size.price}
                  aria-invalid={invalid(`variants.${index}.price`)}
                  onChange={(e) =>
                    setSizes(sizes.map((row) => (row.key === size.key ? { ...row, price: e.target.value } : row)))
                  }
                />
              </label>
              <label className="flex flex-col text-sm" htmlFor={`${id}-size-sku-${size.key}`}>
                {t("sizeSku")} {index + 1}
                <input
                  id={`${id}-size-sku-${size.key}`}
                  className={input}
                  value={size.sku}
                  aria-invalid={invalid(`variants.${index}.sku`)}
                  onChange={(e) =>
                    setSizes(sizes.map((row) => (row.key === size.key ? { ...row, sku: e.target.value } : row)))
                  }
                />
              </label>
              <button
                type="button"
                className="min-h-11 underline"
                onClick={() => setSizes(sizes.filter((row) => row.key !== size.key))}
              >
                {t("removeSize", { name: size.name || index + 1 })}
              </button>
            </div>
          ))}
          <button
            type="button"
            className="self-start rounded-lg border border-espresso/40 px-3 py-2"
            onClick={() =>
              setSizes([...sizes, { key: `new-${Date.now()}-${sizes.length}`, name: "", price: "", sku: "" }])
            }
          >
            {t("addSize")}
          </button>
        </fieldset>

        {view.groups.some((group) => !group.archived) ? (
          <fieldset className="flex flex-col gap-1">
            <legend className="font-semibold">{t("groupsOfProduct")}</legend>
            {view.groups
              .filter((group) => !group.archived || groupIds.includes(group.id))
              .map((group) => (
                <label key={group.id} className="flex min-h-11 items-center gap-2">
                  <input
                    type="checkbox"
                    className="size-5"
                    checked={groupIds.includes(group.id)}
                    onChange={(e) =>
                      setGroupIds(e.target.checked ? [...groupIds, group.id] : groupIds.filter((g) => g !== group.id))
                    }
                  />
                  {group.name}
                </label>
              ))}
          </fieldset>
        ) : null}

        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" disabled={saving} className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema">
            {saving ? t("saving") : t("saveProduct")}
          </button>
          <button type="button" className="underline" onClick={onClose}>
            {t("close")}
          </button>
          <span role="status" className="font-medium">
            {result?.ok || (justSaved && !result) ? t("saved") : null}
          </span>
        </div>
        {result?.error ? (
          <p role="alert" className="font-medium text-red-800">
            {refusal(result)}
          </p>
        ) : null}
      </form>

      {product ? <PhotoForm tenant={tenant} product={product} /> : <p className="text-sm">{t("photoAfterSave")}</p>}
      {product && view.locations.length > 0 ? (
        <LocationPrices tenant={tenant} view={view} product={product} money={money} />
      ) : null}
    </div>
  );
}

function PhotoForm({ tenant, product }: { tenant: string; product: EditorProduct }) {
  const t = useTranslations("menuEditor");
  const router = useRouter();
  const id = useId();
  const refusal = useRefusal();
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={async (event) => {
        event.preventDefault();
        const file = (event.currentTarget.elements.namedItem("photo") as HTMLInputElement).files?.[0];
        if (!file) return;
        // The server checks again; this spares a 10 MB upload that would be refused.
        if (file.size > MAX_PHOTO_BYTES) return setError(refusal({ error: "photo_too_large" }));
        setError(null);
        setUploading(true);
        const body = new FormData();
        body.set("productId", product.id);
        body.set("photo", file);
        try {
          const response = await fetch(`/dashboard/${tenant}/menu/photo`, { method: "POST", body });
          const answer = (await response.json().catch(() => ({ error: "generic" }))) as { error?: string };
          if (answer.error) setError(refusal({ error: answer.error }));
          else router.refresh();
        } catch {
          setError(refusal({ error: "generic" }));
        } finally {
          setUploading(false);
        }
      }}
    >
      {product.photoKey ? (
        // biome-ignore lint/performance/noImgElement: a stored WebP of the exact size shown
        <img src={photoUrl(product.photoKey, 160)} alt={product.name} width={80} height={80} className="rounded-lg" />
      ) : null}
      <label className="flex flex-col" htmlFor={`${id}-photo`}>
        {t("photo")}
        <input
          id={`${id}-photo`}
          name="photo"
          type="file"
          accept="image/jpeg,image/png,image/webp,image/gif"
          aria-describedby={`${id}-photo-hint`}
        />
        <span id={`${id}-photo-hint`} className="text-sm text-espresso/80">
          {t("photoHint")}
        </span>
      </label>
      <button type="submit" disabled={uploading} className="rounded-lg border border-espresso/40 px-3 py-2">
        {uploading ? t("uploading") : t("uploadPhoto")}
      </button>
      {product.photoKey ? (
        <button
          type="button"
          className="underline"
          onClick={async () => {
            const answer = await removeProductPhotoAction(tenant, product.id);
            if (answer.error) setError(refusal(answer));
            else router.refresh();
          }}
        >
          {t("removePhoto")}
        </button>
      ) : null}
      <p role="status" aria-live="polite" className="w-full font-medium text-red-800">
        {error}
      </p>
    </form>
  );
}

function LocationPrices({
  tenant,
  view,
  product,
  money,
}: {
  tenant: string;
  view: EditorView;
  product: EditorProduct;
  money: Money;
}) {
  const t = useTranslations("menuEditor");
  const router = useRouter();
  const id = useId();
  const refusal = useRefusal();
  const [error, setError] = useState<string | null>(null);
  const targets =
    product.variants.length > 0
      ? product.variants.map((variant) => ({ slug: variant.slug, label: variant.name }))
      : [{ slug: "", label: t("baseProduct") }];
  const current = (locationId: string, slug: string) =>
    product.locationPrices.find((row) => row.locationId === locationId && row.variantSlug === slug)?.price;
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="font-semibold">{t("locationPrices")}</legend>
      <p className="text-sm text-espresso/80">{t("locationPricesHint")}</p>
      {view.locations.map((location) => (
        <div key={location.id} className="flex flex-wrap gap-3">
          {targets.map((target) => {
            const stored = current(location.id, target.slug);
            return (
              <label
                key={target.slug}
                className="flex flex-col text-sm"
                htmlFor={`${id}-${location.id}-${target.slug}`}
              >
                {t("locationPrice", { location: location.name, what: target.label })}
                <input
                  id={`${id}-${location.id}-${target.slug}`}
                  className="w-32 rounded-lg border border-espresso/40 bg-white px-3 py-2 text-base"
                  inputMode="decimal"
                  defaultValue={stored === undefined ? "" : fromMinor(stored)}
                  placeholder={formatMoney(
                    product.variants.find((v) => v.slug === target.slug)?.price ?? product.price,
                    money.currency,
                    money.locale,
                  )}
                  onBlur={async (event) => {
                    const text = event.target.value.trim();
                    const price = text === "" ? null : toMinor(text);
                    if (text !== "" && price === null) return setError(refusal({ error: "price_invalid" }));
                    if ((price ?? undefined) === stored) return;
                    const answer = await setLocationPriceAction(tenant, {
                      locationId: location.id,
                      productId: product.id,
                      variantSlug: target.slug,
                      price,
                    });
                    setError(answer.error ? refusal(answer) : null);
                    if (!answer.error) router.refresh();
                  }}
                />
              </label>
            );
          })}
        </div>
      ))}
      {error ? (
        <p role="alert" className="text-sm text-red-800">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

type OptionRow = { key: string; id?: string; name: string; priceDelta: string; prep: string; isDefault: boolean };

function GroupForm({
  tenant,
  group,
  money,
  onClose,
}: {
  tenant: string;
  group: EditorGroup | null;
  money: Money;
  onClose: () => void;
}) {
  const t = useTranslations("menuEditor");
  const router = useRouter();
  const id = useId();
  const refusal = useRefusal();
  const [name, setName] = useState(group?.name ?? "");
  const [nameEn, setNameEn] = useState(group?.translations.en?.name ?? "");
  const [minSelect, setMinSelect] = useState(String(group?.minSelect ?? 0));
  const [maxSelect, setMaxSelect] = useState(String(group?.maxSelect ?? 1));
  const [maxPerOption, setMaxPerOption] = useState(String(group?.maxPerOption ?? 1));
  const [options, setOptions] = useState<OptionRow[]>(
    () =>
      group?.options.map((option) => ({
        key: option.id,
        id: option.id,
        name: option.name,
        priceDelta: fromMinor(option.priceDelta),
        prep: String(option.prepMinutesDelta),
        isDefault: option.isDefault,
      })) ?? [{ key: "new-0", name: "", priceDelta: "0", prep: "0", isDefault: false }],
  );
  const [result, setResult] = useState<MenuActionResult | null>(null);
  const [saving, startSaving] = useTransition();
  const invalid = (field: string) => (result?.field === field ? true : undefined);
  const input = "rounded-lg border border-espresso/40 bg-white px-3 py-2 aria-invalid:border-red-700";
  const update = (key: string, change: Partial<OptionRow>) =>
    setOptions(options.map((row) => (row.key === key ? { ...row, ...change } : row)));
  return (
    <form
      className="mt-3 flex flex-col gap-3 rounded-lg border border-espresso/20 p-4"
      data-testid="group-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const parsed: {
          id?: string;
          name: string;
          priceDelta: number;
          prepMinutesDelta: number;
          isDefault: boolean;
        }[] = [];
        for (const [index, option] of options.entries()) {
          const negative = option.priceDelta.trim().startsWith("-");
          const delta = toMinor(option.priceDelta.trim().replace(/^-/, ""));
          if (delta === null) return setResult({ error: "price_invalid", field: `options.${index}.priceDelta` });
          parsed.push({
            id: option.id,
            name: option.name,
            priceDelta: negative ? -delta : delta,
            prepMinutesDelta: Number.parseInt(option.prep, 10) || 0,
            isDefault: option.isDefault,
          });
        }
        startSaving(async () => {
          const answer = await saveModifierGroupAction(tenant, {
            id: group?.id,
            name,
            translations: { en: { name: nameEn } },
            minSelect: Number.parseInt(minSelect, 10) || 0,
            maxSelect: Number.parseInt(maxSelect, 10) || 1,
            maxPerOption: Number.parseInt(maxPerOption, 10) || 1,
            options: parsed,
          });
          setResult(answer);
          if (!answer.error) {
            router.refresh();
            onClose();
          }
        });
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="flex flex-col" htmlFor={`${id}-name`}>
          {t("groupName")}
          <input
            id={`${id}-name`}
            className={input}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={invalid("name")}
          />
        </label>
        <label className="flex flex-col" htmlFor={`${id}-name-en`}>
          {t("nameEn")}
          <input id={`${id}-name-en`} className={input} value={nameEn} onChange={(e) => setNameEn(e.target.value)} />
        </label>
        <label className="flex flex-col" htmlFor={`${id}-min`}>
          {t("minSelect")}
          <input
            id={`${id}-min`}
            className={input}
            inputMode="numeric"
            value={minSelect}
            onChange={(e) => setMinSelect(e.target.value)}
            aria-invalid={invalid("minSelect")}
          />
        </label>
        <label className="flex flex-col" htmlFor={`${id}-max`}>
          {t("maxSelect")}
          <input
            id={`${id}-max`}
            className={input}
            inputMode="numeric"
            value={maxSelect}
            onChange={(e) => setMaxSelect(e.target.value)}
            aria-invalid={invalid("maxSelect")}
          />
        </label>
        <label className="flex flex-col" htmlFor={`${id}-per`}>
          {t("maxPerOption")}
          <input
            id={`${id}-per`}
            className={input}
            inputMode="numeric"
            value={maxPerOption}
            onChange={(e) => setMaxPerOption(e.target.value)}
            aria-invalid={invalid("maxPerOption")}
            aria-describedby={`${id}-per-hint`}
          />
          <span id={`${id}-per-hint`} className="text-sm text-espresso/80">
            {t("maxPerOptionHint")}
          </span>
        </label>
        <label className="flex min-h-11 items-center gap-2">
          <input
            type="checkbox"
            className="size-5"
            checked={(Number.parseInt(minSelect, 10) || 0) >= 1}
            onChange={(e) =>
              setMinSelect(e.target.checked ? String(Math.max(1, Number.parseInt(minSelect, 10) || 0)) : "0")
            }
          />
          {t("required")}
        </label>
      </div>
      <fieldset className="flex flex-col gap-2">
        <legend className="font-semibold">{t("options")}</legend>
        {options.map((option, index) => (
          <div key={option.key} className="flex flex-wrap items-end gap-2" data-testid="option-row">
            <label className="flex flex-col text-sm" htmlFor={`${id}-option-${option.key}`}>
              {t("optionName")} {index + 1}
              <input
                id={`${id}-option-${option.key}`}
                className={input}
                value={option.name}
                aria-invalid={invalid(`options.${index}.name`)}
                onChange={(e) => update(option.key, { name: e.target.value })}
              />
            </label>
            <label className="flex flex-col text-sm" htmlFor={`${id}-delta-${option.key}`}>
              {t("priceDelta", { currency: money.currency })} {index + 1}
              <input
                id={`${id}-delta-${option.key}`}
                className={`${input} w-28`}
                inputMode="decimal"
                value={option.priceDelta}
                aria-invalid={invalid(`options.${index}.priceDelta`)}
                onChange={(e) => update(option.key, { priceDelta: e.target.value })}
              />
            </label>
            <label className="flex flex-col text-sm" htmlFor={`${id}-prep-${option.key}`}>
              {t("prepDelta")} {index + 1}
              <input
                id={`${id}-prep-${option.key}`}
                className={`${input} w-20`}
                inputMode="numeric"
                value={option.prep}
                onChange={(e) => update(option.key, { prep: e.target.value })}
              />
            </label>
            <label className="flex min-h-11 items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-5"
                checked={option.isDefault}
                onChange={(e) => update(option.key, { isDefault: e.target.checked })}
              />
              {t("isDefault")} {index + 1}
            </label>
            <button
              type="button"
              className="min-h-11 underline"
              onClick={() => setOptions(options.filter((row) => row.key !== option.key))}
            >
              {t("removeOption", { name: option.name || index + 1 })}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="self-start rounded-lg border border-espresso/40 px-3 py-2"
          onClick={() =>
            setOptions([
              ...options,
              { key: `new-${Date.now()}-${options.length}`, name: "", priceDelta: "0", prep: "0", isDefault: false },
            ])
          }
        >
          {t("addOption")}
        </button>
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={saving} className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema">
          {saving ? t("saving") : t("saveGroup")}
        </button>
        <button type="button" className="underline" onClick={onClose}>
          {t("close")}
        </button>
      </div>
      {result?.error ? (
        <p role="alert" className="font-medium text-red-800">
          {refusal(result)}
        </p>
      ) : null}
    </form>
  );
}
