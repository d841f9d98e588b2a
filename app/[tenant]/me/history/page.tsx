import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { CabinetNav } from "@/components/cabinet/cabinet-nav";
import { HistoryList } from "@/components/cabinet/history-list";
import { cabinetPage } from "../cabinet-page";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 20;

type Props = { params: Promise<{ tenant: string }>; searchParams: Promise<{ cursor?: string | string[] }> };

/** The guest's history across channels, newest first, one page per cursor (works without JavaScript). */
export default async function CabinetHistoryPage({ params, searchParams }: Props) {
  const slug = (await params).tenant;
  const { tenant, cabinet } = await cabinetPage(slug, `/${slug}/me/history`);
  const raw = (await searchParams).cursor;
  const cursor = typeof raw === "string" && raw ? raw : null;
  const page = await cabinet.history({ cursor, limit: PAGE_SIZE }).catch((error: unknown) => {
    // A cursor edited by hand: start again from the newest.
    if (error instanceof TRPCError && error.code === "BAD_REQUEST") redirect(`/${tenant.slug}/me/history`);
    throw error;
  });
  const t = await getTranslations("cabinet.historyPage");
  const format = {
    currency: tenant.currency,
    moneyLocale: await getLocale(),
    uiLocale: await getLocale(),
    timeZone: tenant.timezone,
  };
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 pb-16">
      <CabinetNav tenant={tenant.slug} current="history" />
      <h1 className="mt-4 text-2xl font-bold">{t("title")}</h1>
      <p className="mt-1 text-espresso/80">{t("intro")}</p>
      <div className="mt-4">
        {page.items.length === 0 ? <p>{t("empty")}</p> : <HistoryList items={page.items} format={format} />}
      </div>
      {cursor || page.nextCursor ? (
        <nav aria-label={t("pages")} className="mt-4 flex flex-wrap gap-3">
          {cursor ? (
            <Link
              href={`/${tenant.slug}/me/history`}
              className="rounded-lg border border-espresso/30 px-4 py-2 font-semibold"
            >
              {t("newest")}
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link
              href={`/${tenant.slug}/me/history?cursor=${encodeURIComponent(page.nextCursor)}`}
              className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema"
            >
              {t("more")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </main>
  );
}
