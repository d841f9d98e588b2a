"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import {
  type CampaignFormState,
  createCampaignAction,
  type LaunchState,
  launchCampaignAction,
  type SettingsState,
  sendTestAction,
  setCampaignStatusAction,
  type TestSendState,
  updateCampaignAction,
  updateSettingsAction,
} from "@/app/dashboard/[tenant]/campaigns/actions";
import { ConfirmSubmitButton } from "@/components/ui/confirm-button";
import { Field, FormError, SelectField, SubmitButton } from "@/components/ui/field";
import { useSubmitKeepingValues } from "@/components/ui/keep-values";

const KINDS = ["win_back", "birthday", "survey_invite", "one_off"] as const;
type Kind = (typeof KINDS)[number];
const SEGMENTS = ["sleeping", "lost", "new", "regular", "loyal", "birthday"] as const;

/** The words for a campaigns action's error code: its own, a field's, or the generic one. */
function useCampaignError(code: string | undefined): string | undefined {
  const t = useTranslations("campaigns.errors");
  if (!code) return undefined;
  if (t.has(code)) return t(code);
  return code.startsWith("field_") ? t("invalid_request") : t("generic");
}

/** A campaign's values as the form shows them. */
export type CampaignFormValues = {
  kind: Kind;
  name: string;
  subject: string;
  body: string;
  bonusPoints: string;
  bonusExpiresDays: string;
  daysBefore: string;
  holdoutPercent: string;
  windowDays: string;
  /** A segment, or "filter" for the guests table's filter below. */
  audience: string;
  /** The guests table's filter a one-off goes to (URL parameters). */
  filter: Record<string, string>;
  /** "YYYY-MM-DDTHH:MM" on the café's clock, or "" for "at launch". */
  scheduledAt: string;
};

/**
 * Creates or edits a campaign: its kind (win-back, birthday, survey invitation, one-off), the
 * subject and text with placeholders, the bonus and when it expires, the hold-out share and the
 * results window, and for a one-off whom it goes to and when. Once launched, the kind, the
 * hold-out and the audience are fixed (the groups drawn must keep their meaning).
 */
export function CampaignForm({
  tenant,
  campaignId,
  initial,
  launched,
  filterSummary,
  defaults,
}: {
  tenant: string;
  /** Editing this campaign; absent for a new one. */
  campaignId?: string;
  initial: CampaignFormValues;
  launched?: boolean;
  /** The guests table's filter in words, when the form came from there. */
  filterSummary?: string;
  /** Each kind's suggested texts: switching the kind swaps the texts still as suggested. */
  defaults?: Record<Kind, { name: string; subject: string; body: string }>;
}) {
  const t = useTranslations("campaigns.form");
  const tk = useTranslations("campaigns.kinds");
  const ts = useTranslations("campaigns.segments");
  const [kind, setKind] = useState<Kind>(initial.kind);
  const [audience, setAudience] = useState(initial.audience);
  const [when, setWhen] = useState(initial.scheduledAt ? "later" : "now");
  const [bonus, setBonus] = useState(initial.bonusPoints);
  const [texts, setTexts] = useState({ name: initial.name, subject: initial.subject, body: initial.body });
  const setText = (field: keyof typeof texts) => (value: string) => setTexts((now) => ({ ...now, [field]: value }));
  const chooseKind = (next: Kind) => {
    const suggested = defaults?.[kind];
    if (defaults && suggested) {
      // Only texts nobody has touched yet are replaced by the new kind's suggestion.
      setTexts((now) => ({
        name: now.name === suggested.name ? defaults[next].name : now.name,
        subject: now.subject === suggested.subject ? defaults[next].subject : now.subject,
        body: now.body === suggested.body ? defaults[next].body : now.body,
      }));
    }
    setKind(next);
  };
  const action = campaignId
    ? updateCampaignAction.bind(null, tenant, campaignId)
    : createCampaignAction.bind(null, tenant);
  const [state, formAction, pending] = useActionState<CampaignFormState, FormData>(action, {});
  const onSubmit = useSubmitKeepingValues(formAction);
  const error = useCampaignError(state.error);
  const fieldError = (field: string) => (state.error === `field_${field}` ? error : undefined);
  const automation = kind !== "one_off";
  const givesBonus = kind === "win_back" || kind === "birthday";
  const hasFilter = Object.keys(initial.filter).length > 0;

  return (
    <form action={formAction} onSubmit={onSubmit} className="flex max-w-2xl flex-col gap-4" noValidate>
      <FormError message={state.error && !state.error.startsWith("field_") ? error : undefined} />
      {state.done ? (
        <p role="status" className="rounded-lg border border-leaf bg-green-50 p-3">
          {t("saved")}
        </p>
      ) : null}
      <SelectField
        id="campaign-kind"
        name="kind"
        label={t("kind")}
        value={kind}
        disabled={launched}
        onChange={(event) => chooseKind(event.target.value as Kind)}
        options={KINDS.map((value) => ({ value, text: tk(value) }))}
      />
      {launched ? <input type="hidden" name="kind" value={kind} /> : null}
      <p className="-mt-2 text-sm text-espresso/80">{t(`kindHint.${kind}`)}</p>
      <Field
        id="campaign-name"
        name="name"
        label={t("name")}
        hint={t("nameHint")}
        value={texts.name}
        onChange={(event) => setText("name")(event.target.value)}
        maxLength={120}
        required
        error={fieldError("name")}
      />
      <Field
        id="campaign-subject"
        name="subject"
        label={t("subject")}
        value={texts.subject}
        onChange={(event) => setText("subject")(event.target.value)}
        maxLength={200}
        required
        error={fieldError("subject")}
      />
      <div className="flex flex-col gap-1">
        <label htmlFor="campaign-body" className="font-medium">
          {t("body")}
        </label>
        <textarea
          id="campaign-body"
          name="body"
          rows={6}
          maxLength={5000}
          required
          value={texts.body}
          onChange={(event) => setText("body")(event.target.value)}
          aria-describedby={fieldError("body") ? "campaign-body-error campaign-body-hint" : "campaign-body-hint"}
          aria-invalid={fieldError("body") ? true : undefined}
          className="rounded-lg border border-espresso/40 bg-white px-3 py-2 text-base aria-invalid:border-red-700"
        />
        {fieldError("body") ? (
          <p id="campaign-body-error" className="text-sm font-medium text-red-800">
            {fieldError("body")}
          </p>
        ) : null}
        <p id="campaign-body-hint" className="text-sm text-espresso/80">
          {t("placeholders")}
        </p>
      </div>
      {givesBonus ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="campaign-bonus"
            name="bonusPoints"
            type="number"
            inputMode="numeric"
            min={0}
            label={t("bonusPoints")}
            hint={t("bonusHint")}
            value={bonus}
            onChange={(event) => setBonus(event.target.value)}
            error={fieldError("bonusPoints")}
          />
          {Number(bonus) > 0 ? (
            <Field
              id="campaign-bonus-expires"
              name="bonusExpiresDays"
              type="number"
              inputMode="numeric"
              min={1}
              max={365}
              label={t("bonusExpiresDays")}
              hint={t("bonusExpiresHint")}
              defaultValue={initial.bonusExpiresDays}
              error={fieldError("bonusExpiresDays")}
            />
          ) : null}
        </div>
      ) : null}
      {kind === "birthday" ? (
        <Field
          id="campaign-days-before"
          name="daysBefore"
          type="number"
          inputMode="numeric"
          min={0}
          max={30}
          label={t("daysBefore")}
          defaultValue={initial.daysBefore || "3"}
          error={fieldError("daysBefore")}
        />
      ) : null}
      {kind === "one_off" ? (
        <fieldset className="flex flex-col gap-2" disabled={launched}>
          <legend className="font-medium">{t("audience")}</legend>
          <SelectField
            id="campaign-audience"
            name="audience"
            label={t("audienceSegment")}
            value={audience}
            onChange={(event) => setAudience(event.target.value)}
            options={[
              ...(hasFilter ? [{ value: "filter", text: t("audienceFilter") }] : []),
              ...SEGMENTS.map((value) => ({ value, text: ts(value) })),
            ]}
          />
          {audience === "filter" && filterSummary ? <p className="text-sm">{filterSummary}</p> : null}
          {fieldError("audience") ? <p className="text-sm font-medium text-red-800">{fieldError("audience")}</p> : null}
          {Object.entries(initial.filter).map(([name, value]) => (
            <input key={name} type="hidden" name={`filter.${name}`} value={value} />
          ))}
        </fieldset>
      ) : null}
      {launched && kind === "one_off" ? <input type="hidden" name="audience" value={audience} /> : null}
      {kind === "one_off" ? (
        <fieldset className="flex flex-col gap-2">
          <legend className="font-medium">{t("when")}</legend>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="when"
              value="now"
              checked={when === "now"}
              onChange={() => setWhen("now")}
              className="size-4 accent-espresso"
            />
            {t("whenNow")}
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="when"
              value="later"
              checked={when === "later"}
              onChange={() => setWhen("later")}
              className="size-4 accent-espresso"
            />
            {t("whenLater")}
          </label>
          {when === "later" ? (
            <Field
              id="campaign-scheduled-at"
              name="scheduledAt"
              type="datetime-local"
              label={t("scheduledAt")}
              hint={t("scheduledAtHint")}
              defaultValue={initial.scheduledAt}
              error={fieldError("scheduledAt")}
            />
          ) : null}
        </fieldset>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id="campaign-holdout"
          name="holdoutPercent"
          type="number"
          inputMode="numeric"
          min={automation ? 5 : 0}
          max={50}
          label={t("holdoutPercent")}
          hint={automation ? t("holdoutHint") : t("holdoutHintOneOff")}
          defaultValue={initial.holdoutPercent}
          readOnly={launched}
          error={fieldError("holdoutPercent")}
        />
        <Field
          id="campaign-window"
          name="windowDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={90}
          label={t("windowDays")}
          hint={t("windowHint")}
          defaultValue={initial.windowDays}
          error={fieldError("windowDays")}
        />
      </div>
      <div>
        <SubmitButton pending={pending}>{campaignId ? t("save") : t("create")}</SubmitButton>
      </div>
    </form>
  );
}

/** Sends the message to the member's own email, in the language chosen. */
export function TestSendForm({ tenant, campaignId }: { tenant: string; campaignId: string }) {
  const t = useTranslations("campaigns.test");
  const [state, formAction, pending] = useActionState<TestSendState, FormData>(
    sendTestAction.bind(null, tenant, campaignId),
    {},
  );
  const error = useCampaignError(state.error);
  return (
    <form action={formAction} className="flex flex-col gap-3">
      <FormError message={error} />
      {state.sentTo ? (
        <p role="status" className="rounded-lg border border-leaf bg-green-50 p-3">
          {t("sent", { email: state.sentTo })}
        </p>
      ) : null}
      <SelectField
        id="test-locale"
        name="locale"
        label={t("language")}
        defaultValue="ru"
        options={[
          { value: "ru", text: "Русский" },
          { value: "en", text: "English" },
        ]}
      />
      <div>
        <button
          type="submit"
          disabled={pending}
          className="rounded-lg border border-espresso px-4 py-2 font-semibold hover:bg-crema disabled:opacity-60"
        >
          {t("send")}
        </button>
      </div>
    </form>
  );
}

/**
 * Launches a draft after a confirmation: messages start going out. It stays on the page once
 * launched (`launched`), so the launch's answer — how many were drawn — stays in view.
 */
export function LaunchForm({
  tenant,
  campaignId,
  question,
  launched,
}: {
  tenant: string;
  campaignId: string;
  question: string;
  launched: boolean;
}) {
  const t = useTranslations("campaigns.launch");
  const [state, formAction, pending] = useActionState<LaunchState, FormData>(
    launchCampaignAction.bind(null, tenant, campaignId),
    {},
  );
  const error = useCampaignError(state.error);
  return (
    <form action={formAction} className="flex flex-col gap-3">
      <FormError message={error} />
      {state.selected ? (
        <p role="status" className="rounded-lg border border-leaf bg-green-50 p-3">
          {t("launched", {
            target: state.selected.target,
            heldOut: state.selected.heldOut,
            skipped: state.selected.skipped,
          })}
        </p>
      ) : launched ? null : (
        <ConfirmSubmitButton
          label={t("launch")}
          question={question}
          confirm={t("confirm")}
          cancel={t("cancel")}
          pending={pending}
          tone="primary"
        />
      )}
    </form>
  );
}

/** Pause, resume or archive (archive asks first: it is final). */
export function CampaignStatusForm({
  tenant,
  campaignId,
  actions,
}: {
  tenant: string;
  campaignId: string;
  actions: ("pause" | "resume" | "archive")[];
}) {
  const t = useTranslations("campaigns.status");
  const [state, formAction, pending] = useActionState<CampaignFormState, FormData>(
    setCampaignStatusAction.bind(null, tenant, campaignId),
    {},
  );
  const error = useCampaignError(state.error);
  return (
    <div className="flex flex-col gap-2">
      <FormError message={error} />
      <div className="flex flex-wrap items-center gap-4">
        {actions
          .filter((action) => action !== "archive")
          .map((action) => (
            <form key={action} action={formAction}>
              <input type="hidden" name="action" value={action} />
              <button
                type="submit"
                disabled={pending}
                className="rounded-lg border border-espresso px-4 py-2 font-semibold hover:bg-crema disabled:opacity-60"
              >
                {t(action)}
              </button>
            </form>
          ))}
        {actions.includes("archive") ? (
          <form action={formAction}>
            <input type="hidden" name="action" value="archive" />
            <ConfirmSubmitButton
              label={t("archive")}
              question={t("archiveQuestion")}
              confirm={t("archiveConfirm")}
              cancel={t("cancel")}
              pending={pending}
            />
          </form>
        ) : null}
      </div>
    </div>
  );
}

export type SettingsValues = {
  frequencyCapCount: number;
  frequencyCapDays: number;
  quietStart: string;
  quietEnd: string;
  globalControlEnabled: boolean;
  globalControlPercent: number;
};

/** The café's campaign settings: the frequency cap, quiet hours and the global control group. */
export function CampaignSettingsForm({
  tenant,
  initial,
  timeZone,
}: {
  tenant: string;
  initial: SettingsValues;
  timeZone: string;
}) {
  const t = useTranslations("campaigns.settings");
  const [state, formAction, pending] = useActionState<SettingsState, FormData>(
    updateSettingsAction.bind(null, tenant),
    {},
  );
  const onSubmit = useSubmitKeepingValues(formAction);
  const error = useCampaignError(state.error);
  const fieldError = (field: string) => (state.error === `field_${field}` ? error : undefined);
  return (
    <form action={formAction} onSubmit={onSubmit} className="flex max-w-2xl flex-col gap-4" noValidate>
      <FormError message={state.error && !state.error.startsWith("field_") ? error : undefined} />
      {state.done ? (
        <p role="status" className="rounded-lg border border-leaf bg-green-50 p-3">
          {t("saved")}
        </p>
      ) : null}
      <fieldset className="flex flex-col gap-2">
        <legend className="font-medium">{t("frequencyCap")}</legend>
        <p className="text-sm text-espresso/80">{t("frequencyCapHint")}</p>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="settings-cap-count"
            name="frequencyCapCount"
            type="number"
            inputMode="numeric"
            min={1}
            max={20}
            label={t("frequencyCapCount")}
            defaultValue={initial.frequencyCapCount}
            error={fieldError("frequencyCapCount")}
          />
          <Field
            id="settings-cap-days"
            name="frequencyCapDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={60}
            label={t("frequencyCapDays")}
            defaultValue={initial.frequencyCapDays}
            error={fieldError("frequencyCapDays")}
          />
        </div>
      </fieldset>
      <fieldset className="flex flex-col gap-2">
        <legend className="font-medium">{t("quietHours")}</legend>
        <p className="text-sm text-espresso/80">{t("quietHoursHint", { zone: timeZone })}</p>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="settings-quiet-start"
            name="quietStart"
            type="time"
            label={t("quietStart")}
            defaultValue={initial.quietStart}
            error={fieldError("quietStart")}
          />
          <Field
            id="settings-quiet-end"
            name="quietEnd"
            type="time"
            label={t("quietEnd")}
            defaultValue={initial.quietEnd}
            error={fieldError("quietEnd")}
          />
        </div>
      </fieldset>
      <label className="flex items-start gap-2">
        <input
          type="checkbox"
          name="globalControlEnabled"
          defaultChecked={initial.globalControlEnabled}
          className="mt-1 size-4 accent-espresso"
          aria-describedby="settings-control-hint"
        />
        <span>
          <span className="font-medium">{t("globalControl", { percent: initial.globalControlPercent })}</span>
          <span id="settings-control-hint" className="block text-sm text-espresso/80">
            {t("globalControlHint", { percent: initial.globalControlPercent })}
          </span>
        </span>
      </label>
      <div>
        <SubmitButton pending={pending}>{t("save")}</SubmitButton>
      </div>
    </form>
  );
}
