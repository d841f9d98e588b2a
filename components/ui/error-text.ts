"use client";

import { useTranslations } from "next-intl";

/**
 * The words for an action's error code from `<namespace>.errors`: its own message, else for a
 * refused field (`field_<name>`) the namespace's `invalid_request`, else its `generic` one.
 */
export function useErrorText(namespace: "integrations" | "staff", code: string | undefined): string | undefined {
  const t = useTranslations(`${namespace}.errors`);
  if (!code) return undefined;
  if (t.has(code)) return t(code);
  return code.startsWith("field_") ? t("invalid_request") : t("generic");
}
