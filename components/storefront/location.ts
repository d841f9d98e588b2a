import { cookies } from "next/headers";

/** The location the guest picked at this café (a cookie scoped to the café's path), if any. */
export const LOCATION_COOKIE = "zerno-location";
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function chosenLocationId(): Promise<string | undefined> {
  const value = (await cookies()).get(LOCATION_COOKIE)?.value;
  // Only the shape is checked here: the menu procedure ignores an id that is not this café's.
  return value && UUID.test(value) ? value : undefined;
}
