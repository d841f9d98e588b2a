"use client";

import { useTranslations } from "next-intl";
import { useId, useState, useTransition } from "react";
import {
  type PublishRulesState,
  previewRulesAction,
  publishRulesAction,
  type RuleDraft,
  type RulePreviewState,
} from "@/app/dashboard/[tenant]/loyalty/actions";
import { FormError } from "@/components/ui/field";
import type { TierNames } from "@/server/loyalty/formulas";

export type EditableRules = {
  tiers: { id?: string; name: string; names?: TierNames; accrualPercent: number; minSpend: number }[];
  maxRedeemPercent: number;
  welcomeBonus: number;
  birthdayBonus: number;
  surveyBonus: number;
  holdTtlSeconds: number;
  expireAfterInactiveDays: number | null;
};

/** `name`: in the café's language (the tier's own name); `otherName`: in the other UI language. */
type TierRow = { key: string; id?: string; name: string; otherName: string; accrualPercent: string; threshold: string };
type Language = "ru" | "en";
type Form = {
  tiers: TierRow[];
  maxRedeemPercent: string;
  welcomeBonus: string;
  birthdayBonus: string;
  surveyBonus: string;
  holdMinutes: string;
  expireDays: string;
  when: "tomorrow" | "now" | "date";
  date: string;
  retroactive: boolean;
};

const integer = (value: string) => (value.trim() === "" ? Number.NaN : Number(value));

function draftOf(form: Form, cafeLanguage: Language): RuleDraft {
  const other: Language = cafeLanguage === "ru" ? "en" : "ru";
  const effective =
    form.when === "date" ? { when: "date" as const, date: form.date } : { when: form.when as "tomorrow" | "now" };
  return {
    rules: {
      tiers: form.tiers.map((tier) => ({
        ...(tier.id ? { id: tier.id } : {}),
        name: tier.name,
        names: { [cafeLanguage]: tier.name, [other]: tier.otherName.trim() },
        accrualPercent: integer(tier.accrualPercent),
        // Thresholds are typed in major units; the rules keep minor units.
        minSpend: Math.round(integer(tier.threshold) * 100),
      })),
      maxRedeemPercent: integer(form.maxRedeemPercent),
      welcomeBonus: integer(form.welcomeBonus),
      birthdayBonus: integer(form.birthdayBonus),
      surveyBonus: integer(form.surveyBonus),
      holdTtlSeconds: Math.round(integer(form.holdMinutes) * 60),
      expireAfterInactiveDays: form.expireDays.trim() === "" ? null : integer(form.expireDays),
    },
    effective,
    retroactive: form.retroactive,
  };
}

/**
 * The owner's editor of the loyalty rules: a change is previewed against today's guests, then
 * published as a new version from tomorrow 00:00 (by default), now, or a date.
 */
export function LoyaltyRulesEditor({
  tenant,
  rules,
  tomorrowLabel,
  currency,
  locale,
  cafeLocale,
}: {
  tenant: string;
  rules: EditableRules;
  tomorrowLabel: string;
  currency: string;
  locale: string;
  /** The café's language: its tiers' own names are in it, the other language's are optional. */
  cafeLocale: string;
}) {
  const cafeLanguage: Language = cafeLocale === "en" ? "en" : "ru";
  const otherLanguage: Language = cafeLanguage === "ru" ? "en" : "ru";
  const t = useTranslations("loyaltyRules");
  const id = useId();
  const [form, setForm] = useState<Form>(() => ({
    tiers: rules.tiers.map((tier, index) => ({
      key: tier.id ?? `tier-${index}`,
      id: tier.id,
      name: tier.names?.[cafeLanguage] || tier.name,
      otherName: tier.names?.[otherLanguage] ?? "",
      accrualPercent: String(tier.accrualPercent),
      threshold: String(tier.minSpend / 100),
    })),
    maxRedeemPercent: String(rules.maxRedeemPercent),
    welcomeBonus: String(rules.welcomeBonus),
    birthdayBonus: String(rules.birthdayBonus),
    surveyBonus: String(rules.surveyBonus),
    holdMinutes: String(Math.round(rules.holdTtlSeconds / 60)),
    expireDays: rules.expireAfterInactiveDays === null ? "" : String(rules.expireAfterInactiveDays),
    when: "tomorrow",
    date: "",
    retroactive: false,
  }));
  const [preview, setPreview] = useState<{ state: RulePreviewState; of: string } | null>(null);
  const [published, setPublished] = useState<PublishRulesState | null>(null);
  const [pending, startTransition] = useTransition();
  const draft = draftOf(form, cafeLanguage);
  const draftKey = JSON.stringify(draft);
  const previewed = preview && preview.of === draftKey && "preview" in preview.state ? preview.state.preview : null;
  const failure =
    (published && "error" in published ? published : null) ??
    (preview && "error" in preview.state ? preview.state : null);
  const number = new Intl.NumberFormat(locale);
  const dateText = (date: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${date}T12:00:00Z`));

  const change = (patch: Partial<Form>) => {
    setPublished(null);
    setForm((current) => ({ ...current, ...patch }));
  };
  const changeTier = (key: string, patch: Partial<TierRow>) =>
    change({ tiers: form.tiers.map((tier) => (tier.key === key ? { ...tier, ...patch } : tier)) });

  const errorText = (code: string) => (t.has(`errors.${code}`) ? t(`errors.${code}`) : t("errors.generic"));
  const invalid = (field: string) => failure?.field === field || failure?.field?.startsWith(`${field}.`);

  const numberField = (field: keyof Form, label: string, hint?: string) => (
    <div className="flex flex-col gap-1">
      <label htmlFor={`${id}-${field}`} className="font-medium">
        {label}
      </label>
      <input
        id={`${id}-${field}`}
        type="number"
        inputMode="numeric"
        min={0}
        value={String(form[field])}
        onChange={(event) => change({ [field]: event.target.value } as Partial<Form>)}
        aria-invalid={invalid(fieldPath(field)) || undefined}
        aria-describedby={hint ? `${id}-${field}-hint` : undefined}
        className="w-40 rounded-lg border border-espresso/40 bg-white px-3 py-2 aria-invalid:border-red-700"
      />
      {hint ? (
        <p id={`${id}-${field}-hint`} className="text-sm text-espresso/80">
          {hint}
        </p>
      ) : null}
    </div>
  );

  return (
    <section aria-labelledby={`${id}-title`} className="mt-10 max-w-3xl">
      <h2 id={`${id}-title`} className="text-xl font-semibold">
        {t("editTitle")}
      </h2>
      <p className="mt-1 text-espresso/80">{t("editLead")}</p>

      <fieldset className="mt-4">
        <legend className="text-lg font-semibold">{t("tiers")}</legend>
        <table className="mt-2 w-full text-left">
          <thead>
            <tr>
              <th scope="col" className="py-1 pr-2">
                {t("tierNameIn", { language: cafeLanguage })}
              </th>
              <th scope="col" className="py-1 pr-2">
                {t("tierNameIn", { language: otherLanguage })}
              </th>
              <th scope="col" className="py-1 pr-2">
                {t("threshold", { currency })}
              </th>
              <th scope="col" className="py-1 pr-2">
                {t("accrual")}
              </th>
              <th scope="col">
                <span className="sr-only">{t("actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {form.tiers.map((tier, index) => (
              <tr key={tier.key}>
                <td className="py-1 pr-2">
                  <input
                    aria-label={t("tierNameOf", { n: index + 1 })}
                    value={tier.name}
                    onChange={(event) => changeTier(tier.key, { name: event.target.value })}
                    aria-invalid={invalid(`tiers.${index}.name`) || undefined}
                    className="w-full rounded-lg border border-espresso/40 bg-white px-2 py-1 aria-invalid:border-red-700"
                  />
                </td>
                <td className="py-1 pr-2">
                  <input
                    aria-label={t("otherNameOf", { n: index + 1, language: otherLanguage })}
                    value={tier.otherName}
                    placeholder={tier.name}
                    onChange={(event) => changeTier(tier.key, { otherName: event.target.value })}
                    aria-invalid={invalid(`tiers.${index}.names.${otherLanguage}`) || undefined}
                    className="w-full rounded-lg border border-espresso/40 bg-white px-2 py-1 aria-invalid:border-red-700"
                  />
                </td>
                <td className="py-1 pr-2">
                  <input
                    aria-label={t("thresholdOf", { n: index + 1 })}
                    type="number"
                    min={0}
                    value={tier.threshold}
                    onChange={(event) => changeTier(tier.key, { threshold: event.target.value })}
                    aria-invalid={invalid(`tiers.${index}.minSpend`) || undefined}
                    className="w-36 rounded-lg border border-espresso/40 bg-white px-2 py-1 aria-invalid:border-red-700"
                  />
                </td>
                <td className="py-1 pr-2">
                  <input
                    aria-label={t("accrualOf", { n: index + 1 })}
                    type="number"
                    min={0}
                    max={100}
                    value={tier.accrualPercent}
                    onChange={(event) => changeTier(tier.key, { accrualPercent: event.target.value })}
                    aria-invalid={invalid(`tiers.${index}.accrualPercent`) || undefined}
                    className="w-24 rounded-lg border border-espresso/40 bg-white px-2 py-1 aria-invalid:border-red-700"
                  />
                </td>
                <td className="py-1">
                  <button
                    type="button"
                    disabled={form.tiers.length <= 1}
                    onClick={() => change({ tiers: form.tiers.filter((row) => row.key !== tier.key) })}
                    className="rounded-lg border border-espresso/40 px-3 py-1 disabled:opacity-50"
                  >
                    {t("removeTier", { name: tier.name || String(index + 1) })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button
          type="button"
          disabled={form.tiers.length >= 10}
          onClick={() =>
            change({
              tiers: [
                ...form.tiers,
                { key: `new-${Date.now()}`, name: "", otherName: "", accrualPercent: "", threshold: "" },
              ],
            })
          }
          className="mt-2 rounded-lg border border-espresso/40 px-3 py-1"
        >
          {t("addTier")}
        </button>
      </fieldset>

      <div className="mt-6 grid grid-cols-1 gap-4 sm:grid-cols-2">
        {numberField("maxRedeemPercent", t("cap"), t("capHint"))}
        {numberField("welcomeBonus", t("welcome"))}
        {numberField("birthdayBonus", t("birthday"))}
        {numberField("surveyBonus", t("survey"))}
        {numberField("expireDays", t("expiry"), t("expiryHint"))}
        {numberField("holdMinutes", t("hold"), t("holdHint"))}
      </div>

      <fieldset className="mt-6 flex flex-col gap-2">
        <legend className="text-lg font-semibold">{t("effective")}</legend>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name={`${id}-when`}
            checked={form.when === "tomorrow"}
            onChange={() => change({ when: "tomorrow" })}
          />
          {t("fromTomorrow", { date: tomorrowLabel })}
        </label>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name={`${id}-when`}
            checked={form.when === "now"}
            onChange={() => change({ when: "now" })}
          />
          {t("fromNow")}
        </label>
        <label className="flex flex-wrap items-center gap-2">
          <input
            type="radio"
            name={`${id}-when`}
            checked={form.when === "date"}
            onChange={() => change({ when: "date" })}
          />
          {t("fromDate")}
          <input
            type="date"
            aria-label={t("date")}
            value={form.date}
            onChange={(event) => change({ when: "date", date: event.target.value })}
            aria-invalid={invalid("effective") || undefined}
            className="rounded-lg border border-espresso/40 bg-white px-2 py-1 aria-invalid:border-red-700"
          />
        </label>
        <label className="mt-2 flex items-start gap-2">
          <input
            type="checkbox"
            className="mt-1"
            checked={form.retroactive}
            onChange={(event) => change({ retroactive: event.target.checked })}
          />
          <span>
            {t("retroactive")}
            <span className="block text-sm text-espresso/80">{t("retroactiveHint")}</span>
          </span>
        </label>
      </fieldset>

      <div className="mt-6 flex flex-wrap gap-3">
        <button
          type="button"
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              setPublished(null);
              setPreview({ state: await previewRulesAction(tenant, draft), of: draftKey });
            })
          }
          className="rounded-lg border-2 border-espresso px-4 py-2 font-semibold disabled:opacity-60"
        >
          {t("showPreview")}
        </button>
        <button
          type="button"
          disabled={pending || !previewed}
          aria-describedby={previewed ? undefined : `${id}-publish-hint`}
          onClick={() =>
            startTransition(async () => {
              setPublished(await publishRulesAction(tenant, draft));
            })
          }
          className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema hover:bg-roast disabled:opacity-60"
        >
          {t("publish")}
        </button>
      </div>
      {previewed ? null : (
        <p id={`${id}-publish-hint`} className="mt-2 text-sm text-espresso/80">
          {t("publishHint")}
        </p>
      )}
      <div aria-live="polite" className="mt-4">
        {pending ? <p role="status">{t("working")}</p> : null}
        <FormError message={failure ? errorText(failure.error) : undefined} />
        {published && "published" in published ? (
          <p role="status" className="rounded-lg bg-green-50 px-3 py-2 text-green-900">
            {t("published", {
              number: published.published.number,
              date: new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short" }).format(
                new Date(published.published.effectiveFrom),
              ),
            })}
          </p>
        ) : null}
        {previewed && !(published && "published" in published) ? (
          <section aria-label={t("previewTitle")} className="rounded-lg border border-espresso/20 bg-white p-4">
            <h3 className="font-semibold">{t("previewTitle")}</h3>
            <ul className="mt-2 list-disc pl-5">
              {previewed.tiers.map((tier) => (
                <li key={tier.id}>
                  {t("previewTier", {
                    name: tier.name,
                    guests: number.format(tier.guests),
                    count: tier.guests,
                    percent: tier.accrualPercent,
                  })}
                  {tier.previousAccrualPercent === null ? (
                    <> {t("newTier")}</>
                  ) : tier.previousAccrualPercent !== tier.accrualPercent ? (
                    <> {t("accrualWas", { previous: tier.previousAccrualPercent })}</>
                  ) : null}
                  {tier.movedUp > 0 ? (
                    <> {t("movedUp", { count: tier.movedUp, guests: number.format(tier.movedUp), name: tier.name })}</>
                  ) : null}
                  {tier.movedDown > 0 ? (
                    <>
                      {" "}
                      {t("movedDown", {
                        count: tier.movedDown,
                        guests: number.format(tier.movedDown),
                        name: tier.name,
                      })}
                    </>
                  ) : null}
                </li>
              ))}
              <li>
                {previewed.expiry
                  ? t("expiryPreview", {
                      count: previewed.expiry.guests,
                      guests: number.format(previewed.expiry.guests),
                      date: dateText(previewed.expiry.date),
                      points: number.format(previewed.expiry.points),
                    })
                  : t("noExpiry")}
              </li>
              <li>
                {t("lastThirtyDays", {
                  receipts: number.format(previewed.lastThirtyDays.receipts),
                  count: previewed.lastThirtyDays.receipts,
                  before: number.format(previewed.lastThirtyDays.pointsBefore),
                  after: number.format(previewed.lastThirtyDays.pointsAfter),
                })}
              </li>
            </ul>
            <p className="mt-2 text-sm text-espresso/80">{form.retroactive ? t("retroNote") : t("notRetroNote")}</p>
          </section>
        ) : null}
      </div>
    </section>
  );
}

function fieldPath(field: keyof Form): string {
  if (field === "holdMinutes") return "holdTtlSeconds";
  if (field === "expireDays") return "expireAfterInactiveDays";
  return field;
}
