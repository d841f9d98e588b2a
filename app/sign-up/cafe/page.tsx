import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { CafeForm } from "@/components/sign-up/cafe-form";
import { SignUpSteps } from "@/components/sign-up/steps";
import { twoFactorEnabled } from "@/server/auth/account";
import { currentStaffSession } from "@/server/auth/session";
import { publicUrl } from "@/server/env";
import { isLocale } from "@/server/i18n/locales";
import { titled } from "@/server/i18n/metadata";
import { CURRENCIES, DEFAULT_TIMEZONE, timeZones } from "@/server/signup/cafe";

export const generateMetadata = titled("signUpCafe");
export const dynamic = "force-dynamic";

const PATH = "/sign-up/cafe";

/** Sign-up, step three: the café and its first location. Only with 2FA on and this session verified. */
export default async function CafeStepPage() {
  const session = await currentStaffSession();
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(PATH)}`);
  if (!(await twoFactorEnabled(session.userId)) || session.mfa !== "verified") {
    redirect(`/account/two-factor?next=${encodeURIComponent(PATH)}`);
  }
  const t = await getTranslations("signUp");
  const locale = await getLocale();
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-2xl flex-col gap-6 p-6">
      <SignUpSteps current="cafe" />
      <h1 className="text-2xl font-bold">{t("cafeTitle")}</h1>
      <p>{t("cafeLead")}</p>
      <CafeForm
        currencies={[...CURRENCIES]}
        timeZones={timeZones()}
        defaultTimeZone={DEFAULT_TIMEZONE}
        defaultLocale={isLocale(locale) ? locale : "ru"}
        baseUrl={publicUrl()}
      />
    </main>
  );
}
