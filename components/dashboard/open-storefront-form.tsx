"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type OpenStorefrontState, openStorefrontAction } from "@/app/dashboard/[tenant]/actions";
import { FormError } from "@/components/ui/field";

/** "Open the storefront" (owner); refused with a clear message until the owner's email is confirmed. */
export function OpenStorefrontForm({ tenant }: { tenant: string }) {
  const t = useTranslations("signUp.checklist");
  const errors = useTranslations("signUp.errors");
  const [state, action, pending] = useActionState<OpenStorefrontState, FormData>(
    openStorefrontAction.bind(null, tenant),
    {},
  );
  const error = state.error ? (errors.has(state.error) ? errors(state.error) : errors("generic")) : undefined;
  return (
    <form action={action} className="flex flex-col items-start gap-2">
      <FormError message={error} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-lg bg-espresso px-3 py-1 font-semibold text-crema hover:bg-roast disabled:opacity-60"
      >
        {t("openStorefront")}
      </button>
    </form>
  );
}
