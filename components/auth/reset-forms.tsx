"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type ResetState, requestResetAction, resetPasswordAction } from "@/app/forgot-password/actions";
import { Field, FormError, SubmitButton } from "@/components/ui/field";

export function RequestResetForm() {
  const t = useTranslations("reset");
  const [state, action, pending] = useActionState<ResetState, FormData>(requestResetAction, {});
  if (state.sent) return <p role="status">{t("sent")}</p>;
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <Field id="email" name="email" type="email" label={t("email")} autoComplete="username" required />
      <SubmitButton pending={pending}>{t("send")}</SubmitButton>
    </form>
  );
}

export function ResetPasswordForm({ token }: { token: string }) {
  const t = useTranslations("reset");
  const [state, action, pending] = useActionState<ResetState, FormData>(resetPasswordAction, {});
  if (state.done) {
    return (
      <p role="status">
        {t("done")}{" "}
        <Link href="/sign-in" className="underline">
          {t("signIn")}
        </Link>
      </p>
    );
  }
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <FormError message={state.error ? t(state.error === "weak_password" ? "weak" : "invalid") : undefined} />
      <input type="hidden" name="token" value={token} />
      <Field
        id="password"
        name="password"
        type="password"
        label={t("newPassword")}
        hint={t("hint")}
        autoComplete="new-password"
        required
      />
      <SubmitButton pending={pending}>{t("save")}</SubmitButton>
    </form>
  );
}
