"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type AdjustPointsState, adjustPointsAction } from "@/app/dashboard/[tenant]/guests/[id]/actions";
import { Field, FormError, SubmitButton } from "@/components/ui/field";
import { useFormKeepingValues } from "@/components/ui/keep-values";

/** A manual points adjustment with its required reason (owner, manager); the field at fault is named. */
export function AdjustPointsForm({ tenant, guestId, balance }: { tenant: string; guestId: string; balance: number }) {
  const t = useTranslations("guestsInsight.adjust");
  const [state, action, pending] = useActionState<AdjustPointsState, FormData>(
    adjustPointsAction.bind(null, tenant, guestId),
    {},
  );
  const keeping = useFormKeepingValues(action, state.balance !== undefined ? state : false);
  const code = state.error;
  const key = `errors.${code}` as "errors.generic";
  const message = code ? (t.has(key) ? t(key) : t("errors.generic")) : undefined;
  const field = code?.startsWith("field_") ? code.slice("field_".length) : code === "balance_too_low" ? "delta" : null;
  return (
    <form action={action} {...keeping} className="flex max-w-md flex-col gap-3" noValidate aria-label={t("title")}>
      <FormError message={message} />
      <input type="hidden" name="expectedBalance" value={balance} />
      {state.balance !== undefined && !code ? (
        <p role="status" className="rounded-lg bg-green-50 px-3 py-2 text-green-900">
          {t("done", { balance: state.balance })}
        </p>
      ) : null}
      <Field
        id="adjust-delta"
        name="delta"
        inputMode="numeric"
        label={t("delta")}
        required
        error={field === "delta" ? message : undefined}
      />
      <Field
        id="adjust-reason"
        name="reason"
        label={t("reason")}
        hint={t("reasonHint")}
        required
        minLength={3}
        maxLength={500}
        error={field === "reason" ? message : undefined}
      />
      <SubmitButton pending={pending}>{t("submit")}</SubmitButton>
    </form>
  );
}
