"use client";

import { useTranslations } from "next-intl";
import type { SignUpState } from "@/app/sign-up/actions";

/**
 * The words for a refused sign-up step: `message` for the field it names (or the form), and
 * `summary` for the alert on top, which names the field ("Check «Address»") so a screen reader
 * hears where to go. `labels` are the form's field labels by field name.
 */
export function useSignUpError(state: SignUpState, labels: Record<string, string>) {
  const t = useTranslations("signUp.errors");
  if (!state.error) return { summary: undefined, fieldError: () => undefined };
  const values = { minutes: state.minutes ?? 60, suggestion: state.suggestion ?? "" };
  const message = t.has(state.error) ? t(state.error, values) : t("generic");
  const label = state.field ? labels[state.field] : undefined;
  return {
    summary: label ? t("summary", { label, message }) : message,
    fieldError: (field: string) => (field === state.field ? message : undefined),
  };
}
