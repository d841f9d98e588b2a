import type { Tx } from "@/db/client";
import { surveyQuestions, surveys } from "@/db/schema";

/**
 * For tests: a survey of the café bound to `tx` with a rating, a choice (кофе / чай) and a free
 * text question, offered after `afterVisits` visits; the ids a test answers with.
 */
export async function createTestSurvey(tx: Tx, tenantId: string, afterVisits: number) {
  const [survey] = await tx.insert(surveys).values({ tenantId, title: "Как вам у нас?", afterVisits }).returning();
  if (!survey) throw new Error("no survey");
  const [rating, choice, text] = await tx
    .insert(surveyQuestions)
    .values([
      { tenantId, surveyId: survey.id, text: "Оценка", kind: "rating", sortOrder: 1 },
      { tenantId, surveyId: survey.id, text: "Любимое", kind: "choice", options: ["кофе", "чай"], sortOrder: 2 },
      { tenantId, surveyId: survey.id, text: "Что улучшить?", kind: "text", sortOrder: 3 },
    ])
    .returning();
  if (!rating || !choice || !text) throw new Error("no questions");
  return { id: survey.id, rating: rating.id, choice: choice.id, text: text.id };
}
