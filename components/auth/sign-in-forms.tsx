"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type SignInState, submitCode, submitPassword } from "@/app/sign-in/actions";
import { Field, FormError, SubmitButton } from "@/components/ui/field";
import { useSubmitKeepingValues } from "@/components/ui/keep-values";

function useErrorText(state: SignInState) {
  const t = useTranslations("auth.errors");
  if (!state.error) return undefined;
  return state.error === "locked" ? t("locked", { minutes: state.minutes ?? 15 }) : t(state.error);
}

export function PasswordForm({ next }: { next: string }) {
  const t = useTranslations("auth");
  const [state, action, pending] = useActionState(submitPassword, {});
  const error = useErrorText(state);
  const submit = useSubmitKeepingValues(action);
  return (
    <form action={action} onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="next" value={next} />
      <FormError message={error} />
      <Field id="email" name="email" type="email" label={t("email")} autoComplete="username" required />
      <Field
        id="password"
        name="password"
        type="password"
        label={t("password")}
        autoComplete="current-password"
        required
      />
      <SubmitButton pending={pending}>{t("signIn")}</SubmitButton>
    </form>
  );
}

export function CodeForm({ next }: { next: string }) {
  const t = useTranslations("auth");
  const [state, action, pending] = useActionState(submitCode, {});
  const error = useErrorText(state);
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="next" value={next} />
      <FormError message={error} />
      <Field
        id="code"
        name="code"
        label={t("code")}
        hint={t("codeHint")}
        autoComplete="one-time-code"
        inputMode="text"
        autoFocus
        required
      />
      <SubmitButton pending={pending}>{t("confirm")}</SubmitButton>
    </form>
  );
}
