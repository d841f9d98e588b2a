import { getTranslations } from "next-intl/server";
import { CodeForm } from "@/components/auth/sign-in-forms";
import { safeNextPath } from "@/server/auth/redirects";
import { titled } from "@/server/i18n/metadata";

export const generateMetadata = titled("signInCode");

export default async function SignInCodePage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const t = await getTranslations("auth");
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 p-6">
      <h1 className="text-2xl font-bold">{t("codeTitle")}</h1>
      <p>{t("codeLead")}</p>
      <CodeForm next={safeNextPath((await searchParams).next)} />
    </main>
  );
}
