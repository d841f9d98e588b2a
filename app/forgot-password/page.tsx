import { getTranslations } from "next-intl/server";
import { RequestResetForm } from "@/components/auth/reset-forms";
import { titled } from "@/server/i18n/metadata";

export const generateMetadata = titled("forgotPassword");

export default async function ForgotPasswordPage() {
  const t = await getTranslations("reset");
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 p-6">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p>{t("lead")}</p>
      <RequestResetForm />
    </main>
  );
}
