import { getTranslations } from "next-intl/server";
import { CabinetNav } from "@/components/cabinet/cabinet-nav";
import { ClaimForm } from "@/components/cabinet/claim-form";
import { CABINET_NAMESPACES, IntlProvider } from "@/components/intl-provider";
import { cabinetPage } from "../cabinet-page";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ tenant: string }> };

/** Adding a paper receipt by the fiscal QR string printed on it. */
export default async function CabinetClaimPage({ params }: Props) {
  const slug = (await params).tenant;
  const { tenant } = await cabinetPage(slug, `/${slug}/me/claim`);
  const t = await getTranslations("cabinet.claim");
  return (
    <IntlProvider namespaces={CABINET_NAMESPACES}>
      <main id="main" className="mx-auto max-w-3xl px-4 pb-16">
        <CabinetNav tenant={tenant.slug} current="claim" />
        <h1 className="mt-4 text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 max-w-prose">{t("intro")}</p>
        <div className="mt-4 max-w-xl">
          <ClaimForm tenant={tenant.slug} />
        </div>
      </main>
    </IntlProvider>
  );
}
