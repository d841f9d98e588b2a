"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useActionState, useEffect, useId, useState } from "react";
import {
  applyImportAction,
  checkImportAction,
  deleteMappingAction,
  type ImportActionState,
  undoImportAction,
} from "@/app/dashboard/[tenant]/guests/import/actions";
import { ConfirmSubmitButton } from "@/components/ui/confirm-button";
import { Field, FormError, SelectField, SubmitButton } from "@/components/ui/field";
import type { BalanceMode, TierMode } from "@/server/guests/import/plan";
import { type ColumnMapping, IMPORT_FIELDS, type PresetId } from "@/server/guests/import/presets";

function useImportError(code: string | undefined): string | undefined {
  const t = useTranslations("guestImport.errors");
  if (!code) return undefined;
  return t.has(code) ? t(code) : t("generic");
}

/** Picks a file and streams it to the server, with the upload's own progress bar. */
export function GuestFileUpload({ tenant }: { tenant: string }) {
  const t = useTranslations("guestImport");
  const router = useRouter();
  const [progress, setProgress] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = new FormData(event.currentTarget).get("file");
    if (!(file instanceof File) || file.name === "") return;
    setFailed(false);
    setProgress(0);
    // XMLHttpRequest rather than fetch: it reports the upload's progress.
    const request = new XMLHttpRequest();
    request.open("POST", `/dashboard/${tenant}/guests/import/upload`);
    request.setRequestHeader("content-type", "application/octet-stream");
    request.setRequestHeader("x-file-name", encodeURIComponent(file.name));
    request.upload.onprogress = (progressEvent) => {
      if (progressEvent.lengthComputable) setProgress(progressEvent.loaded / progressEvent.total);
    };
    request.onload = () => {
      const answer = (() => {
        try {
          return JSON.parse(request.responseText) as { batchId?: string };
        } catch {
          return {};
        }
      })();
      if (request.status === 200 && answer.batchId) {
        router.push(`/dashboard/${tenant}/guests/import?batch=${answer.batchId}`);
      } else {
        setProgress(null);
        setFailed(true);
      }
    };
    request.onerror = () => {
      setProgress(null);
      setFailed(true);
    };
    request.send(file);
  };
  return (
    <form onSubmit={submit} className="flex max-w-xl flex-col gap-3">
      <FormError message={failed ? t("uploadFailed") : undefined} />
      <Field
        id="guest-file"
        name="file"
        type="file"
        label={t("file")}
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        required
      />
      {progress === null ? null : <ProgressBar label={t("uploading")} fraction={progress} />}
      <SubmitButton pending={progress !== null}>{t("upload")}</SubmitButton>
    </form>
  );
}

/** A labelled progress bar with its percentage in words too. */
export function ProgressBar({ label, fraction }: { label: string; fraction: number }) {
  const id = useId();
  const percent = Math.max(0, Math.min(100, Math.round(fraction * 100)));
  return (
    <div className="flex flex-col gap-1" data-testid="import-progress">
      <span id={id}>{label}</span>
      <div className="flex items-center gap-3">
        <progress aria-labelledby={id} value={percent} max={100} className="h-3 w-full max-w-md accent-espresso" />
        <span aria-hidden="true">{percent}%</span>
      </div>
    </div>
  );
}

/** Re-reads the page (the import's row) while a job runs. */
export function RefreshWhileRunning({ everyMs = 700 }: { everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), everyMs);
    return () => clearInterval(timer);
  }, [router, everyMs]);
  return null;
}

type MappingProps = {
  tenant: string;
  batchId: string;
  header: string[];
  preset: PresetId | "saved";
  mapping: ColumnMapping;
  balanceMode: BalanceMode;
  tierMode: TierMode;
  presets: Record<PresetId, ColumnMapping>;
  saved: { name: string; mapping: ColumnMapping; balanceMode: BalanceMode; tierMode: TierMode }[];
};

/** The column mapping offered from the header: a preset (or a saved mapping), then field by field. */
export function MappingForm(props: MappingProps) {
  const t = useTranslations("guestImport");
  const [state, action, pending] = useActionState<ImportActionState, FormData>(
    checkImportAction.bind(null, props.tenant),
    {},
  );
  const [choice, setChoice] = useState<string>(props.preset);
  const [mapping, setMapping] = useState<ColumnMapping>(props.mapping);
  const [balanceMode, setBalanceMode] = useState(props.balanceMode);
  const [tierMode, setTierMode] = useState(props.tierMode);
  const choose = (value: string) => {
    setChoice(value);
    if (value.startsWith("saved:")) {
      const saved = props.saved[Number(value.slice(6))];
      if (!saved) return;
      setMapping(saved.mapping);
      setBalanceMode(saved.balanceMode);
      setTierMode(saved.tierMode);
    } else {
      setMapping(props.presets[value as PresetId] ?? {});
    }
  };
  const columns = [
    { value: "", text: t("notUsed") },
    ...props.header.map((name, index) => ({ value: String(index), text: name || `#${index + 1}` })),
  ];
  const presetOptions = [
    ...(Object.keys(props.presets) as PresetId[]).map((id) => ({ value: id, text: t(`presets.${id}`) })),
    ...props.saved.map((saved, index) => ({ value: `saved:${index}`, text: t("savedMapping", { name: saved.name }) })),
  ];
  return (
    <form action={action} className="flex max-w-3xl flex-col gap-4" data-testid="mapping-form">
      <FormError message={useImportError(state.error)} />
      <input type="hidden" name="batchId" value={props.batchId} />
      <input type="hidden" name="preset" value={choice.startsWith("saved:") ? "saved" : choice} />
      <SelectField
        id="import-preset"
        label={t("preset")}
        value={choice === "saved" ? (presetOptions[0]?.value ?? "generic") : choice}
        onChange={(event) => choose(event.target.value)}
        options={presetOptions}
      />
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-2 font-semibold">{t("mappingTitle")}</legend>
        {IMPORT_FIELDS.map((field) => (
          <SelectField
            key={field}
            id={`map-${field}`}
            name={`map.${field}`}
            label={t(`fields.${field}`)}
            value={mapping[field] === undefined ? "" : String(mapping[field])}
            onChange={(event) =>
              setMapping((current) => {
                const next = { ...current };
                if (event.target.value === "") delete next[field];
                else next[field] = Number(event.target.value);
                return next;
              })
            }
            options={columns}
          />
        ))}
      </fieldset>
      <fieldset className="flex flex-col gap-1">
        <legend className="font-semibold">{t("balanceMode")}</legend>
        {(["add", "set"] as const).map((mode) => (
          <label key={mode} className="flex items-center gap-2">
            <input
              type="radio"
              name="balanceMode"
              value={mode}
              checked={balanceMode === mode}
              onChange={() => setBalanceMode(mode)}
            />
            {t(mode === "add" ? "balanceAdd" : "balanceSet")}
          </label>
        ))}
      </fieldset>
      <fieldset className="flex flex-col gap-1">
        <legend className="font-semibold">{t("tierMode")}</legend>
        {(["carry", "recompute"] as const).map((mode) => (
          <label key={mode} className="flex items-center gap-2">
            <input
              type="radio"
              name="tierMode"
              value={mode}
              checked={tierMode === mode}
              onChange={() => setTierMode(mode)}
            />
            {t(mode === "carry" ? "tierCarry" : "tierRecompute")}
          </label>
        ))}
      </fieldset>
      <Field id="import-save-as" name="saveAs" label={t("saveAs")} maxLength={60} />
      <SubmitButton pending={pending}>{t("check")}</SubmitButton>
    </form>
  );
}

export function ApplyImportForm({ tenant, batchId }: { tenant: string; batchId: string }) {
  const t = useTranslations("guestImport");
  const [state, action, pending] = useActionState<ImportActionState, FormData>(
    applyImportAction.bind(null, tenant),
    {},
  );
  return (
    <form action={action} className="flex flex-col gap-2">
      <FormError message={useImportError(state.error)} />
      <input type="hidden" name="batchId" value={batchId} />
      <p className="text-sm text-espresso/80">{t("applyHint")}</p>
      <div>
        <SubmitButton pending={pending}>{t("apply")}</SubmitButton>
      </div>
    </form>
  );
}

export function UndoImportForm({ tenant, batchId }: { tenant: string; batchId: string }) {
  const t = useTranslations("guestImport");
  const [state, action, pending] = useActionState<ImportActionState, FormData>(undoImportAction.bind(null, tenant), {});
  return (
    <form action={action} className="flex flex-col gap-2">
      <FormError message={useImportError(state.error)} />
      {state.undone ? (
        <p role="status" className="rounded-lg border border-leaf bg-green-50 p-3">
          {t("undone", state.undone)}
        </p>
      ) : null}
      <input type="hidden" name="batchId" value={batchId} />
      <p className="text-sm text-espresso/80">{t("undoHint")}</p>
      <div>
        <ConfirmSubmitButton
          label={t("undo")}
          question={t("undoQuestion")}
          confirm={t("undoConfirm")}
          cancel={t("cancel")}
          pending={pending}
        />
      </div>
    </form>
  );
}

type SavedMapping = { id: string; name: string; columns: Record<string, string> };

/** The café's saved column mappings, each with what it maps and a button to delete it. */
export function SavedMappings({ tenant, mappings }: { tenant: string; mappings: SavedMapping[] }) {
  const t = useTranslations("guestImport");
  const [state, action, pending] = useActionState<ImportActionState, FormData>(
    deleteMappingAction.bind(null, tenant),
    {},
  );
  const fieldName = (field: string) =>
    (IMPORT_FIELDS as readonly string[]).includes(field) ? t(`fields.${field as "phone"}`) : field;
  return (
    <div className="mt-2 flex flex-col gap-2" data-testid="saved-mappings">
      <FormError message={useImportError(state.error)} />
      {state.deleted ? (
        <p role="status" className="rounded-lg border border-leaf bg-green-50 p-3">
          {t("mappingDeleted", { name: state.deleted })}
        </p>
      ) : null}
      {mappings.length === 0 ? (
        <p>{t("savedNone")}</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {mappings.map((mapping) => (
            <li key={mapping.id} className="rounded-lg border border-espresso/15 p-3">
              <form action={action} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
                <div>
                  <span className="font-semibold">{mapping.name}</span>
                  <p className="text-sm text-espresso/80">
                    {Object.entries(mapping.columns)
                      .map(([field, header]) => `${fieldName(field)} ← ${header}`)
                      .join(", ")}
                  </p>
                </div>
                <input type="hidden" name="mappingId" value={mapping.id} />
                <ConfirmSubmitButton
                  label={t("deleteMapping")}
                  question={t("deleteMappingQuestion", { name: mapping.name })}
                  confirm={t("deleteMappingConfirm")}
                  cancel={t("cancel")}
                  pending={pending}
                />
              </form>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
