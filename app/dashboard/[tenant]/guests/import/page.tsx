import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import {
  ApplyImportForm,
  GuestFileUpload,
  MappingForm,
  ProgressBar,
  RefreshWhileRunning,
  SavedMappings,
  UndoImportForm,
} from "@/components/dashboard/guest-import";
import { sectionMetadata } from "@/components/dashboard/section-metadata";
import { requireStaffPage } from "@/server/auth/guard";
import { formatDateTime } from "@/server/format";
import type { ReportLine } from "@/server/guests/import/plan";
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from "@/server/guests/import/read";
import { serverCaller } from "@/server/trpc/server-caller";

export const generateMetadata = sectionMetadata("guestImport");

export const dynamic = "force-dynamic";

/** Guests and their points from the café's former system: upload, column mapping, dry run, apply, undo. */
export default async function GuestImportPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<{ batch?: string }>;
}) {
  const slug = (await params).tenant;
  const staff = await requireStaffPage(slug, "guests.import", `/dashboard/${slug}/guests/import`);
  const t = await getTranslations("guestImport");
  const format = await getFormatter();
  const locale = await getLocale();
  const caller = await serverCaller(slug);
  const batchId = (await searchParams).batch;
  const batch = batchId && /^[0-9a-f-]{36}$/i.test(batchId) ? await caller.guestImport.batch({ batchId }) : null;
  const { batches } = await caller.guestImport.batches();
  const { mappings } = await caller.guestImport.mappings();

  return (
    <>
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="mt-2 max-w-3xl">{t("intro")}</p>
      {batch ? (
        <BatchSection slug={slug} batch={batch} />
      ) : (
        <section className="mt-6" aria-labelledby="upload-heading">
          <h2 id="upload-heading" className="sr-only">
            {t("upload")}
          </h2>
          <p className="mb-3 text-sm text-espresso/80">
            {t("limits", {
              rows: format.number(MAX_IMPORT_ROWS),
              megabytes: Math.round(MAX_IMPORT_BYTES / 1024 / 1024),
            })}
          </p>
          <GuestFileUpload tenant={slug} />
        </section>
      )}
      <section className="mt-10" aria-labelledby="recent-heading">
        <h2 id="recent-heading" className="text-lg font-semibold">
          {t("recent")}
        </h2>
        {batches.length === 0 ? (
          <p className="mt-2">{t("noImports")}</p>
        ) : (
          <ul className="mt-2 flex flex-col gap-1">
            {batches.map((item) => (
              <li key={item.id}>
                <Link href={`/dashboard/${slug}/guests/import?batch=${item.id}`} className="underline">
                  {item.fileName}
                </Link>{" "}
                — {t(`status.${item.status as "applied"}`)}, {t("rows", { count: item.rowCount })},{" "}
                {formatDateTime(item.createdAt, locale, staff.tenant.timezone)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="mt-10" aria-labelledby="saved-heading">
        <h2 id="saved-heading" className="text-lg font-semibold">
          {t("savedTitle")}
        </h2>
        <SavedMappings tenant={slug} mappings={mappings.map(({ id, name, columns }) => ({ id, name, columns }))} />
      </section>
    </>
  );
}

type BatchView = Awaited<ReturnType<Awaited<ReturnType<typeof serverCaller>>["guestImport"]["batch"]>>;

async function BatchSection({ slug, batch }: { slug: string; batch: BatchView }) {
  const t = await getTranslations("guestImport");
  const format = await getFormatter();
  const report = batch.report;
  const busy = batch.job !== null || batch.status === "reading";
  const applied = batch.status === "applied";
  return (
    <section className="mt-6 flex flex-col gap-6" aria-labelledby="batch-heading">
      <div>
        <h2 id="batch-heading" className="text-xl font-semibold">
          {batch.fileName}
        </h2>
        <p data-testid="import-status">
          {t(`status.${batch.status as "applied"}`)} · {t("rows", { count: batch.rowCount })}
        </p>
        <Link href={`/dashboard/${slug}/guests/import`} className="text-sm underline">
          {t("upload")}…
        </Link>
      </div>

      {busy ? (
        <div aria-live="polite">
          <ProgressBar
            label={batch.job ? t(`job.${batch.job}`) : t("status.reading")}
            fraction={batch.progress.total > 0 ? batch.progress.done / batch.progress.total : 0}
          />
          <RefreshWhileRunning />
        </div>
      ) : null}
      {batch.interrupted ? <p role="alert">{t("interrupted")}</p> : null}
      {batch.jobError ? (
        <p role="alert" className="rounded-lg border border-red-700 bg-red-50 px-3 py-2 text-red-800">
          {t.has(`errors.${batch.jobError}`) ? t(`errors.${batch.jobError}` as "errors.generic") : t("errors.generic")}
        </p>
      ) : null}

      {report && batch.status !== "reading" ? (
        <section aria-labelledby="report-heading" data-testid="import-report">
          <h3 id="report-heading" className="text-lg font-semibold">
            {applied || batch.status === "undone" ? t("status.applied") : t("reportTitle")}
          </h3>
          {batch.status !== "failed" ? (
            <dl className="mt-2 grid max-w-md grid-cols-[1fr_auto] gap-x-6 gap-y-1 rounded-xl bg-crema p-4">
              <dt>{applied ? t("created") : t("willCreate")}</dt>
              <dd data-testid="count-create">{format.number(report.create)}</dd>
              <dt>{applied ? t("updated") : t("willUpdate")}</dt>
              <dd data-testid="count-update">{format.number(report.update)}</dd>
              <dt>{applied ? t("skipped") : t("willSkip")}</dt>
              <dd data-testid="count-skip">{format.number(report.skip)}</dd>
              <dt>{t("fileTotal")}</dt>
              <dd>{format.number(report.fileTotal)}</dd>
              <dt>{t("skippedTotal")}</dt>
              <dd>{format.number(report.skippedTotal)}</dd>
            </dl>
          ) : null}
          {applied && batch.reconciled ? (
            <p className="mt-3" data-testid="reconciliation">
              {batch.balanceMode === "set"
                ? t("reconciliationSet", {
                    file: format.number(batch.fileTotal ?? 0),
                    before: format.number(report.balancesBefore ?? 0),
                    ledger: format.number(batch.ledgerTotal ?? 0),
                  })
                : t("reconciliation", {
                    file: format.number(batch.fileTotal ?? 0),
                    ledger: format.number(batch.ledgerTotal ?? 0),
                  })}{" "}
              <strong>{t("reconciled")}</strong>
            </p>
          ) : null}
          <ReportLines lines={report.lines} total={Object.values(report.reasons).reduce((a, b) => a + b, 0)} />
        </section>
      ) : null}

      {!busy && (batch.status === "uploaded" || batch.status === "checked") ? (
        <MappingForm
          tenant={slug}
          batchId={batch.id}
          header={batch.header}
          preset={batch.preset}
          mapping={batch.mapping}
          balanceMode={batch.balanceMode}
          tierMode={batch.tierMode}
          presets={batch.presets}
          saved={batch.saved}
        />
      ) : null}
      {!busy && batch.status === "checked" ? <ApplyImportForm tenant={slug} batchId={batch.id} /> : null}
      {!busy && applied ? <UndoImportForm tenant={slug} batchId={batch.id} /> : null}
    </section>
  );
}

async function ReportLines({ lines, total }: { lines: ReportLine[]; total: number }) {
  const t = await getTranslations("guestImport");
  if (lines.length === 0) return null;
  const reason = (line: ReportLine) => {
    const key = `reasons.${line.reason}` as "reasons.bad_phone";
    return t.has(key) ? t(key, { row: line.otherRow ?? "", limit: line.value ?? "" }) : line.reason;
  };
  return (
    <div className="mt-4">
      <h4 className="font-semibold">{t("linesTitle")}</h4>
      {lines.length < total ? <p className="text-sm">{t("linesMore", { shown: lines.length, total })}</p> : null}
      <div className="mt-2 max-h-96 overflow-auto rounded-lg border border-espresso/15">
        <table className="w-full text-left text-sm">
          <thead className="sticky top-0 bg-crema">
            <tr>
              <th scope="col" className="px-3 py-2">
                {t("row")}
              </th>
              <th scope="col" className="px-3 py-2">
                {t("what")}
              </th>
              <th scope="col" className="px-3 py-2">
                {t("value")}
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={`${line.row}-${line.kind}-${line.reason}`} className="border-t border-espresso/10">
                <td className="px-3 py-1">{line.row ?? t("fileLevel")}</td>
                <td className="px-3 py-1">
                  {line.kind === "skip" ? `${t("skipKind")}: ` : `${t("noteKind")}: `}
                  {reason(line)}
                </td>
                <td className="px-3 py-1 font-mono">{line.reason === "too_many_rows" ? "" : (line.value ?? "")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
