"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import {
  type CodesState,
  confirmEnrolmentAction,
  regenerateCodesAction,
  verifySessionAction,
} from "@/app/account/actions";
import { Field, FormError, SubmitButton } from "@/components/ui/field";

function useCodeError(state: CodesState) {
  const t = useTranslations("auth.errors");
  if (!state.error) return undefined;
  return state.error === "locked" ? t("locked", { minutes: 15 }) : t("invalid_code");
}

/** The recovery codes, shown once, right after they were made. */
export function RecoveryCodes({ codes, next }: { codes: string[]; next?: string }) {
  const t = useTranslations("auth");
  return (
    <section aria-labelledby="recovery-heading" className="flex flex-col gap-3">
      <h2 id="recovery-heading" className="text-xl font-semibold">
        {t("recoveryTitle")}
      </h2>
      <p>{t("recoveryLead")}</p>
      <ol className="grid grid-cols-2 gap-2 rounded-lg bg-white p-4 font-mono text-lg" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      {next ? (
        <Link href={next} className="self-start rounded-lg bg-espresso px-4 py-2 font-semibold text-crema">
          {t("savedContinue")}
        </Link>
      ) : null}
    </section>
  );
}

export function EnrolForm({ next }: { next: string }) {
  const t = useTranslations("auth");
  const [state, action, pending] = useActionState(confirmEnrolmentAction, {});
  const error = useCodeError(state);
  if (state.codes) return <RecoveryCodes codes={state.codes} next={next} />;
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <FormError message={error} />
      <Field id="code" name="code" label={t("enrolCode")} autoComplete="one-time-code" inputMode="numeric" required />
      <SubmitButton pending={pending}>{t("enable2fa")}</SubmitButton>
    </form>
  );
}

export function VerifySessionForm({ next }: { next: string }) {
  const t = useTranslations("auth");
  const [state, action, pending] = useActionState(verifySessionAction, {});
  const error = useCodeError(state);
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="next" value={next} />
      <FormError message={error} />
      <Field id="code" name="code" label={t("code")} hint={t("codeHint")} autoComplete="one-time-code" required />
      <SubmitButton pending={pending}>{t("confirm")}</SubmitButton>
    </form>
  );
}

export function RegenerateCodesForm() {
  const t = useTranslations("auth");
  const [state, action, pending] = useActionState(regenerateCodesAction, {});
  const error = useCodeError(state);
  if (state.codes) return <RecoveryCodes codes={state.codes} />;
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <FormError message={error} />
      <Field id="regenerate-code" name="code" label={t("code")} autoComplete="one-time-code" required />
      <SubmitButton pending={pending}>{t("regenerateCodes")}</SubmitButton>
    </form>
  );
}
