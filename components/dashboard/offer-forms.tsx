"use client";

import { useTranslations } from "next-intl";
import { useActionState, useId, useState } from "react";
import {
  createOfferAction,
  type GiveFormState,
  giveOfferAction,
  type OfferFormState,
  setOfferStatusAction,
  updateOfferAction,
} from "@/app/dashboard/[tenant]/offers/actions";
import { ConfirmSubmitButton } from "@/components/ui/confirm-button";
import { Field, FormError, SelectField, SubmitButton } from "@/components/ui/field";
import { useSubmitKeepingValues } from "@/components/ui/keep-values";

const KINDS = ["percent_off", "amount_off", "free_item", "points_multiplier", "bonus_points"] as const;
type Kind = (typeof KINDS)[number];
const LANGUAGES = ["ru", "en"] as const;
const SEGMENTS = ["new", "regular", "loyal", "sleeping", "lost"] as const;

/** The words for an offers action's error code: its own, a field's, or the generic one. */
function useOfferError(code: string | undefined): string | undefined {
  const t = useTranslations("offers.errors");
  if (!code) return undefined;
  if (t.has(code)) return t(code);
  return code.startsWith("field_") ? t("invalid_request") : t("generic");
}

export type OfferChoices = {
  products: { sku: string; name: string }[];
  categories: { slug: string; name: string }[];
  locations: { id: string; name: string }[];
};

/** How guests get an offer, as the form offers it (campaigns attach offers themselves). */
export const FORM_SOURCES = ["personal", "code", "birthday", "usual_plus_one"] as const;
export type FormSource = (typeof FORM_SOURCES)[number];
const SOURCE_TEXT = {
  personal: "sourcePersonal",
  code: "sourceCode",
  birthday: "sourceBirthday",
  usual_plus_one: "sourceUsual",
} as const;

/** An offer's values as the form shows them (money in major units, days in the café's zone). */
export type OfferFormValues = {
  kind: Kind;
  value: string;
  skus: string[];
  requiredSkus: string[];
  categories: string[];
  title: { ru?: string; en?: string };
  description: { ru?: string; en?: string };
  validFrom: string;
  validUntil: string;
  minCheck: string;
  perGuestLimit: string;
  totalLimit: string;
  locationIds: string[];
  source: FormSource;
  code: string;
  grantDays: string;
};

const EMPTY: OfferFormValues = {
  kind: "percent_off",
  value: "",
  skus: [],
  requiredSkus: [],
  categories: [],
  title: {},
  description: {},
  validFrom: "",
  validUntil: "",
  minCheck: "0",
  perGuestLimit: "1",
  totalLimit: "",
  locationIds: [],
  source: "personal",
  code: "",
  grantDays: "",
};

/** A labelled group of checkboxes (menu items, categories, locations): picked, never typed. */
function CheckboxGroup({
  legend,
  hint,
  name,
  options,
  checked,
}: {
  legend: string;
  hint?: string;
  name: string;
  options: { value: string; text: string }[];
  checked: string[];
}) {
  const id = useId();
  return (
    <fieldset className="flex flex-col gap-1" aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend className="font-medium">{legend}</legend>
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-espresso/80">
          {hint}
        </p>
      ) : null}
      <div className="flex max-h-56 flex-col gap-1 overflow-y-auto rounded-lg border border-espresso/20 p-2">
        {options.map((option) => (
          <label key={option.value} className="flex min-h-8 items-center gap-2">
            <input
              type="checkbox"
              name={name}
              value={option.value}
              defaultChecked={checked.includes(option.value)}
              className="size-4 accent-espresso"
            />
            <span>{option.text}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * Creates or edits an offer with every field of the contract: kind and value, products or
 * categories from the menu, validity days, minimum check, limits, locations, the title in the
 * café's languages, and whether guests get it personally or type it as a promo code.
 */
export function OfferForm({
  tenant,
  offerId,
  initial,
  choices,
  cafeLocale,
  locked,
}: {
  tenant: string;
  /** Editing this offer; absent for a new one. */
  offerId?: string;
  initial?: OfferFormValues;
  choices: OfferChoices;
  cafeLocale: string;
  /** The offer has uses: kind, source and code stay as they are. */
  locked?: boolean;
}) {
  const t = useTranslations("offers.form");
  const tk = useTranslations("offers.kinds");
  const values = initial ?? EMPTY;
  const [kind, setKind] = useState<Kind>(values.kind);
  const [source, setSource] = useState(values.source);
  const action = offerId ? updateOfferAction.bind(null, tenant, offerId) : createOfferAction.bind(null, tenant);
  const [state, formAction, pending] = useActionState<OfferFormState, FormData>(action, {});
  const onSubmit = useSubmitKeepingValues(formAction);
  const error = useOfferError(state.error);
  const fieldError = (field: string) => (state.error === `field_${field}` ? error : undefined);
  // The café's own language first: its title is the one required.
  const languages = [...LANGUAGES].sort((a, b) => (a === cafeLocale ? -1 : b === cafeLocale ? 1 : 0));
  const valueLabel = {
    percent_off: t("valuePercent"),
    amount_off: t("valueAmount"),
    free_item: "",
    points_multiplier: t("valueMultiplier"),
    bonus_points: t("valuePoints"),
  }[kind];

  return (
    <form action={formAction} onSubmit={onSubmit} className="flex max-w-2xl flex-col gap-4" noValidate>
      <FormError message={state.error && !state.error.startsWith("field_") ? error : undefined} />
      {state.done ? (
        <p role="status" className="rounded-lg border border-leaf bg-green-50 p-3">
          {t("saved")}
        </p>
      ) : null}
      <SelectField
        id="offer-kind"
        name="kind"
        label={t("kind")}
        value={kind}
        disabled={locked}
        onChange={(event) => setKind(event.target.value as Kind)}
        options={KINDS.map((value) => ({ value, text: tk(value) }))}
      />
      {locked ? <input type="hidden" name="kind" value={kind} /> : null}
      {kind === "free_item" ? null : (
        <Field
          id="offer-value"
          name="value"
          type="number"
          inputMode="decimal"
          min={1}
          label={valueLabel}
          defaultValue={values.value}
          required
          error={fieldError("value")}
        />
      )}
      <CheckboxGroup
        legend={kind === "free_item" ? t("skusFree") : t("skus")}
        hint={kind === "free_item" ? undefined : t("skusHint")}
        name="skus"
        checked={values.skus}
        options={choices.products.map((product) => ({ value: product.sku, text: product.name }))}
      />
      {fieldError("skus") ? <p className="text-sm font-medium text-red-800">{fieldError("skus")}</p> : null}
      <CheckboxGroup
        legend={t("requiredSkus")}
        hint={t("requiredSkusHint")}
        name="requiredSkus"
        checked={values.requiredSkus}
        options={choices.products.map((product) => ({ value: product.sku, text: product.name }))}
      />
      {kind === "free_item" ? null : (
        <CheckboxGroup
          legend={t("categories")}
          name="categories"
          checked={values.categories}
          options={choices.categories.map((category) => ({ value: category.slug, text: category.name }))}
        />
      )}
      {languages.map((language) => (
        <Field
          key={`title-${language}`}
          id={`offer-title-${language}`}
          name={language === "ru" ? "titleRu" : "titleEn"}
          label={t("titleIn", { language: t(`languages.${language}`) })}
          hint={language === cafeLocale ? t("titleHint") : undefined}
          defaultValue={values.title[language] ?? ""}
          maxLength={200}
          required={language === cafeLocale}
          error={language === cafeLocale ? fieldError("title") : undefined}
        />
      ))}
      {languages.map((language) => (
        <Field
          key={`description-${language}`}
          id={`offer-description-${language}`}
          name={language === "ru" ? "descriptionRu" : "descriptionEn"}
          label={t("descriptionIn", { language: t(`languages.${language}`) })}
          defaultValue={values.description[language] ?? ""}
          maxLength={1000}
        />
      ))}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id="offer-valid-from"
          name="validFrom"
          type="date"
          label={t("validFrom")}
          defaultValue={values.validFrom}
          error={fieldError("validFrom")}
        />
        <Field
          id="offer-valid-until"
          name="validUntil"
          type="date"
          label={t("validUntil")}
          hint={t("validUntilHint")}
          defaultValue={values.validUntil}
          error={fieldError("validUntil")}
        />
        <Field
          id="offer-min-check"
          name="minCheck"
          type="number"
          inputMode="decimal"
          min={0}
          label={t("minCheck")}
          hint={t("minCheckHint")}
          defaultValue={values.minCheck}
          error={fieldError("minCheck")}
        />
        <Field
          id="offer-per-guest"
          name="perGuestLimit"
          type="number"
          inputMode="numeric"
          min={1}
          label={t("perGuestLimit")}
          hint={t("perGuestHint")}
          defaultValue={values.perGuestLimit}
          error={fieldError("perGuestLimit")}
        />
        <Field
          id="offer-total"
          name="totalLimit"
          type="number"
          inputMode="numeric"
          min={1}
          label={t("totalLimit")}
          hint={t("totalHint")}
          defaultValue={values.totalLimit}
          error={fieldError("totalLimit")}
        />
      </div>
      {choices.locations.length > 1 ? (
        <CheckboxGroup
          legend={t("locations")}
          hint={t("locationsHint")}
          name="locationIds"
          checked={values.locationIds}
          options={choices.locations.map((location) => ({ value: location.id, text: location.name }))}
        />
      ) : null}
      <fieldset className="flex flex-col gap-1">
        <legend className="font-medium">{t("source")}</legend>
        {FORM_SOURCES.map((option) => (
          <label key={option} className="flex min-h-8 items-center gap-2">
            <input
              type="radio"
              name="source"
              value={option}
              checked={source === option}
              disabled={locked}
              onChange={() => setSource(option)}
              className="size-4 accent-espresso"
            />
            <span>{t(SOURCE_TEXT[option])}</span>
          </label>
        ))}
        {locked ? <input type="hidden" name="source" value={source} /> : null}
        {source === "birthday" || source === "usual_plus_one" ? (
          <p className="text-sm text-stone-700">
            {t(source === "birthday" ? "sourceBirthdayHint" : "sourceUsualHint")}
          </p>
        ) : null}
      </fieldset>
      {source === "code" ? (
        <Field
          id="offer-code"
          name="code"
          label={t("code")}
          hint={t("codeHint")}
          defaultValue={values.code}
          readOnly={locked}
          autoCapitalize="characters"
          autoComplete="off"
          required
          error={fieldError("code") ?? (state.error === "code_taken" ? error : undefined)}
        />
      ) : (
        <Field
          id="offer-grant-days"
          name="grantDays"
          type="number"
          inputMode="numeric"
          min={1}
          label={t("grantDays")}
          hint={t("grantDaysHint")}
          defaultValue={values.grantDays}
          error={fieldError("grantDays")}
        />
      )}
      {state.error?.startsWith("field_") ? <FormError message={error} /> : null}
      <SubmitButton pending={pending}>{offerId ? t("save") : t("create")}</SubmitButton>
    </form>
  );
}

/** Pause ⇄ resume, and archive (asks first: it is final). */
export function OfferStatusControls({
  tenant,
  offerId,
  status,
  title,
}: {
  tenant: string;
  offerId: string;
  status: "active" | "paused" | "archived";
  title: string;
}) {
  const t = useTranslations("offers.detail");
  const [state, action, pending] = useActionState<OfferFormState, FormData>(
    setOfferStatusAction.bind(null, tenant, offerId),
    {},
  );
  const error = useOfferError(state.error);
  if (status === "archived") return null;
  return (
    <div className="flex flex-wrap items-center gap-4">
      <FormError message={error} />
      <form action={action}>
        <input type="hidden" name="status" value={status === "active" ? "paused" : "active"} />
        <button
          type="submit"
          disabled={pending}
          className="rounded-lg border border-espresso/40 px-4 py-2 font-semibold disabled:opacity-60"
        >
          {status === "active" ? t("pause") : t("resume")}
        </button>
      </form>
      <form action={action}>
        <input type="hidden" name="status" value="archived" />
        <ConfirmSubmitButton
          label={t("archive")}
          question={t("archiveQuestion", { title })}
          confirm={t("archiveConfirm")}
          cancel={t("cancel")}
          pending={pending}
        />
      </form>
    </div>
  );
}

/** Gives a personal offer to one guest (card number or phone) or to a segment of guests. */
export function GiveOfferForm({ tenant, offerId }: { tenant: string; offerId: string }) {
  const t = useTranslations("offers.give");
  const [to, setTo] = useState<"guest" | "segment">("guest");
  const [state, action, pending] = useActionState<GiveFormState, FormData>(
    giveOfferAction.bind(null, tenant, offerId),
    {},
  );
  const onSubmit = useSubmitKeepingValues(action);
  const error = useOfferError(state.error);
  return (
    <form action={action} onSubmit={onSubmit} className="flex max-w-md flex-col gap-3" noValidate>
      <fieldset className="flex flex-wrap gap-4">
        <legend className="sr-only">{t("title")}</legend>
        {(["guest", "segment"] as const).map((option) => (
          <label key={option} className="flex min-h-8 items-center gap-2">
            <input
              type="radio"
              name="to"
              value={option}
              checked={to === option}
              onChange={() => setTo(option)}
              className="size-4 accent-espresso"
            />
            <span>{option === "guest" ? t("toGuest") : t("toSegment")}</span>
          </label>
        ))}
      </fieldset>
      {to === "guest" ? (
        <Field
          id="give-identifier"
          name="identifier"
          label={t("identifier")}
          autoComplete="off"
          required
          error={state.error === "field_identifier" || state.error === "guest_not_found" ? error : undefined}
        />
      ) : (
        <SelectField
          id="give-segment"
          name="segment"
          label={t("segment")}
          defaultValue="sleeping"
          options={SEGMENTS.map((segment) => ({ value: segment, text: t(`segments.${segment}`) }))}
        />
      )}
      {state.error && state.error !== "field_identifier" && state.error !== "guest_not_found" ? (
        <FormError message={error} />
      ) : null}
      {state.given ? (
        <p role="status" className="rounded-lg border border-leaf bg-green-50 p-3">
          {state.given.guests === 0
            ? t("nobody")
            : t("done", { granted: state.given.granted, alreadyHad: state.given.alreadyHad })}
        </p>
      ) : null}
      <SubmitButton pending={pending}>{to === "guest" ? t("submitGuest") : t("submitSegment")}</SubmitButton>
    </form>
  );
}
