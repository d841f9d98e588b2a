"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { changePasswordAction, type PasswordState } from "@/app/account/actions";
import { Field, FormError, SubmitButton } from "@/components/ui/field";

export function ChangePasswordForm() {
  const t = useTranslations("account");
  const [state, action, pending] = useActionState<PasswordState, FormData>(changePasswordAction, {});
  const errors: Record<string, string> = { weak_password: "weak", locked: "locked" };
  const error = state.error ? t(errors[state.error] ?? "wrongPassword") : undefined;
  return (
    <form action={action} className="flex max-w-sm flex-col gap-3" noValidate>
      <FormError message={error} />
      {state.done ? <p role="status">{t("passwordChanged")}</p> : null}
      <Field
        id="current"
        name="current"
        type="password"
        label={t("currentPassword")}
        autoComplete="current-password"
        required
      />
      <Field id="new" name="password" type="password" label={t("newPassword")} autoComplete="new-password" required />
      <SubmitButton pending={pending}>{t("changePassword")}</SubmitButton>
    </form>
  );
}
