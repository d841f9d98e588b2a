import { getTranslations } from "next-intl/server";
import { ResetPasswordForm } from "@/components/auth/reset-forms";
import { titled } from "@/server/i18n/metadata";

export const generateMetadata = titled("resetPassword");

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const t = await getTranslations("reset");
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 p-6">
      <h1 className="text-2xl font-bold">{t("newTitle")}</h1>
      <ResetPasswordForm token={(await searchParams).token ?? ""} />
    </main>
  );
}
