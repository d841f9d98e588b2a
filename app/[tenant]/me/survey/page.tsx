import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { CabinetNav } from "@/components/cabinet/cabinet-nav";
import { SurveyForm } from "@/components/cabinet/survey-form";
import { CABINET_NAMESPACES, IntlProvider } from "@/components/intl-provider";
import { cabinetPage } from "../cabinet-page";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ tenant: string }> };

/** The survey the guest is invited to (owner-defined questions); answering earns bonus points once. */
export default async function CabinetSurveyPage({ params }: Props) {
  const slug = (await params).tenant;
  const { tenant, cabinet } = await cabinetPage(slug, `/${slug}/me/survey`);
  const survey = await cabinet.survey();
  const t = await getTranslations("cabinet");
  return (
    <IntlProvider namespaces={CABINET_NAMESPACES}>
      <main id="main" className="mx-auto max-w-3xl px-4 pb-16">
        <CabinetNav tenant={tenant.slug} current="survey" />
        <h1 className="mt-4 text-2xl font-bold">{survey ? survey.title : t("survey.title")}</h1>
        {survey ? (
          <>
            <p className="mt-1">{t("survey.intro", { points: t("points", { count: survey.bonusPoints }) })}</p>
            <div className="mt-4 max-w-xl">
              <SurveyForm tenant={tenant.slug} survey={survey} />
            </div>
          </>
        ) : (
          <>
            <p className="mt-2">{t("survey.none")}</p>
            <Link href={`/${tenant.slug}/me`} className="mt-4 inline-block underline">
              {t("survey.back")}
            </Link>
          </>
        )}
      </main>
    </IntlProvider>
  );
}
