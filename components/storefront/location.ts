import { cookies } from "next/headers";

/** The location the guest picked at this café (a cookie scoped to the café's path), if any. */
export const LOCATION_COOKIE = "zerno-location";
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function chosenLocationId(): Promise<string | undefined> {
  const value = (await cookies()).get(LOCATION_COOKIE)?.value;
  // Only the shape is checked here: the menu procedure ignores an id that is not this café's.
  return value && UUID.test(value) ? value : undefined;
}

/** The menu's language for the UI's locale: the café's texts in it where written ("ru" or "en"). */
export function menuLocale(locale: string): "ru" | "en" | undefined {
  const language = locale.slice(0, 2);
  return language === "ru" || language === "en" ? language : undefined;
}
