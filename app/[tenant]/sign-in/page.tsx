import { notFound, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { MagicLinkForm } from "@/components/guest/magic-link-form";
import { currentGuestAccount } from "@/server/guest-auth/session";
import { guestReturnPath } from "@/server/guest-auth/sign-in";
import { findTenantBySlug } from "@/server/tenants/queries";

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<{ next?: string; expired?: string }> };

/** The café's guest sign-in: an email, then a magic link. Signed-in guests go straight on. */
export default async function GuestSignInPage({ params, searchParams }: Props) {
  const tenant = await findTenantBySlug((await params).tenant);
  if (!tenant) notFound();
  const query = await searchParams;
  const next = guestReturnPath(tenant.slug, query.next);
  if (await currentGuestAccount()) redirect(next);
  const t = await getTranslations("guestAuth");
  return (
    <main id="main" className="mx-auto max-w-md px-4 py-8">
      <h1 className="text-2xl font-bold">{t("signInTitle")}</h1>
      {query.expired ? (
        <p role="alert" className="mt-4 rounded-lg border border-amber-700 bg-amber-50 px-3 py-2 text-amber-900">
          {t("linkExpired")}
        </p>
      ) : null}
      <p className="mt-2 text-espresso/80">{t("signInIntro", { cafe: tenant.name })}</p>
      <div className="mt-6">
        <MagicLinkForm tenant={tenant.slug} next={next} />
      </div>
    </main>
  );
}
