/** The role the app connects as: no BYPASSRLS, so row-level security holds (created by migration 0001). */
export const APP_ROLE = "zerno_app";

/** Same server and database as the admin URL, connecting as the `zerno_app` role. */
export function deriveAppUrl(adminUrl: string, password: string): string {
  const url = new URL(adminUrl);
  url.username = APP_ROLE;
  url.password = password;
  return url.toString();
}
