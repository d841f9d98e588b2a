"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type AcceptState, acceptInvitationAction } from "@/app/invite/[tenant]/[token]/actions";
import { Field, FormError, SubmitButton } from "@/components/ui/field";
import { useSubmitKeepingValues } from "@/components/ui/keep-values";

export function AcceptInvitationForm({
  tenant,
  token,
  newAccount,
}: {
  tenant: string;
  token: string;
  newAccount: boolean;
}) {
  const t = useTranslations("invite");
  const [state, action, pending] = useActionState<AcceptState, FormData>(
    acceptInvitationAction.bind(null, tenant, token),
    {},
  );
  const errors = useTranslations("invite.errors");
  const error = state.error ? (errors.has(state.error) ? errors(state.error) : errors("generic")) : undefined;
  const submit = useSubmitKeepingValues(action);
  return (
    <form action={action} onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <FormError message={error} />
      {newAccount ? (
        <>
          <Field id="name" name="name" label={t("name")} autoComplete="name" required />
          <Field
            id="new-password"
            name="password"
            type="password"
            label={t("password")}
            hint={t("passwordHint")}
            autoComplete="new-password"
            minLength={10}
            required
          />
        </>
      ) : null}
      <SubmitButton pending={pending}>{t("accept")}</SubmitButton>
    </form>
  );
}
