"use client";

import { useLocale, useTranslations } from "next-intl";
import { startTransition, useActionState, useState } from "react";
import {
  type MenuImportState,
  menuImportAction,
  undoMenuImportAction,
} from "@/app/dashboard/[tenant]/menu/import/actions";
import { formatDateTime } from "@/server/format";

type Batch = {
  id: string;
  format: string;
  fileName: string;
  summary: Record<string, number>;
  createdAt: string;
  undoneAt: string | null;
};

const FORMAT_NAMES: Record<string, string> = { zerno: "Zerno CSV", loyverse: "Loyverse", square: "Square" };

/**
 * Menu import: choose a CSV, check it (the dry run's report, row by row), then import it; the
 * imports below can be undone, the newest first. The same file is sent again to apply: the
 * server plans anew under its lock, so the report and the import agree.
 */
export function MenuImport({
  tenant,
  batches,
  timeZone,
}: {
  tenant: string;
  batches: Batch[];
  /** The café's: an import's time reads as on its clock, the same on the server and in the browser. */
  timeZone: string;
}) {
  const t = useTranslations("menuEditor.import");
  const locale = useLocale();
  const [state, action, pending] = useActionState<MenuImportState, FormData>(menuImportAction.bind(null, tenant), {});
  const [undoState, undo, undoing] = useActionState<MenuImportState, FormData>(
    undoMenuImportAction.bind(null, tenant),
    {},
  );
  const [mode, setMode] = useState<"check" | "apply">("check");
  const report = state.report;
  const reasonText = (code: string) => (t.has(`reasons.${code}`) ? t(`reasons.${code}`) : code);
  const errorText = (code: string | undefined) =>
    code ? (t.has(`errors.${code}`) ? t(`errors.${code}`) : t("errors.generic")) : null;
  const newest = batches.find((batch) => !batch.undoneAt);
  const when = (iso: string) => formatDateTime(iso, locale, timeZone);

  return (
    <div className="mt-6 flex flex-col gap-6">
      <form
        className="flex max-w-xl flex-col gap-3"
        noValidate
        // Sent by hand, not as a form action: React resets a form after its action, and the
        // chosen file must stay for "Import" after "Check".
        onSubmit={(event) => {
          event.preventDefault();
          const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
          const chosen = submitter?.value === "apply" ? "apply" : "check";
          setMode(chosen);
          const data = new FormData(event.currentTarget);
          data.set("mode", chosen);
          startTransition(() => action(data));
        }}
      >
        <label className="flex flex-col font-medium" htmlFor="menu-file">
          {t("file")}
          <input
            id="menu-file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            required
            className="mt-1"
            // A new file needs its own check first.
            onChange={() => setMode("check")}
          />
        </label>
        <label className="flex flex-col font-medium" htmlFor="menu-default-category">
          {t("defaultCategory")}
          <input
            id="menu-default-category"
            name="defaultCategory"
            defaultValue={t("defaultCategoryValue")}
            className="rounded-lg border border-espresso/40 bg-white px-3 py-2"
          />
        </label>
        <div className="flex flex-wrap gap-3">
          <button
            type="submit"
            value="check"
            disabled={pending}
            className="rounded-lg border border-espresso/40 px-4 py-2 font-semibold"
          >
            {t("check")}
          </button>
          {report && !report.fileError && !state.applied && report.summary.create + report.summary.update > 0 ? (
            <button
              type="submit"
              value="apply"
              disabled={pending}
              className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema"
            >
              {t("apply")}
            </button>
          ) : null}
        </div>
        <p role="status" aria-live="polite" className="font-medium">
          {pending ? (mode === "apply" ? t("applying") : t("checking")) : null}
          {!pending && state.applied ? (state.applied.batchId ? t("applied") : t("nothingApplied")) : null}
        </p>
        {state.error ? (
          <p role="alert" className="font-medium text-red-800">
            {errorText(state.error)}
          </p>
        ) : null}
      </form>

      {report ? (
        <section aria-labelledby="report-heading">
          <h2 id="report-heading" className="text-xl font-semibold">
            {report.fileName}
          </h2>
          {report.fileError ? (
            <p role="alert" className="mt-2 font-medium text-red-800" data-testid="file-error">
              {t.has(`fileErrors.${report.fileError}`) ? t(`fileErrors.${report.fileError}`) : report.fileError}
            </p>
          ) : (
            <>
              <p className="mt-1">
                {t("format", { format: FORMAT_NAMES[report.format ?? ""] ?? report.format ?? "" })}
              </p>
              <p className="mt-1 font-medium" data-testid="import-summary">
                {t("summary", report.summary)}
              </p>
              <div className="mt-3 max-h-[32rem] overflow-auto rounded-xl bg-white shadow-sm">
                <table className="w-full text-left text-sm">
                  <thead className="sticky top-0 bg-white">
                    <tr>
                      <th scope="col" className="px-3 py-2">
                        {t("row")}
                      </th>
                      <th scope="col" className="px-3 py-2">
                        {t("action")}
                      </th>
                      <th scope="col" className="px-3 py-2">
                        {t("name")}
                      </th>
                      <th scope="col" className="px-3 py-2">
                        {t("variant")}
                      </th>
                      <th scope="col" className="px-3 py-2">
                        {t("why")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.lines.map((line) => (
                      <tr key={line.row} className="border-t border-espresso/10" data-action={line.action}>
                        <td className="px-3 py-1">{line.row}</td>
                        <td className={`px-3 py-1 ${line.action === "error" ? "font-semibold text-red-800" : ""}`}>
                          {t(`actions.${line.action}`)}
                        </td>
                        <td className="px-3 py-1">
                          {line.name} <code>{line.sku}</code>
                        </td>
                        <td className="px-3 py-1">{line.variant ?? ""}</td>
                        <td className="px-3 py-1">{line.reasons.map(reasonText).join("; ")}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      ) : null}

      <section aria-labelledby="batches-heading">
        <h2 id="batches-heading" className="text-xl font-semibold">
          {t("batches")}
        </h2>
        {batches.length === 0 ? <p className="mt-2">{t("noBatches")}</p> : null}
        <ul className="mt-2 flex flex-col gap-2">
          {batches.map((batch) => (
            <li key={batch.id} className="flex flex-wrap items-center gap-3">
              <span>
                {when(batch.createdAt)} · {batch.fileName} · {FORMAT_NAMES[batch.format] ?? batch.format} ·{" "}
                {t("summary", {
                  create: batch.summary.create ?? 0,
                  update: batch.summary.update ?? 0,
                  unchanged: batch.summary.unchanged ?? 0,
                  error: batch.summary.error ?? 0,
                  categories: batch.summary.categories ?? 0,
                })}
                {batch.undoneAt ? ` · ${t("undone")}` : ""}
              </span>
              {batch.id === newest?.id ? (
                <form action={undo}>
                  <input type="hidden" name="batchId" value={batch.id} />
                  <button type="submit" disabled={undoing} className="text-red-800 underline">
                    {t("undo")}
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
        <p role="status" aria-live="polite" className="mt-2 font-medium">
          {undoState.undone ? t("undoneResult", undoState.undone) : null}
        </p>
        {undoState.error ? (
          <p role="alert" className="font-medium text-red-800">
            {errorText(undoState.error)}
          </p>
        ) : null}
      </section>
    </div>
  );
}
