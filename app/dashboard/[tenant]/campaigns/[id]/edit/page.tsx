import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import {
  CampaignForm,
  type CampaignFormValues,
  CampaignStatusForm,
  LaunchForm,
  TestSendForm,
} from "@/components/dashboard/campaign-forms";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { CAMPAIGN_KINDS, type CampaignKind, type CampaignPreview } from "@/server/campaigns/manage";
import { serverCaller } from "@/server/trpc/server-caller";
import { filterInWords } from "../../filter-words";

export const generateMetadata = sectionMetadata("campaigns");

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ tenant: string; id: string }>;
  /** `guest`: the card number or phone of the guest to preview for. */
  searchParams: Promise<{ guest?: string | string[] }>;
};

/** "YYYY-MM-DDTHH:MM" on the café's clock (a datetime-local field's value). */
function wallClock(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** One campaign: its settings, a preview for a real guest, a test to oneself, launch and the rest. */
export default async function CampaignPage({ params, searchParams }: Props) {
  const { tenant: slug, id } = await params;
  const base = `/dashboard/${slug}/campaigns`;
  const staff = await requireStaffPage(slug, "campaigns.manage", `${base}/${id}/edit`);
  const asked = (await searchParams).guest;
  // One value, of a length a guest's card, phone or name can have (?guest=a&guest=b takes the first).
  const chosen = (Array.isArray(asked) ? asked[0] : asked)?.trim().slice(0, 200) || undefined;
  const t = await getTranslations("campaigns");
  const locale = await getLocale();
  const caller = await serverCaller(slug);
  const campaign = await caller.campaigns.get({ campaignId: id }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  });
  let preview: CampaignPreview = { guest: null, message: null };
  let previewError = false;
  try {
    preview = await caller.campaigns.preview({ campaignId: id, identifier: chosen });
  } catch (error) {
    if (!(error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST"))) throw error;
    previewError = true;
  }
  const kind: CampaignKind = CAMPAIGN_KINDS.find((known) => known === campaign.kind) ?? "one_off";
  const filter = campaign.audience?.directoryFilter ?? {};
  const launched = campaign.launchedAt !== null;
  const finished = campaign.status === "finished";
  const initial: CampaignFormValues = {
    kind,
    name: campaign.name,
    subject: campaign.subject,
    body: campaign.body,
    bonusPoints: String(campaign.bonusPoints),
    bonusExpiresDays: campaign.bonusExpiresDays === null ? "" : String(campaign.bonusExpiresDays),
    daysBefore: campaign.daysBefore === null ? "" : String(campaign.daysBefore),
    holdoutPercent: String(campaign.holdoutPercent),
    windowDays: String(campaign.windowDays),
    audience: campaign.audience?.directoryFilter ? "filter" : (campaign.audience?.segment ?? "sleeping"),
    filter,
    scheduledAt: campaign.scheduledAt ? wallClock(campaign.scheduledAt, staff.tenant.timezone) : "",
  };
  const when = new Intl.DateTimeFormat(locale, {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: staff.tenant.timezone,
  });
  const counts = [
    ["sent", campaign.counts.sent],
    ["queued", campaign.counts.queued],
    ["heldOut", campaign.counts.heldOut],
    ["skipped", campaign.counts.skipped],
    ["failed", campaign.counts.failed],
  ] as const;
  const statusActions: ("pause" | "resume" | "archive")[] =
    campaign.status === "running" || campaign.status === "scheduled"
      ? ["pause", "archive"]
      : campaign.status === "paused"
        ? ["resume", "archive"]
        : campaign.status === "draft"
          ? ["archive"]
          : [];
  return (
    <>
      <Link href={base} className="underline">
        {t("form.backToList")}
      </Link>
      <h1 className="mt-2 text-2xl font-bold">{t("form.editTitle", { name: campaign.name })}</h1>
      <p className="mt-1">
        {t(`kinds.${kind}`)} · {t(`statuses.${campaign.status}`)}
        {" · "}
        <Link href={`${base}/${campaign.id}`} className="underline">
          {t("results")}
        </Link>
      </p>

      <section aria-labelledby="campaign-summary" className="mt-4">
        <h2 id="campaign-summary" className="sr-only">
          {t("summary.title")}
        </h2>
        <dl className="flex flex-wrap gap-6" data-testid="campaign-counts">
          {counts.map(([key, value]) => (
            <div key={key}>
              <dt className="text-sm text-espresso/80">{t(`summary.${key}`)}</dt>
              <dd className="text-xl font-semibold tabular-nums" data-count={key}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <div className="mt-6 grid gap-8 xl:grid-cols-2">
        <div>
          {launched && !finished ? (
            <p className="mb-4 max-w-2xl rounded-lg bg-crema p-3 text-sm">{t("form.fixedOnceLaunched")}</p>
          ) : null}
          {finished ? null : (
            <CampaignForm
              tenant={slug}
              campaignId={campaign.id}
              initial={initial}
              launched={launched}
              filterSummary={
                Object.keys(filter).length > 0
                  ? t("form.filterSummary", { filter: await filterInWords(filter) })
                  : undefined
              }
            />
          )}
        </div>

        <section aria-labelledby="campaign-preview" className="rounded-xl border border-espresso/15 p-4">
          <h2 id="campaign-preview" className="text-lg font-semibold">
            {t("preview.title")}
          </h2>
          <p className="mt-1 text-sm text-espresso/80">{t("preview.lead")}</p>
          {previewError ? (
            <p role="alert" className="mt-3 rounded-lg border border-red-700 bg-red-50 px-3 py-2 text-red-800">
              {t("preview.notFound")}
            </p>
          ) : null}
          {preview.guest && preview.message ? (
            <div className="mt-3" data-testid="campaign-preview">
              <p className="text-sm">
                {t("preview.guest", { name: preview.guest.name ?? t("preview.unnamed") })}
                {" · "}
                {preview.guest.favourite
                  ? t("preview.favourite", { product: preview.guest.favourite })
                  : t("preview.noFavourite")}
                {preview.guest.segment
                  ? ` · ${t("preview.segment", { segment: t(`segments.${preview.guest.segment as "sleeping"}`) })}`
                  : ""}
              </p>
              <h3 className="mt-3 text-sm font-semibold">{t("preview.subject")}</h3>
              <p className="font-semibold">{preview.message.subject}</p>
              <h3 className="mt-3 text-sm font-semibold">{t("preview.text")}</h3>
              <pre className="mt-1 whitespace-pre-wrap break-words rounded-lg bg-crema p-3 font-sans text-sm">
                {preview.message.text}
              </pre>
              <details className="mt-3">
                <summary className="cursor-pointer text-sm font-semibold text-roast">{t("preview.html")}</summary>
                {/* sandbox="" — no scripts, forms or navigation from the rendered mail. */}
                <iframe
                  title={t("preview.htmlFrame", { subject: preview.message.subject })}
                  srcDoc={preview.message.html}
                  sandbox=""
                  className="mt-2 h-[28rem] w-full rounded-lg border border-espresso/20 bg-white"
                />
              </details>
            </div>
          ) : previewError ? null : (
            <p className="mt-3">{t("preview.none")}</p>
          )}
          <form method="get" className="mt-4 flex flex-wrap items-end gap-2">
            <div className="flex flex-col gap-1">
              <label htmlFor="preview-guest" className="font-medium">
                {t("preview.chooseLabel")}
              </label>
              <input
                id="preview-guest"
                name="guest"
                maxLength={200}
                defaultValue={chosen ?? ""}
                aria-describedby="preview-guest-hint"
                className="rounded-lg border border-espresso/40 bg-white px-3 py-2"
              />
              <p id="preview-guest-hint" className="text-sm text-espresso/80">
                {t("preview.chooseHint")}
              </p>
            </div>
            <button
              type="submit"
              className="mb-7 rounded-lg border border-espresso px-4 py-2 font-semibold hover:bg-crema"
            >
              {t("preview.choose")}
            </button>
          </form>
          {chosen ? (
            <Link href={`${base}/${campaign.id}/edit`} className="text-sm underline">
              {t("preview.backToSleeping")}
            </Link>
          ) : null}
        </section>
      </div>

      {finished ? null : (
        <div className="mt-8 grid gap-8 md:grid-cols-2">
          <section aria-labelledby="campaign-test" className="rounded-xl border border-espresso/15 p-4">
            <h2 id="campaign-test" className="text-lg font-semibold">
              {t("test.title")}
            </h2>
            <p className="mt-1 mb-3 text-sm text-espresso/80">{t("test.lead")}</p>
            <TestSendForm tenant={slug} campaignId={campaign.id} />
          </section>
          <section aria-labelledby="campaign-launch" className="rounded-xl border border-espresso/15 p-4">
            <h2 id="campaign-launch" className="text-lg font-semibold">
              {campaign.status === "draft" ? t("launch.title") : t("status.title")}
            </h2>
            <div className="mt-3 flex flex-col gap-4">
              <LaunchForm
                launched={campaign.status !== "draft"}
                tenant={slug}
                campaignId={campaign.id}
                question={
                  campaign.scheduledAt && campaign.scheduledAt > new Date()
                    ? t("launch.questionScheduled", { date: when.format(campaign.scheduledAt) })
                    : t("launch.question")
                }
              />
              <CampaignStatusForm tenant={slug} campaignId={campaign.id} actions={statusActions} />
            </div>
          </section>
        </div>
      )}
    </>
  );
}
