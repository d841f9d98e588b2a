"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { enrolAction, type WelcomeState } from "@/app/[tenant]/welcome/actions";
import { Field, FormError, SubmitButton } from "@/components/ui/field";
import { useSubmitKeepingValues } from "@/components/ui/keep-values";

const KNOWN_ERRORS = [
  "invalid_request",
  "phone_taken",
  "card_code_required",
  "card_code_mismatch",
  "too_many_attempts",
];

export function WelcomeForm({ tenant, cafe, next }: { tenant: string; cafe: string; next: string }) {
  const t = useTranslations("guestAuth");
  const tw = useTranslations("waysBack.welcome");
  const [state, action, pending] = useActionState<WelcomeState, FormData>(enrolAction, {});
  const submit = useSubmitKeepingValues(action);
  const wrong = new Set(state.fields ?? []);
  // Each wrong field says what is wrong with it; the form's message only points at them.
  const fieldError = (field: "name" | "phone" | "consent") => (wrong.has(field) ? tw(`fields.${field}`) : undefined);
  const error = state.error
    ? t(`errors.${KNOWN_ERRORS.includes(state.error) ? state.error : "generic"}`)
    : wrong.size > 0
      ? tw("checkFields")
      : undefined;
  const consentError = fieldError("consent");
  return (
    <form action={action} onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <FormError message={error} />
      <input type="hidden" name="tenant" value={tenant} />
      <input type="hidden" name="next" value={next} />
      <Field
        id="name"
        name="name"
        label={t("name")}
        autoComplete="given-name"
        maxLength={100}
        required
        error={fieldError("name")}
      />
      <Field
        id="phone"
        name="phone"
        type="tel"
        label={t("phone")}
        hint={t("phoneHint")}
        autoComplete="tel"
        inputMode="tel"
        required
        error={fieldError("phone")}
      />
      {state.needsCard ? (
        <Field
          id="cardCode"
          name="cardCode"
          label={t("cardCode")}
          hint={t("cardCodeHint")}
          inputMode="numeric"
          autoComplete="off"
          required
        />
      ) : null}
      <div className="flex flex-col gap-1">
        <div className="flex items-start gap-2">
          <input
            id="consent"
            name="consent"
            type="checkbox"
            required
            aria-invalid={consentError ? true : undefined}
            aria-describedby={consentError ? "consent-error" : undefined}
            className="mt-1 size-5"
          />
          <label htmlFor="consent">{t("consent", { cafe })}</label>
        </div>
        {consentError ? (
          <p id="consent-error" className="text-sm font-medium text-red-800">
            {consentError}
          </p>
        ) : null}
      </div>
      <div className="flex items-start gap-2">
        <input id="marketing" name="marketing" type="checkbox" className="mt-1 size-5" />
        <label htmlFor="marketing">{t("marketing")}</label>
      </div>
      <SubmitButton pending={pending}>{t("join")}</SubmitButton>
    </form>
  );
}
