import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LocaleSwitcher } from "@/components/locale-switcher";
import { AccountForm } from "@/components/sign-up/account-form";
import { SignUpSteps } from "@/components/sign-up/steps";
import { currentStaffSession } from "@/server/auth/session";
import { titled } from "@/server/i18n/metadata";
import { TRIAL_DAYS } from "@/server/tenants/create";

export const generateMetadata = titled("signUp");
export const dynamic = "force-dynamic";

/** Sign-up, step one: the owner's account. Someone signed in goes on to the café step. */
export default async function SignUpPage() {
  if (await currentStaffSession()) redirect("/sign-up/cafe");
  const t = await getTranslations("signUp");
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-6 p-6">
      <div className="flex items-center justify-between gap-4">
        <SignUpSteps current="account" />
        <LocaleSwitcher />
      </div>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p>{t("lead", { days: TRIAL_DAYS })}</p>
      <AccountForm />
      <p>
        {t("haveAccount")}{" "}
        <Link href="/sign-in" className="underline">
          {t("signIn")}
        </Link>
      </p>
    </main>
  );
}
