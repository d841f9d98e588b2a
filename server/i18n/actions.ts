"use server";

import { cookies } from "next/headers";
import { requireForm } from "@/server/action-args";
import { isLocale, LOCALE_COOKIE } from "./locales";

/** Remembers the visitor's UI language for a year. */
export async function setLocale(formData: FormData) {
  requireForm(formData);
  const locale = formData.get("locale");
  if (!isLocale(locale)) return;
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 60 * 60 * 24 * 365, sameSite: "lax" });
}
