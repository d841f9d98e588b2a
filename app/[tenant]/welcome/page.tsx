import { notFound, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { WelcomeForm } from "@/components/guest/welcome-form";
import { guestSignInPath, guestWelcome } from "@/server/guest-auth/guard";
import { currentGuestAccount } from "@/server/guest-auth/session";
import { guestReturnPath } from "@/server/guest-auth/sign-in";
import { findTenantBySlug } from "@/server/tenants/queries";

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<{ next?: string }> };

/** First visit of a signed-in email to this café: name, phone and consent, once. */
export default async function WelcomePage({ params, searchParams }: Props) {
  const tenant = await findTenantBySlug((await params).tenant);
  if (!tenant) notFound();
  const next = guestReturnPath(tenant.slug, (await searchParams).next);
  const account = await currentGuestAccount();
  if (!account) redirect(guestSignInPath(tenant.slug, next));
  const { guest, welcomeBonus } = await guestWelcome(tenant.id, account.email);
  if (guest) redirect(next);
  const t = await getTranslations("guestAuth");
  return (
    <main id="main" className="mx-auto max-w-md px-4 py-8">
      <h1 className="text-2xl font-bold">{t("welcomeTitle", { cafe: tenant.name })}</h1>
      <p className="mt-2 text-espresso/80">
        {welcomeBonus > 0 ? t("welcomeIntroBonus", { points: welcomeBonus }) : t("welcomeIntro")}
      </p>
      <p className="mt-1 text-sm text-espresso/80">{t("signedInAs", { email: account.email })}</p>
      <div className="mt-6">
        <WelcomeForm tenant={tenant.slug} cafe={tenant.name} next={next} />
      </div>
    </main>
  );
}
