"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState, useId, useState, useTransition } from "react";
import {
  addLocationAction,
  archiveLocationAction,
  type LocationFormState,
  type LocationSettingsDraft,
  updateLocationAction,
} from "@/app/dashboard/[tenant]/locations/actions";
import { ConfirmSubmitButton } from "@/components/ui/confirm-button";
import { Field, FormError, SubmitButton } from "@/components/ui/field";
import { useFormKeepingValues } from "@/components/ui/keep-values";

const WEEKDAYS = ["1", "2", "3", "4", "5", "6", "7"] as const;
type Weekday = (typeof WEEKDAYS)[number];
type Interval = [string, string];
const SLOT_LENGTHS = [5, 10, 15, 20, 30, 60] as const;

function useLocationError(state: { error?: string }) {
  const t = useTranslations("locations.errors");
  if (!state.error) return undefined;
  return t.has(state.error) ? t(state.error) : t("generic");
}

/** Opens a location: name, address name (slug), address and time zone; the hours are set on its page. */
export function AddLocationForm({ tenant, timezone }: { tenant: string; timezone: string }) {
  const t = useTranslations("locations");
  const [state, action, pending] = useActionState<LocationFormState, FormData>(
    addLocationAction.bind(null, tenant),
    {},
  );
  const keeping = useFormKeepingValues(action, state.done ? state : false);
  const error = useLocationError(state);
  const fieldError = (field: string) => (state.field === field ? error : undefined);
  return (
    <form action={action} {...keeping} className="flex max-w-md flex-col gap-4" noValidate>
      <FormError message={error} />
      {state.done && state.createdId ? (
        <p role="status" className="rounded-lg bg-green-50 px-3 py-2 text-green-900">
          {t("added")}{" "}
          <Link className="underline" href={`/dashboard/${tenant}/locations/${state.createdId}`}>
            {t("setHours")}
          </Link>
        </p>
      ) : null}
      <Field id="location-name" name="name" label={t("name")} required error={fieldError("name")} />
      <Field
        id="location-slug"
        name="slug"
        label={t("slug")}
        hint={t("slugHint")}
        required
        pattern="[a-z0-9-]+"
        error={fieldError("slug")}
      />
      <Field id="location-address" name="address" label={t("address")} required error={fieldError("address")} />
      <Field
        id="location-timezone"
        name="timezone"
        label={t("timezone")}
        defaultValue={timezone}
        hint={t("timezoneHint")}
        error={fieldError("timezone")}
      />
      <SubmitButton pending={pending}>{t("add")}</SubmitButton>
    </form>
  );
}

/** Archives a location after a second press. */
export function ArchiveLocationForm({
  tenant,
  locationId,
  name,
}: {
  tenant: string;
  locationId: string;
  name: string;
}) {
  const t = useTranslations("locations");
  const [state, action, pending] = useActionState<LocationFormState, FormData>(
    archiveLocationAction.bind(null, tenant),
    {},
  );
  return (
    <form action={action} className="flex flex-col items-start gap-1">
      <input type="hidden" name="locationId" value={locationId} />
      <FormError message={useLocationError(state)} />
      <ConfirmSubmitButton
        label={t("archive", { name })}
        question={t("archiveQuestion", { name })}
        confirm={t("archiveConfirm")}
        cancel={t("cancel")}
        pending={pending}
      />
    </form>
  );
}

export type EditableLocation = LocationSettingsDraft & { id: string };

/**
 * A location's settings: name, address, zone, hours per weekday with breaks (several intervals a
 * day), exceptions for dates (closed, or other hours), pick-up on or off, slot length and capacity.
 */
export function LocationEditor({ tenant, location }: { tenant: string; location: EditableLocation }) {
  const t = useTranslations("locations");
  const days = useTranslations("locations.weekdays");
  const id = useId();
  const { id: locationId, ...initial } = location;
  const [settings, setSettings] = useState<LocationSettingsDraft>(initial);
  const [state, setState] = useState<LocationFormState>({});
  const [pending, startTransition] = useTransition();
  const error = useLocationError(state);
  const invalid = (path: string) => (state.field?.startsWith(path) ? true : undefined);

  const change = (patch: Partial<LocationSettingsDraft>) => {
    setState({});
    setSettings((current) => ({ ...current, ...patch }));
  };
  const setDay = (day: Weekday, intervals: Interval[]) =>
    change({ openingHours: { ...settings.openingHours, [day]: intervals } });
  const setException = (index: number, patch: Partial<LocationSettingsDraft["openingExceptions"][number]>) =>
    change({
      openingExceptions: settings.openingExceptions.map((exception, at) =>
        at === index ? { ...exception, ...patch } : exception,
      ),
    });

  const intervalsEditor = (
    intervals: Interval[],
    onChange: (next: Interval[]) => void,
    label: string,
    path: string,
    emptyText: string,
  ) => (
    <div className="flex flex-col gap-2">
      {intervals.length === 0 ? <p className="text-espresso/80">{emptyText}</p> : null}
      {intervals.map(([open, close], index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: intervals have no identity but their place
        <div key={index} className="flex flex-wrap items-center gap-2">
          <input
            type="time"
            aria-label={t("opensAt", { day: label, n: index + 1 })}
            value={open}
            aria-invalid={invalid(`${path}.${index}`)}
            onChange={(event) =>
              onChange(intervals.map((pair, at) => (at === index ? [event.target.value, pair[1]] : pair)))
            }
            className="rounded-lg border border-espresso/40 bg-white px-2 py-1 aria-invalid:border-red-700"
          />
          <span aria-hidden="true">–</span>
          <input
            type="time"
            aria-label={t("closesAt", { day: label, n: index + 1 })}
            value={close}
            aria-invalid={invalid(`${path}.${index}`)}
            onChange={(event) =>
              onChange(intervals.map((pair, at) => (at === index ? [pair[0], event.target.value] : pair)))
            }
            className="rounded-lg border border-espresso/40 bg-white px-2 py-1 aria-invalid:border-red-700"
          />
          <button
            type="button"
            onClick={() => onChange(intervals.filter((_, at) => at !== index))}
            className="rounded-lg border border-espresso/40 px-2 py-1"
          >
            {t("removeInterval", { day: label, n: index + 1 })}
          </button>
        </div>
      ))}
      <button
        type="button"
        disabled={intervals.length >= 6}
        onClick={() => {
          const last = intervals.at(-1);
          onChange([...intervals, last ? [last[1], last[1] < "20:00" ? "21:00" : "00:00"] : ["08:00", "21:00"]]);
        }}
        className="self-start rounded-lg border border-espresso/40 px-2 py-1"
      >
        {intervals.length === 0 ? t("addHours", { day: label }) : t("addInterval", { day: label })}
      </button>
    </div>
  );

  return (
    <form
      className="flex max-w-3xl flex-col gap-6"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        startTransition(async () => setState(await updateLocationAction(tenant, locationId, settings)));
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id={`${id}-name`}
          label={t("name")}
          value={settings.name}
          onChange={(event) => change({ name: event.target.value })}
          error={state.field === "name" ? error : undefined}
        />
        <Field
          id={`${id}-address`}
          label={t("address")}
          value={settings.address}
          onChange={(event) => change({ address: event.target.value })}
          error={state.field === "address" ? error : undefined}
        />
        <Field
          id={`${id}-timezone`}
          label={t("timezone")}
          value={settings.timezone}
          hint={t("timezoneHint")}
          onChange={(event) => change({ timezone: event.target.value })}
          error={state.field === "timezone" ? error : undefined}
        />
      </div>

      <fieldset className="flex flex-col gap-3">
        <legend className="text-lg font-semibold">{t("hours")}</legend>
        <p className="text-sm text-espresso/80">{t("hoursHint")}</p>
        {WEEKDAYS.map((day) => (
          <div key={day} className="grid gap-2 sm:grid-cols-[10rem_1fr]">
            <p className="font-medium">{days(day)}</p>
            {intervalsEditor(
              settings.openingHours[day],
              (next) => setDay(day, next),
              days(day),
              `openingHours.${day}`,
              t("closed"),
            )}
          </div>
        ))}
      </fieldset>

      <fieldset className="flex flex-col gap-3">
        <legend className="text-lg font-semibold">{t("exceptions")}</legend>
        <p className="text-sm text-espresso/80">{t("exceptionsHint")}</p>
        {settings.openingExceptions.map((exception, index) => {
          const label = exception.date || t("exceptionN", { n: index + 1 });
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a date being typed is no identity yet
            <div key={index} className="flex flex-col gap-2 rounded-lg border border-espresso/15 p-3">
              <div className="flex flex-wrap items-end gap-3">
                <label className="flex flex-col gap-1">
                  <span className="font-medium">{t("exceptionDate")}</span>
                  <input
                    type="date"
                    value={exception.date}
                    aria-invalid={invalid(`openingExceptions.${index}.date`)}
                    onChange={(event) => setException(index, { date: event.target.value })}
                    className="rounded-lg border border-espresso/40 bg-white px-2 py-1 aria-invalid:border-red-700"
                  />
                </label>
                <label className="flex flex-col gap-1">
                  <span className="font-medium">{t("exceptionNote")}</span>
                  <input
                    value={exception.note ?? ""}
                    onChange={(event) => setException(index, { note: event.target.value || undefined })}
                    className="rounded-lg border border-espresso/40 bg-white px-2 py-1"
                  />
                </label>
                <button
                  type="button"
                  onClick={() =>
                    change({ openingExceptions: settings.openingExceptions.filter((_, at) => at !== index) })
                  }
                  className="rounded-lg border border-espresso/40 px-2 py-1"
                >
                  {t("removeException", { date: label })}
                </button>
              </div>
              {intervalsEditor(
                exception.hours,
                (next) => setException(index, { hours: next }),
                label,
                `openingExceptions.${index}.hours`,
                t("closedAllDay"),
              )}
            </div>
          );
        })}
        <button
          type="button"
          onClick={() => change({ openingExceptions: [...settings.openingExceptions, { date: "", hours: [] }] })}
          className="self-start rounded-lg border border-espresso/40 px-3 py-1"
        >
          {t("addException")}
        </button>
      </fieldset>

      <fieldset className="flex flex-col gap-3">
        <legend className="text-lg font-semibold">{t("pickup")}</legend>
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={settings.pickupEnabled}
            onChange={(event) => change({ pickupEnabled: event.target.checked })}
          />
          {t("pickupEnabled")}
        </label>
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-slot`} className="font-medium">
              {t("slotMinutes")}
            </label>
            <select
              id={`${id}-slot`}
              value={settings.slotMinutes}
              onChange={(event) =>
                change({ slotMinutes: Number(event.target.value) as LocationSettingsDraft["slotMinutes"] })
              }
              className="rounded-lg border border-espresso/40 bg-white px-3 py-2"
            >
              {SLOT_LENGTHS.map((length) => (
                <option key={length} value={length}>
                  {t("minutes", { minutes: length })}
                </option>
              ))}
            </select>
          </div>
          <Field
            id={`${id}-capacity`}
            type="number"
            min={1}
            label={t("capacity")}
            hint={t("capacityHint")}
            value={String(settings.slotCapacityMinutes)}
            onChange={(event) => change({ slotCapacityMinutes: Number(event.target.value) })}
            error={state.field === "slotCapacityMinutes" ? error : undefined}
          />
        </div>
      </fieldset>

      <div aria-live="polite">
        <FormError message={error} />
        {state.done ? (
          <p role="status" className="rounded-lg bg-green-50 px-3 py-2 text-green-900">
            {t("saved")}
          </p>
        ) : null}
      </div>
      <div>
        <SubmitButton pending={pending}>{t("save")}</SubmitButton>
      </div>
    </form>
  );
}
