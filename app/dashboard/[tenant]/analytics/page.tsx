import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { CommentList, SurveyAnswers } from "@/components/dashboard/insight/survey";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("analytics");

export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The guests' survey answers summed up and every comment, newest first, ten to a page. */
export default async function SurveyAnswersPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Search>;
}) {
  const slug = (await params).tenant;
  const base = `/dashboard/${slug}/analytics`;
  const staff = await requireStaffPage(slug, "analytics.read", base);
  const t = await getTranslations("dashboardInsight.survey");
  const tf = await getTranslations("dashboardInsight.filters");
  const locale = await getLocale();
  const search = await searchParams;
  const caller = await serverCaller(slug);
  const scope = await caller.analytics.scope();
  const asked = one(search.location);
  const locationId = scope.locations.find((location) => location.id === asked)?.id ?? null;
  const requestedPage = Number.parseInt(one(search.page) ?? "1", 10);
  const [surveys, comments] = await Promise.all([
    caller.analytics.survey({ locationId }),
    caller.analytics.comments({
      locationId,
      page: Number.isSafeInteger(requestedPage) && requestedPage > 0 ? Math.min(requestedPage, 1_000_000) : 1,
    }),
  ]);
  const pageHref = (page: number) => {
    const query = new URLSearchParams({ page: String(page) });
    if (locationId) query.set("location", locationId);
    return `${base}?${query}`;
  };
  const limited = staff.locationIds.length > 0;
  return (
    <>
      <p>
        <Link href={`/dashboard/${slug}${locationId ? `?location=${locationId}` : ""}`} className="underline">
          {t("back")}
        </Link>
      </p>
      <h1 className="mt-2 text-2xl font-bold">{t("title")}</h1>
      {scope.locations.length > 1 || !limited ? (
        <form method="get" action={base} className="mt-3 flex flex-wrap items-end gap-3">
          <label className="flex flex-col text-sm">
            {tf("location")}
            <select
              name="location"
              defaultValue={locationId ?? ""}
              className="rounded border border-espresso/30 px-2 py-1"
            >
              <option value="">{tf("allLocations")}</option>
              {scope.locations.map((location) => (
                <option key={location.id} value={location.id}>
                  {location.archived ? tf("archived", { name: location.name }) : location.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="rounded bg-espresso px-4 py-1.5 font-semibold text-white">
            {tf("show")}
          </button>
        </form>
      ) : (
        <p className="mt-2">{tf("onlyLocation", { name: scope.locations[0]?.name ?? "" })}</p>
      )}
      {surveys.length === 0 ? <p className="mt-4">{t("none")}</p> : null}
      {surveys.map((survey) => (
        <SurveyAnswers key={survey.id} survey={survey} locale={locale} />
      ))}
      <section aria-labelledby="comments-heading" className="mt-8">
        <h2 id="comments-heading" className="text-lg font-semibold">
          {t("comments")} <span className="font-normal">({comments.total})</span>
        </h2>
        <CommentList slug={slug} comments={comments.comments} timeZone={staff.tenant.timezone} />
        {comments.pages > 1 ? (
          <nav aria-label={t("pages")} className="mt-4 flex items-center gap-4">
            {comments.page > 1 ? (
              <Link href={pageHref(comments.page - 1)} className="underline">
                {t("newer")}
              </Link>
            ) : null}
            <span>{t("page", { page: comments.page, pages: comments.pages })}</span>
            {comments.page < comments.pages ? (
              <Link href={pageHref(comments.page + 1)} className="underline">
                {t("older")}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </>
  );
}
