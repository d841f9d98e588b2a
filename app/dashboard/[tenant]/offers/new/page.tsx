import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { OfferForm } from "@/components/dashboard/offer-forms";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("offers");

export const dynamic = "force-dynamic";

/** A new offer: every field of the contract, products and categories picked from the menu. */
export default async function NewOfferPage({ params }: { params: Promise<{ tenant: string }> }) {
  const slug = (await params).tenant;
  const staff = await requireStaffPage(slug, "offers.manage", `/dashboard/${slug}/offers/new`);
  const t = await getTranslations("offers");
  const choices = await (await serverCaller(slug)).offers.choices();
  return (
    <>
      <Link href={`/dashboard/${slug}/offers`} className="underline">
        {t("backToList")}
      </Link>
      <h1 className="mt-2 text-2xl font-bold">{t("form.createTitle")}</h1>
      <div className="mt-4">
        <OfferForm tenant={slug} choices={choices} cafeLocale={staff.tenant.locale} />
      </div>
    </>
  );
}
