import { getTranslations } from "next-intl/server";
import { currentGuestAccount } from "@/server/guest-auth/session";

/** The header's way into the cabinet: "My card" when signed in, "Sign in" otherwise. */
export async function GuestNav({ tenant }: { tenant: string }) {
  const t = await getTranslations("guestAuth");
  const account = await currentGuestAccount();
  return (
    // A plain link, navigated in the app by LinkNavigation (app/[tenant]/layout.tsx).
    <a
      href={account ? `/${tenant}/me` : `/${tenant}/sign-in`}
      className="rounded-full border border-espresso/30 px-3 py-1 text-sm font-medium hover:bg-white"
    >
      {account ? t("myCard") : t("signIn")}
    </a>
  );
}
