import { and, asc, count, eq, notExists } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { receipts, surveyQuestions, surveyResponses, surveys } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { postPoints } from "../loyalty/ledger";
import { loadProgram, type Program } from "../loyalty/program";
import { activeGuest, lockedActiveGuest } from "./summary";

export const SURVEY_TEXT_MAX = 1000;

export type SurveyQuestion = { id: string; text: string; kind: "rating" | "choice" | "text"; options: string[] };
export type PendingSurvey = { id: string; title: string; questions: SurveyQuestion[]; bonusPoints: number };
export type SurveyAnswers = Record<string, string | number>;

async function visitCount(tx: Tx, guestId: string): Promise<number> {
  const [row] = await tx.select({ visits: count() }).from(receipts).where(eq(receipts.guestId, guestId));
  return row?.visits ?? 0;
}

async function questionsOf(tx: Tx, surveyId: string): Promise<SurveyQuestion[]> {
  return tx
    .select({
      id: surveyQuestions.id,
      text: surveyQuestions.text,
      kind: surveyQuestions.kind,
      options: surveyQuestions.options,
    })
    .from(surveyQuestions)
    .where(eq(surveyQuestions.surveyId, surveyId))
    .orderBy(asc(surveyQuestions.sortOrder), asc(surveyQuestions.id));
}

/**
 * The survey to invite the guest to, or null: the oldest active survey whose `afterVisits` the
 * guest's receipts (POS visits and picked-up orders) reach and that they have not answered, with
 * the points answering it grants.
 */
export async function pendingSurvey(tx: Tx, guestId: string): Promise<PendingSurvey | null> {
  const guest = await activeGuest(tx, guestId);
  const visits = await visitCount(tx, guest.id);
  const candidates = await tx
    .select({ id: surveys.id, title: surveys.title, afterVisits: surveys.afterVisits })
    .from(surveys)
    .where(
      and(
        eq(surveys.active, true),
        notExists(
          tx
            .select({ id: surveyResponses.id })
            .from(surveyResponses)
            .where(and(eq(surveyResponses.surveyId, surveys.id), eq(surveyResponses.guestId, guest.id))),
        ),
      ),
    )
    .orderBy(asc(surveys.createdAt), asc(surveys.id));
  const survey = candidates.find((candidate) => visits >= candidate.afterVisits);
  if (!survey) return null;
  const { surveyBonus } = await loadProgram(tx);
  return { id: survey.id, title: survey.title, questions: await questionsOf(tx, survey.id), bonusPoints: surveyBonus };
}

const invalidAnswer = (questionId: string, message: string) =>
  new AppError("invalid_request", message, "invalid_answers", [{ path: `answers.${questionId}`, message }]);

/**
 * Checks answers against the survey's questions: every key is a question of it; a rating is an
 * integer 1–5 and a choice one of the options (both required); a text is at most 1000 characters
 * (optional; an empty text is left out). Returns the answers to store.
 */
export function validateAnswers(questions: SurveyQuestion[], answers: SurveyAnswers): SurveyAnswers {
  const byId = new Map(questions.map((question) => [question.id, question]));
  for (const key of Object.keys(answers)) {
    if (!byId.has(key)) throw invalidAnswer(key, "Not a question of this survey");
  }
  const stored: SurveyAnswers = {};
  for (const question of questions) {
    const answer = Object.hasOwn(answers, question.id) ? answers[question.id] : undefined;
    if (question.kind === "rating") {
      if (typeof answer !== "number" || !Number.isInteger(answer) || answer < 1 || answer > 5) {
        throw invalidAnswer(question.id, "A rating from 1 to 5");
      }
      stored[question.id] = answer;
    } else if (question.kind === "choice") {
      if (typeof answer !== "string" || !question.options.includes(answer)) {
        throw invalidAnswer(question.id, "One of the offered options");
      }
      stored[question.id] = answer;
    } else {
      if (answer === undefined) continue;
      if (typeof answer !== "string") throw invalidAnswer(question.id, "A text");
      const text = answer.trim();
      if (text.length > SURVEY_TEXT_MAX) throw invalidAnswer(question.id, `At most ${SURVEY_TEXT_MAX} characters`);
      if (text) stored[question.id] = text;
    }
  }
  return stored;
}

/**
 * Stores the guest's answers and grants `program.surveyBonus` in the same transaction, once: the
 * unique (tenant, survey, guest) key makes a second answer 409 already_answered with no bonus.
 * 404 survey_not_found for an unknown or inactive survey; 422 survey_not_available before the
 * guest has `afterVisits` visits.
 */
export async function answerSurvey(
  tx: Tx,
  program: Program,
  guestId: string,
  surveyId: string,
  answers: SurveyAnswers,
  meta: { ip?: string | null } = {},
) {
  // The guest's row lock serialises two tabs answering at once; the unique key backs it up.
  const guest = await lockedActiveGuest(tx, guestId);
  const [survey] = await tx
    .select()
    .from(surveys)
    .where(and(eq(surveys.id, surveyId), eq(surveys.active, true)));
  if (!survey) throw new AppError("not_found", "No such survey", "survey_not_found");
  const stored = validateAnswers(await questionsOf(tx, survey.id), answers);
  if ((await visitCount(tx, guest.id)) < survey.afterVisits) {
    throw new AppError("unprocessable", "The survey opens after more visits", "survey_not_available");
  }
  const [response] = await tx
    .insert(surveyResponses)
    .values({ tenantId: guest.tenantId, surveyId: survey.id, guestId: guest.id, answers: stored })
    .onConflictDoNothing({ target: [surveyResponses.tenantId, surveyResponses.surveyId, surveyResponses.guestId] })
    .returning({ id: surveyResponses.id });
  if (!response) throw new AppError("conflict", "The survey is already answered", "already_answered");
  const balance = await postPoints(tx, guest, [
    { kind: "survey_bonus", delta: program.surveyBonus, note: `survey ${survey.id}` },
  ]);
  await recordAudit(tx, {
    tenantId: guest.tenantId,
    actorKind: "guest",
    actorRef: guest.id,
    ip: meta.ip,
    action: "survey.answer",
    targetType: "survey",
    targetId: survey.id,
    meta: { pointsGranted: program.surveyBonus },
  });
  return { responseId: response.id, pointsGranted: program.surveyBonus, balance };
}
