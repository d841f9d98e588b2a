import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { EnrolForm, VerifySessionForm } from "@/components/auth/two-factor-forms";
import { twoFactorSetup } from "@/server/auth/account";
import { safeNextPath } from "@/server/auth/redirects";
import { currentStaffSession } from "@/server/auth/session";
import { titled } from "@/server/i18n/metadata";

export const generateMetadata = titled("twoFactor");
export const dynamic = "force-dynamic";

/** Enrolment when the account has no 2FA yet; otherwise verification of this session. */
export default async function TwoFactorPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeNextPath((await searchParams).next);
  const session = await currentStaffSession();
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(next)}`);
  const t = await getTranslations("auth");
  const setup = await twoFactorSetup(session.userId);
  if (setup.enabled) {
    if (session.mfa === "verified") redirect(next);
    return (
      <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-6 p-6">
        <h1 className="text-2xl font-bold">{t("codeTitle")}</h1>
        <VerifySessionForm next={next} />
      </main>
    );
  }
  const { enrolment } = setup;
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-6 p-6">
      <h1 className="text-2xl font-bold">{t("enrolTitle")}</h1>
      <p>{t("enrolLead")}</p>
      {/* biome-ignore lint/performance/noImgElement: a data-URL QR code needs no image optimisation */}
      <img src={enrolment.qrDataUrl} alt={t("qrAlt")} width={220} height={220} className="rounded-lg bg-white p-2" />
      <p>
        {t("secretLabel")}{" "}
        <code className="break-all rounded bg-white px-2 py-1 font-mono" data-testid="totp-secret">
          {enrolment.secret}
        </code>
      </p>
      <EnrolForm next={next} />
    </main>
  );
}
