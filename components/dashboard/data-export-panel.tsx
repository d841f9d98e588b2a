"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useState, useTransition } from "react";
import { exportStatusAction, startExportAction } from "@/app/dashboard/[tenant]/export/actions";
import type { ExportStatus } from "@/server/exports/tenant-export";
import { formatNumber } from "@/server/format";

const POLL_MS = 1000;

/** Starts the café's export and shows its progress (polled each second) until the archive is ready. */
export function DataExportPanel({ tenant, initial }: { tenant: string; initial: ExportStatus | null }) {
  const t = useTranslations("dataExport");
  const locale = useLocale();
  const [status, setStatus] = useState<ExportStatus | null>(initial);
  const [error, setError] = useState<string | undefined>();
  const [starting, startTransition] = useTransition();
  const working = status?.status === "queued" || status?.status === "running";

  useEffect(() => {
    if (!working) return;
    const timer = setInterval(async () => {
      const answer = await exportStatusAction(tenant);
      if (answer.status !== undefined) setStatus(answer.status);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [tenant, working]);

  const start = () =>
    startTransition(async () => {
      setError(undefined);
      const answer = await startExportAction(tenant);
      if (answer.error) setError(t.has(`errors.${answer.error}`) ? t(`errors.${answer.error}`) : t("errors.generic"));
      if (answer.status !== undefined) setStatus(answer.status);
    });

  const percent =
    status && status.rowsTotal > 0 ? Math.floor((status.rowsDone / status.rowsTotal) * 100) : working ? 0 : 100;
  return (
    <div className="flex flex-col gap-4">
      <button
        type="button"
        onClick={start}
        disabled={starting || working}
        className="self-start rounded-lg bg-espresso px-4 py-2 font-semibold text-crema disabled:opacity-60"
      >
        {t("start")}
      </button>
      {error ? (
        <p role="alert" className="text-red-800">
          {error}
        </p>
      ) : null}
      <div aria-live="polite">
        {working ? (
          <div className="flex flex-col gap-1">
            <label htmlFor="export-progress" className="font-medium">
              {t("progress", { tables: status?.tablesDone ?? 0, total: status?.tablesTotal ?? 0 })}
            </label>
            <progress id="export-progress" max={100} value={percent} className="w-full">
              {percent}%
            </progress>
          </div>
        ) : null}
        {status?.status === "done" ? (
          <p>
            <a href={`/dashboard/${tenant}/export/${status.id}`} className="font-semibold underline" download>
              {t("download", { size: formatNumber((status.bytes ?? 0) / 1e6, locale, { min: 1, max: 1 }) })}
            </a>
            <span className="mt-1 block break-all text-sm">{t("checksum", { sha256: status.sha256 ?? "" })}</span>
          </p>
        ) : null}
        {status?.status === "failed" ? <p role="alert">{t("failed")}</p> : null}
      </div>
    </div>
  );
}
