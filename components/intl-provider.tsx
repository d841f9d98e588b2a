import { NextIntlClientProvider } from "next-intl";
import { getMessages } from "next-intl/server";

/**
 * Hands client components the message namespaces of one part of the site only: every message
 * of every area on every page would weigh ~40 kB in each guest's page payload.
 */
export async function IntlProvider({ namespaces, children }: { namespaces: string[]; children: React.ReactNode }) {
  const messages = await getMessages();
  const picked = Object.fromEntries(
    namespaces.filter((name) => name in messages).map((name) => [name, messages[name]]),
  );
  return <NextIntlClientProvider messages={picked}>{children}</NextIntlClientProvider>;
}

/**
 * What the cabinet's forms use (claim, survey, profile). Only the pages with such forms hand them
 * out: the cabinet's front page, the one a guest opens at the till, gets its few texts as props.
 */
export const CABINET_NAMESPACES = ["common", "cabinet"];

/** What the back-office and staff sign-in pages' client components use. */
export const STAFF_NAMESPACES = [
  "common",
  "auth",
  "account",
  "invite",
  "reset",
  "dashboard",
  "board",
  "integrations",
  "staff",
  "audit",
  "stoplist",
  "signUp",
  "guestImport",
  "loyaltyRules",
  "locations",
  "menuEditor",
  "offers",
  "guestsInsight",
  "campaigns",
  "roi",
];
