"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type ConfirmRulesState, confirmRulesAction } from "@/app/dashboard/[tenant]/loyalty/actions";
import { FormError } from "@/components/ui/field";

/** The owner confirms the loyalty rules as they are. */
export function ConfirmRulesForm({ tenant }: { tenant: string }) {
  const t = useTranslations("signUp.loyalty");
  const errors = useTranslations("signUp.errors");
  const [state, action, pending] = useActionState<ConfirmRulesState, FormData>(
    confirmRulesAction.bind(null, tenant),
    {},
  );
  return (
    <form action={action} className="flex flex-col items-start gap-2">
      <FormError message={state.error ? errors("generic") : undefined} />
      {state.done ? <p role="status">{t("confirmed")}</p> : null}
      <button
        type="submit"
        disabled={pending}
        className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema hover:bg-roast disabled:opacity-60"
      >
        {t("confirm")}
      </button>
    </form>
  );
}
