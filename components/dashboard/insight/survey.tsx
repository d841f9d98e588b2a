import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { SurveyComment, SurveySummary } from "@/server/analytics/dashboard";
import { formatDate, formatNumber } from "@/server/format";

const cell = "border-b border-espresso/10 px-2 py-1 text-left";
const numberCell = "border-b border-espresso/10 px-2 py-1 text-right tabular-nums";

function ShareBar({ count, of }: { count: number; of: number }) {
  return (
    <span aria-hidden="true" className="block h-2 w-32 rounded-sm bg-crema">
      <span
        className="block h-2 rounded-sm bg-roast"
        style={{ width: `${of === 0 ? 0 : Math.round((count / of) * 100)}%` }}
      />
    </span>
  );
}

/** One survey's answers: each rating's average and spread, each choice's counts, how many commented. */
export async function SurveyAnswers({ survey, locale }: { survey: SurveySummary; locale: string }) {
  const t = await getTranslations("dashboardInsight.survey");
  const count = (value: number) => formatNumber(value, locale);
  const average = (value: number) => formatNumber(value, locale, { min: 1, max: 1 });
  return (
    <article className="mt-3 rounded-xl border border-espresso/15 p-4" data-testid="survey">
      <h3 className="font-semibold">
        {survey.title}{" "}
        <span className="font-normal text-espresso/80">
          · {t("responses", { count: survey.responses })}
          {survey.active ? "" : ` · ${t("inactive")}`}
        </span>
      </h3>
      <div className="mt-2 grid gap-4 md:grid-cols-2">
        {survey.questions.map((question) => {
          if (question.kind === "text") {
            return (
              <div key={question.id}>
                <h4 className="font-medium">{question.text}</h4>
                <p className="text-sm">{t("texts", { count: question.answers })}</p>
              </div>
            );
          }
          const rows =
            question.kind === "rating"
              ? question.counts.map((value, index) => ({ key: String(index + 1), label: `${index + 1}`, value }))
              : question.options.map((option) => ({ key: option.option, label: option.option, value: option.count }));
          const total = rows.reduce((sum, row) => sum + row.value, 0);
          return (
            <div key={question.id}>
              <h4 className="font-medium">{question.text}</h4>
              {question.kind === "rating" ? (
                <p className="text-sm">
                  {question.average === null ? t("noRatings") : t("average", { average: average(question.average) })}
                </p>
              ) : null}
              <table className="mt-1 text-sm">
                <caption className="sr-only">{question.text}</caption>
                <thead>
                  <tr>
                    <th scope="col" className={cell}>
                      {question.kind === "rating" ? t("score") : t("option")}
                    </th>
                    <th scope="col" className={numberCell}>
                      {t("count")}
                    </th>
                    <td className={cell} />
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.key}>
                      <th scope="row" className={cell}>
                        {row.label}
                      </th>
                      <td className={numberCell}>{count(row.value)}</td>
                      <td className={cell}>
                        <ShareBar count={row.value} of={total} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        })}
      </div>
    </article>
  );
}

/** Guests' comments, newest first; the name links to the guest's card; dates are the café's (`timeZone`). */
export async function CommentList({
  slug,
  comments,
  timeZone,
}: {
  slug: string;
  comments: SurveyComment[];
  timeZone: string;
}) {
  const t = await getTranslations("dashboardInsight.survey");
  const locale = await getLocale();
  if (comments.length === 0) return <p className="mt-2">{t("noComments")}</p>;
  return (
    <ul className="mt-2 flex max-w-3xl flex-col gap-3" data-testid="comments">
      {comments.map((comment) => (
        <li key={`${comment.responseId}:${comment.question}`} className="rounded-xl bg-crema p-3">
          <blockquote className="whitespace-pre-line">{comment.text}</blockquote>
          <p className="mt-1 text-sm text-espresso/80">
            {comment.question} ·{" "}
            <Link href={`/dashboard/${slug}/guests/${comment.guestId}`} className="underline">
              {comment.guestName ?? t("anonymous")}
            </Link>
            , {formatDate(comment.at, locale, timeZone)}
          </p>
        </li>
      ))}
    </ul>
  );
}
