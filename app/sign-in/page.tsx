import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PasswordForm } from "@/components/auth/sign-in-forms";
import { safeNextPath } from "@/server/auth/redirects";
import { titled } from "@/server/i18n/metadata";

export const generateMetadata = titled("signIn");

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const t = await getTranslations("auth");
  const signUp = await getTranslations("signUp");
  const next = safeNextPath((await searchParams).next);
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 p-6">
      <h1 className="text-2xl font-bold">{t("signInTitle")}</h1>
      <PasswordForm next={next} />
      <Link href="/forgot-password" className="underline">
        {t("forgotPassword")}
      </Link>
      <p>
        {signUp("noAccount")}{" "}
        <Link href="/sign-up" className="underline">
          {signUp("signUpLink")}
        </Link>
      </p>
    </main>
  );
}
