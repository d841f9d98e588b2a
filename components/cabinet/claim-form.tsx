"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type ClaimState, claimAction } from "@/app/[tenant]/me/actions";
import { FormError, SubmitButton } from "@/components/ui/field";
import { useFormKeepingValues } from "@/components/ui/keep-values";

/** Paste the fiscal QR string of a paper receipt; the result or why it cannot be added. */
export function ClaimForm({ tenant }: { tenant: string }) {
  const t = useTranslations("cabinet.claim");
  const points = useTranslations("cabinet");
  const [state, action, pending] = useActionState<ClaimState, FormData>(claimAction.bind(null, tenant), {});
  // A refused receipt keeps the pasted string (to correct it); a claimed one empties the field.
  const keeping = useFormKeepingValues(action, state.claimed ? state : false);
  const error = state.error ? (t.has(`errors.${state.error}`) ? t(`errors.${state.error}`) : t("errors.generic")) : "";
  return (
    <form action={action} {...keeping} className="flex flex-col gap-4" noValidate>
      <FormError message={error} />
      {state.claimed ? (
        <p role="status" className="rounded-lg bg-green-50 px-3 py-2 text-green-900">
          {t("success", {
            points: points("pointsSigned", { sign: "+", count: state.claimed.pointsEarned }),
            balance: points("points", { count: state.claimed.balance }),
          })}
        </p>
      ) : null}
      <div className="flex flex-col gap-1">
        <label htmlFor="claim-qr" className="font-medium">
          {t("label")}
        </label>
        <textarea
          id="claim-qr"
          name="qr"
          required
          rows={3}
          maxLength={500}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          aria-describedby="claim-qr-hint"
          aria-invalid={state.error ? true : undefined}
          className="rounded-lg border border-espresso/40 bg-white px-3 py-2 font-mono text-base"
        />
        <p id="claim-qr-hint" className="break-all text-sm text-espresso/80">
          {t("hint")}
        </p>
      </div>
      <div>
        <SubmitButton pending={pending}>{pending ? t("submitting") : t("submit")}</SubmitButton>
      </div>
    </form>
  );
}
