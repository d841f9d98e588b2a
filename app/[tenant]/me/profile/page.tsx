import { getTranslations } from "next-intl/server";
import { CabinetNav } from "@/components/cabinet/cabinet-nav";
import { DeleteAccount } from "@/components/cabinet/delete-account";
import { ProfileForm } from "@/components/cabinet/profile-form";
import { CABINET_NAMESPACES, IntlProvider } from "@/components/intl-provider";
import { signOutEverywhereAction } from "../actions";
import { cabinetPage } from "../cabinet-page";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ tenant: string }> };

/** The guest's profile, "download my data" and "delete my account". */
export default async function CabinetProfilePage({ params }: Props) {
  const slug = (await params).tenant;
  const { tenant, guest, cabinet } = await cabinetPage(slug, `/${slug}/me/profile`);
  const profile = await cabinet.profile();
  const t = await getTranslations("cabinet.profile");
  return (
    <IntlProvider namespaces={CABINET_NAMESPACES}>
      <main id="main" className="mx-auto max-w-3xl px-4 pb-16">
        <CabinetNav tenant={tenant.slug} current="profile" />
        <h1 className="mt-4 text-2xl font-bold">{t("title")}</h1>
        <div className="mt-4 max-w-xl">
          <ProfileForm tenant={tenant.slug} profile={profile} />
        </div>
        <section aria-labelledby="data-heading" className="mt-10 max-w-xl">
          <h2 id="data-heading" className="text-xl font-semibold">
            {t("dataHeading")}
          </h2>
          <p className="mt-1">{t("exportIntro")}</p>
          {/* A POST from this page (the answer is a download): a link from elsewhere cannot start an audited export. */}
          <form method="post" action={`/${tenant.slug}/me/export`} className="mt-3">
            <button
              type="submit"
              className="rounded-lg border border-espresso/40 bg-white px-4 py-2 font-semibold hover:bg-crema"
            >
              {t("export")}
            </button>
          </form>
        </section>
        <section aria-labelledby="sessions-heading" className="mt-10 max-w-xl">
          <h2 id="sessions-heading" className="text-xl font-semibold">
            {t("sessionsHeading")}
          </h2>
          <p className="mt-1">{t("sessionsIntro")}</p>
          <form action={signOutEverywhereAction.bind(null, tenant.slug)} className="mt-3">
            <button
              type="submit"
              className="rounded-lg border border-espresso/40 bg-white px-4 py-2 font-semibold hover:bg-crema"
            >
              {t("signOutEverywhere")}
            </button>
          </form>
        </section>
        <section aria-labelledby="delete-heading" className="mt-10 max-w-xl">
          <h2 id="delete-heading" className="text-xl font-semibold">
            {t("deleteHeading")}
          </h2>
          <p className="mt-1">{t("deleteIntro")}</p>
          <div className="mt-3">
            <DeleteAccount tenant={tenant.slug} balance={guest.balance} />
          </div>
        </section>
      </main>
    </IntlProvider>
  );
}
