import { headers } from "next/headers";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ResendConfirmationForm } from "@/components/sign-up/resend-confirmation";
import { currentStaffSession } from "@/server/auth/session";
import { AppError } from "@/server/errors";
import { clientIp } from "@/server/http";
import { titled } from "@/server/i18n/metadata";
import { confirmEmailByLink } from "@/server/signup/steps";

export const generateMetadata = titled("signUpVerify");
export const dynamic = "force-dynamic";

/** The link from the confirmation mail: `?token=…` confirms the owner's email (once; again is harmless). */
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const token = String((await searchParams).token ?? "").slice(0, 2000);
  const t = await getTranslations("signUp.verify");
  let confirmed = false;
  try {
    await confirmEmailByLink({ token, ip: clientIp(await headers()) });
    confirmed = true;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
  }
  const session = confirmed ? null : await currentStaffSession();
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-6 p-6">
      <h1 className="text-2xl font-bold">{confirmed ? t("doneTitle") : t("invalidTitle")}</h1>
      <p>{confirmed ? t("doneText") : t("invalidText")}</p>
      {confirmed ? (
        <Link href="/dashboard" className="self-start rounded-lg bg-espresso px-4 py-2 font-semibold text-crema">
          {t("toDashboard")}
        </Link>
      ) : session ? (
        <ResendConfirmationForm />
      ) : (
        <Link href={`/sign-in?next=${encodeURIComponent("/dashboard")}`} className="underline">
          {t("signInToResend")}
        </Link>
      )}
    </main>
  );
}
