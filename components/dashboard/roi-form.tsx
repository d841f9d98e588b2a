"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type RoiAssumptionsState, saveRoiAssumptionsAction } from "@/app/dashboard/[tenant]/roi/actions";
import { Field, FormError, SubmitButton } from "@/components/ui/field";

/** The owner's assumptions behind the ROI report; an empty money field means "take it from the data". */
export function RoiAssumptionsForm({
  tenant,
  currency,
  values,
}: {
  tenant: string;
  currency: string;
  values: { cogsPercent: number; pointCost: string; subscription: string; winbackPercent: number };
}) {
  const t = useTranslations("roi.page");
  const [state, action, pending] = useActionState<RoiAssumptionsState, FormData>(
    saveRoiAssumptionsAction.bind(null, tenant),
    {},
  );
  const error = state.error ? t("error") : undefined;
  const fieldError = (field: string) => (state.error === `field_${field}` ? t("error") : undefined);
  return (
    <form action={action} className="mt-3 flex max-w-md flex-col gap-4" noValidate>
      <FormError message={error} />
      {state.saved ? (
        <p role="status" className="rounded-lg bg-green-50 px-3 py-2 text-green-900">
          {t("saved")}
        </p>
      ) : null}
      <Field
        id="roi-cogs"
        name="cogsPercent"
        type="number"
        min={0}
        max={95}
        required
        label={t("cogsLabel")}
        defaultValue={values.cogsPercent}
        error={fieldError("cogsPercent")}
      />
      <Field
        id="roi-point-cost"
        name="pointCost"
        inputMode="decimal"
        label={t("pointCostLabel", { currency })}
        defaultValue={values.pointCost}
        error={fieldError("pointCostMinor")}
      />
      <Field
        id="roi-subscription"
        name="subscription"
        inputMode="decimal"
        label={t("subscriptionLabel", { currency })}
        defaultValue={values.subscription}
        error={fieldError("subscriptionMinor")}
      />
      <Field
        id="roi-winback"
        name="winbackPercent"
        type="number"
        min={0}
        max={100}
        required
        label={t("winbackLabel")}
        defaultValue={values.winbackPercent}
        error={fieldError("winbackPercent")}
      />
      <p className="text-sm text-espresso/80">{t("editHint")}</p>
      <SubmitButton pending={pending}>{pending ? t("saving") : t("save")}</SubmitButton>
    </form>
  );
}
