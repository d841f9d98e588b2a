"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { answerSurveyAction, type SurveyState } from "@/app/[tenant]/me/actions";
import { FormError, SubmitButton } from "@/components/ui/field";
import type { PendingSurvey } from "@/server/cabinet/survey";

const RATINGS = [1, 2, 3, 4, 5] as const;

/** The owner's questions: a rating 1–5 and a choice as radio groups, a text as a text area. */
export function SurveyForm({ tenant, survey }: { tenant: string; survey: PendingSurvey }) {
  const t = useTranslations("cabinet.survey");
  const points = useTranslations("cabinet");
  const [state, action, pending] = useActionState<SurveyState, FormData>(
    answerSurveyAction.bind(null, tenant, survey.id),
    {},
  );
  if (state.granted !== undefined) {
    return (
      <div className="flex flex-col items-start gap-4">
        <p role="status" className="rounded-lg bg-green-50 px-3 py-2 text-green-900">
          {t("thanks", { points: points("points", { count: state.granted }) })}
        </p>
        <Link href={`/${tenant}/me`} className="rounded-lg bg-espresso px-4 py-2 font-semibold text-crema">
          {t("back")}
        </Link>
      </div>
    );
  }
  const error = state.error ? (t.has(`errors.${state.error}`) ? t(`errors.${state.error}`) : t("errors.generic")) : "";
  return (
    <form action={action} className="flex flex-col gap-6">
      <FormError message={error} />
      {survey.questions.map((question, index) => {
        const id = `q-${index}`;
        if (question.kind === "text") {
          return (
            <div key={question.id} className="flex flex-col gap-1">
              <label htmlFor={id} className="font-medium">
                {question.text} <span className="font-normal text-espresso/80">({t("optional")})</span>
              </label>
              <textarea
                id={id}
                name={`text:${question.id}`}
                rows={3}
                maxLength={1000}
                className="rounded-lg border border-espresso/40 bg-white px-3 py-2 text-base"
              />
            </div>
          );
        }
        const options =
          question.kind === "rating"
            ? RATINGS.map((value) => ({
                value: String(value),
                label: String(value),
                name: t("ratingValue", { value }),
              }))
            : question.options.map((option) => ({ value: option, label: option, name: option }));
        return (
          <fieldset key={question.id} className="flex flex-col gap-2">
            <legend className="mb-1 font-medium">{question.text}</legend>
            <div className={question.kind === "rating" ? "flex gap-2" : "flex flex-col gap-2"}>
              {options.map((option) => (
                <label
                  key={option.value}
                  className="flex min-h-11 cursor-pointer items-center gap-2 rounded-lg border border-espresso/30 bg-white px-3 py-2 has-checked:border-espresso has-checked:bg-espresso has-checked:text-crema has-focus-visible:outline-3 has-focus-visible:outline-leaf"
                >
                  <input
                    type="radio"
                    name={`${question.kind}:${question.id}`}
                    value={option.value}
                    required
                    aria-label={question.kind === "rating" ? option.name : undefined}
                    className={question.kind === "rating" ? "sr-only" : "size-5"}
                  />
                  <span aria-hidden={question.kind === "rating" ? true : undefined}>{option.label}</span>
                </label>
              ))}
            </div>
          </fieldset>
        );
      })}
      <div>
        <SubmitButton pending={pending}>{pending ? t("submitting") : t("submit")}</SubmitButton>
      </div>
    </form>
  );
}
