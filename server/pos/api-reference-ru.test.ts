import { describe, expect, it } from "vitest";
import { posApiReference } from "./api-reference";
import { POS_REFERENCE_RU, referenceText } from "./api-reference-ru";

describe("the POS API reference in Russian", () => {
  it("has a Russian text for every summary, field description and error case of the document", () => {
    const texts = posApiReference().flatMap((operation) => [
      operation.summary,
      ...operation.request.map((field) => field.description),
      ...operation.response.map((field) => field.description),
      ...operation.errors.map((error) => error.when),
    ]);
    const missing = [...new Set(texts.filter((text): text is string => Boolean(text)))].filter(
      (text) => !(text in POS_REFERENCE_RU),
    );
    expect(missing).toEqual([]);
  });

  it("shows the document's English to an English reader", () => {
    expect(referenceText("Void a hold", "en")).toBe("Void a hold");
    expect(referenceText("Void a hold", "ru")).toBe("Отменить удержание");
  });
});
