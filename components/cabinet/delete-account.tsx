"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type DeleteState, deleteAccountAction } from "@/app/[tenant]/me/actions";
import { FormError } from "@/components/ui/field";

/**
 * "Delete my account" in two steps: a disclosure (works without JavaScript and from the keyboard)
 * that explains what is lost, then a second, explicit button.
 */
export function DeleteAccount({ tenant, balance }: { tenant: string; balance: number }) {
  const t = useTranslations("cabinet.profile");
  const points = useTranslations("cabinet");
  const [state, action, pending] = useActionState<DeleteState, FormData>(deleteAccountAction.bind(null, tenant), {});
  return (
    <details className="rounded-lg border border-red-700/40 p-3">
      <summary className="cursor-pointer font-semibold text-red-800">{t("deleteOpen")}</summary>
      <form action={action} className="mt-3 flex flex-col gap-3">
        <FormError message={state.error ? t("deleteError") : undefined} />
        <p>{t("deleteWarning", { points: points("points", { count: Math.max(0, balance) }) })}</p>
        <input type="hidden" name="confirm" value="yes" />
        <div>
          <button
            type="submit"
            disabled={pending}
            className="rounded-lg bg-red-800 px-4 py-2 font-semibold text-white hover:bg-red-900 disabled:opacity-60"
          >
            {pending ? t("deleting") : t("deleteConfirm")}
          </button>
        </div>
      </form>
    </details>
  );
}
