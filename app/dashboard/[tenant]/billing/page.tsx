import { getLocale, getTranslations } from "next-intl/server";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("billing");

export const dynamic = "force-dynamic";

/** The café's Zerno subscription (owner only). */
export default async function BillingPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  await requireStaffPage(slug, "billing.manage", `/dashboard/${slug}/billing`);
  const t = await getTranslations("billing");
  const subscription = await (await serverCaller(slug)).billing.status();
  const dates = new Intl.DateTimeFormat(await getLocale(), { dateStyle: "long", timeZone: "UTC" });
  const date = (value: Date | null) => (value ? dates.format(value) : "—");
  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      {subscription ? (
        <dl className="mt-4 grid max-w-md grid-cols-[auto_1fr] gap-x-6 gap-y-2">
          <dt className="font-medium">{t("plan")}</dt>
          <dd>{subscription.plan.charAt(0).toUpperCase() + subscription.plan.slice(1)}</dd>
          <dt className="font-medium">{t("status")}</dt>
          <dd>{t(`statuses.${subscription.status}`)}</dd>
          <dt className="font-medium">{t("trialEnds")}</dt>
          <dd>{date(subscription.trialEndsAt)}</dd>
          <dt className="font-medium">{t("periodEnds")}</dt>
          <dd>{date(subscription.currentPeriodEnd)}</dd>
        </dl>
      ) : (
        <p className="mt-4">{t("none")}</p>
      )}
      <p className="mt-6 max-w-xl rounded-lg bg-crema p-3">{t("paymentsLater")}</p>
    </>
  );
}
