"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type ResendState, resendConfirmationAction } from "@/app/sign-up/actions";
import { FormError } from "@/components/ui/field";

/** "Send the confirmation mail again" (three times an hour). */
export function ResendConfirmationForm() {
  const t = useTranslations("signUp.resend");
  const errors = useTranslations("signUp.errors");
  const [state, action, pending] = useActionState<ResendState, FormData>(resendConfirmationAction, {});
  const error = state.error
    ? errors.has(state.error)
      ? errors(state.error, { minutes: state.minutes ?? 60, suggestion: "" })
      : errors("generic")
    : undefined;
  return (
    <form action={action} className="flex flex-col items-start gap-2">
      <FormError message={error} />
      {state.sent || state.alreadyConfirmed ? (
        <p role="status">{state.sent ? t("sent") : t("alreadyConfirmed")}</p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="rounded-lg border-2 border-espresso px-3 py-1 font-semibold disabled:opacity-60"
      >
        {t("button")}
      </button>
    </form>
  );
}
