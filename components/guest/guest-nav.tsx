import { getTranslations } from "next-intl/server";
import { currentGuestAccount } from "@/server/guest-auth/session";
import { SignInLink } from "./sign-in-link";

// Never wrapped: "Моя карта" on two lines doubles the header's height on a 390 px phone.
const PILL = "whitespace-nowrap rounded-full border border-espresso/30 px-3 py-1 text-sm font-medium hover:bg-white";

/** The header's way into the cabinet: "My card" when signed in, "Sign in" otherwise. */
export async function GuestNav({ tenant }: { tenant: string }) {
  const t = await getTranslations("guestAuth");
  const account = await currentGuestAccount();
  // Plain links, navigated in the app by LinkNavigation (app/[tenant]/layout.tsx).
  return account ? (
    <a href={`/${tenant}/me`} className={PILL}>
      {t("myCard")}
    </a>
  ) : (
    <SignInLink tenant={tenant} className={PILL}>
      {t("signIn")}
    </SignInLink>
  );
}
