"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type SignUpState, signUpAction } from "@/app/sign-up/actions";
import { Field, FormError, SubmitButton } from "@/components/ui/field";
import { useSubmitKeepingValues } from "@/components/ui/keep-values";
import { useSignUpError } from "./error-text";

const MIN_PASSWORD_LENGTH = 10;

/** Sign-up, step one: email and password (then 2FA enrolment at once). */
export function AccountForm() {
  const t = useTranslations("signUp");
  const [state, action, pending] = useActionState<SignUpState, FormData>(signUpAction, {});
  const submit = useSubmitKeepingValues(action);
  const { summary, fieldError } = useSignUpError(state, { email: t("email"), password: t("password") });
  return (
    <form action={action} onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <FormError message={summary} />
      <Field
        id="email"
        name="email"
        type="email"
        label={t("email")}
        autoComplete="email"
        required
        error={fieldError("email")}
      />
      <Field
        id="new-password"
        name="password"
        type="password"
        label={t("password")}
        hint={t("passwordHint", { min: MIN_PASSWORD_LENGTH })}
        autoComplete="new-password"
        minLength={MIN_PASSWORD_LENGTH}
        required
        error={fieldError("password")}
      />
      <SubmitButton pending={pending}>{t("createAccount")}</SubmitButton>
    </form>
  );
}
