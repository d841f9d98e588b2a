"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef, useState } from "react";
import { createCafeAction, type SignUpState, slugAdviceAction } from "@/app/sign-up/actions";
import { Field, FormError, SelectField, SubmitButton } from "@/components/ui/field";
import { useSubmitKeepingValues } from "@/components/ui/keep-values";
import type { SlugCheck } from "@/server/signup/slug";
import { useSignUpError } from "./error-text";

const WEEKDAYS = ["1", "2", "3", "4", "5", "6", "7"] as const;
const DEFAULT_OPEN = "08:00";
const DEFAULT_CLOSE = "21:00";
const ADVICE_DELAY_MS = 350;

type Props = {
  currencies: string[];
  timeZones: string[];
  defaultTimeZone: string;
  defaultLocale: "ru" | "en";
  baseUrl: string;
};

/**
 * Sign-up, step three: the café (name, address of its storefront, currency, time zone, language)
 * and its first location with opening hours. The address follows the name until the owner edits
 * it, and says as they type whether it is free (offering a free one when not).
 */
export function CafeForm({ currencies, timeZones, defaultTimeZone, defaultLocale, baseUrl }: Props) {
  const t = useTranslations("signUp");
  const [state, action, pending] = useActionState<SignUpState, FormData>(createCafeAction, {});
  const submit = useSubmitKeepingValues(action);
  const labels: Record<string, string> = {
    name: t("cafeName"),
    slug: t("slug"),
    currency: t("currency"),
    timezone: t("timezone"),
    locale: t("language"),
    "location.name": t("locationName"),
    "location.address": t("locationAddress"),
    ...Object.fromEntries(WEEKDAYS.map((day) => [`hours.${day}`, t(`weekdays.${day}`)])),
  };
  const { summary, fieldError } = useSignUpError(state, labels);

  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [advice, setAdvice] = useState<SlugCheck | null>(null);
  const [closed, setClosed] = useState<Record<string, boolean>>({});
  const asked = useRef(0);

  // Debounced: the address's availability (or, while it follows the name, a free one from the name).
  // While the address follows the name, the name alone is the question (the answer sets the address).
  const typed = slugEdited ? slug : "";
  useEffect(() => {
    if (!name && !typed) {
      setAdvice(null);
      return;
    }
    const request = ++asked.current;
    const timer = setTimeout(async () => {
      const answer = await slugAdviceAction({ slug: typed, name });
      if (request !== asked.current || !answer) return;
      if (!typed) setSlug(answer.slug);
      setAdvice(answer);
    }, ADVICE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [name, typed]);

  const suggestion = advice && !advice.ok ? advice.suggestion : state.field === "slug" ? state.suggestion : undefined;
  const takeSuggestion = (value: string) => {
    setSlug(value);
    setSlugEdited(true);
  };

  return (
    <form action={action} onSubmit={submit} className="flex flex-col gap-6" noValidate>
      <FormError message={summary} />
      <fieldset className="flex flex-col gap-4">
        <legend className="mb-2 text-lg font-semibold">{t("cafeSection")}</legend>
        <Field
          id="cafe-name"
          name="name"
          label={t("cafeName")}
          autoComplete="organization"
          value={name}
          onChange={(event) => setName(event.target.value)}
          required
          error={fieldError("name")}
        />
        <div className="flex flex-col gap-1">
          <Field
            id="cafe-slug"
            name="slug"
            label={t("slug")}
            hint={t("slugHint", { url: `${baseUrl}/${slug || "…"}` })}
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            value={slug}
            onChange={(event) => {
              setSlugEdited(true);
              setSlug(event.target.value.toLowerCase());
            }}
            required
            error={fieldError("slug")}
          />
          <p role="status" className="text-sm">
            {advice && slug === advice.slug ? (advice.ok ? t("slugFree") : t(`slugAdvice.${advice.reason}`)) : null}
          </p>
          {suggestion && suggestion !== slug ? (
            <button
              type="button"
              onClick={() => takeSuggestion(suggestion)}
              className="self-start rounded-lg border-2 border-espresso px-3 py-1 text-sm font-semibold"
            >
              {t("useSuggestion", { slug: suggestion })}
            </button>
          ) : null}
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          <SelectField
            id="cafe-currency"
            name="currency"
            label={t("currency")}
            defaultValue={currencies[0]}
            options={currencies.map((code) => ({ value: code, text: code }))}
          />
          <SelectField
            id="cafe-timezone"
            name="timezone"
            label={t("timezone")}
            defaultValue={defaultTimeZone}
            options={timeZones.map((zone) => ({ value: zone, text: zone.replaceAll("_", " ") }))}
          />
          <SelectField
            id="cafe-locale"
            name="locale"
            label={t("language")}
            defaultValue={defaultLocale}
            options={[
              { value: "ru", text: "Русский" },
              { value: "en", text: "English" },
            ]}
          />
        </div>
      </fieldset>

      <fieldset className="flex flex-col gap-4">
        <legend className="mb-2 text-lg font-semibold">{t("locationSection")}</legend>
        <Field
          id="location-name"
          name="location.name"
          label={t("locationName")}
          hint={t("locationNameHint")}
          required
          error={fieldError("location.name")}
        />
        <Field
          id="location-address"
          name="location.address"
          label={t("locationAddress")}
          autoComplete="street-address"
          required
          error={fieldError("location.address")}
        />
        <div className="flex flex-col gap-2">
          <p className="font-medium">{t("hours")}</p>
          {WEEKDAYS.map((day) => {
            const error = fieldError(`hours.${day}`);
            return (
              <fieldset
                key={day}
                aria-describedby={error ? `hours-${day}-error` : undefined}
                className="grid grid-cols-[8rem_1fr_1fr_auto] items-end gap-3 rounded-lg bg-white p-3"
              >
                <legend className="sr-only">{t(`weekdays.${day}`)}</legend>
                <span aria-hidden="true" className="self-center font-medium">
                  {t(`weekdays.${day}`)}
                </span>
                <TimeInput
                  id={`hours-${day}-open`}
                  name={`hours.${day}.open`}
                  label={t("opens")}
                  defaultValue={DEFAULT_OPEN}
                  disabled={closed[day]}
                  invalid={Boolean(error)}
                />
                <TimeInput
                  id={`hours-${day}-close`}
                  name={`hours.${day}.close`}
                  label={t("closes")}
                  defaultValue={DEFAULT_CLOSE}
                  disabled={closed[day]}
                  invalid={Boolean(error)}
                />
                <label className="flex items-center gap-2 self-center">
                  <input
                    type="checkbox"
                    name={`hours.${day}.closed`}
                    checked={closed[day] ?? false}
                    onChange={(event) => setClosed({ ...closed, [day]: event.target.checked })}
                  />
                  {t("closed")}
                </label>
                {error ? (
                  <p id={`hours-${day}-error`} className="col-span-4 text-sm font-medium text-red-800">
                    {error}
                  </p>
                ) : null}
              </fieldset>
            );
          })}
        </div>
      </fieldset>
      <p className="text-sm">{t("trialNote")}</p>
      <SubmitButton pending={pending}>{t("createCafe")}</SubmitButton>
    </form>
  );
}

function TimeInput({
  id,
  name,
  label,
  defaultValue,
  disabled,
  invalid,
}: {
  id: string;
  name: string;
  label: string;
  defaultValue: string;
  disabled?: boolean;
  invalid: boolean;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type="time"
        step={60}
        defaultValue={defaultValue}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        className="rounded-lg border border-espresso/40 bg-white px-2 py-1 disabled:opacity-50"
      />
    </div>
  );
}
