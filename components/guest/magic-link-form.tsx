"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type MagicLinkState, requestMagicLinkAction } from "@/app/[tenant]/sign-in/actions";
import { Field, FormError, SubmitButton } from "@/components/ui/field";
import { useSubmitKeepingValues } from "@/components/ui/keep-values";

const KNOWN_ERRORS = ["invalid_email", "too_many_links"];

export function MagicLinkForm({ tenant, next }: { tenant: string; next: string }) {
  const t = useTranslations("guestAuth");
  const [state, action, pending] = useActionState<MagicLinkState, FormData>(requestMagicLinkAction, {});
  const submit = useSubmitKeepingValues(action);
  if (state.sent) {
    return (
      <div role="status" className="rounded-xl bg-white p-4 shadow-sm">
        <p className="font-semibold">{t("linkSentTitle")}</p>
        <p className="mt-1">{t("linkSent", { email: state.sent })}</p>
      </div>
    );
  }
  const error = state.error
    ? t(`errors.${KNOWN_ERRORS.includes(state.error) ? state.error : "generic"}`, {
        minutes: Math.ceil((state.retryAfter ?? 60) / 60),
      })
    : undefined;
  return (
    <form action={action} onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <FormError message={error} />
      <input type="hidden" name="tenant" value={tenant} />
      <input type="hidden" name="next" value={next} />
      <Field id="email" name="email" type="email" label={t("email")} autoComplete="email" inputMode="email" required />
      <SubmitButton pending={pending}>{pending ? t("sending") : t("sendLink")}</SubmitButton>
      <p className="text-sm text-espresso/80">{t("noPassword")}</p>
    </form>
  );
}
