import { describe, expect, it } from "vitest";
import { cafeSlugOfPath, localeFromAcceptLanguage, resolveLocale } from "./negotiate";

describe("the page's language", () => {
  it("tells a café's pages from the platform's", () => {
    expect(cafeSlugOfPath("/north")).toBe("north");
    expect(cafeSlugOfPath("/north/me/history")).toBe("north");
    expect(cafeSlugOfPath("/")).toBeNull();
    expect(cafeSlugOfPath("/sign-in/code")).toBeNull();
    expect(cafeSlugOfPath("/dashboard/north/orders")).toBeNull();
    expect(cafeSlugOfPath("/pricing")).toBeNull();
    expect(cafeSlugOfPath("/icon.svg")).toBeNull();
  });

  it("follows the browser's languages by weight on the platform's pages", () => {
    expect(localeFromAcceptLanguage("en-US,en;q=0.9,ru;q=0.8")).toBe("en");
    expect(localeFromAcceptLanguage("de-DE,de;q=0.9,en;q=0.5,ru;q=0.7")).toBe("ru");
    expect(localeFromAcceptLanguage("de-DE,fr;q=0.9")).toBe("ru");
    expect(localeFromAcceptLanguage("ru;q=0.1, en;q=0.2")).toBe("en");
    expect(localeFromAcceptLanguage(undefined)).toBe("ru");
  });

  it("starts a café's pages in the café's language, then keeps the guest's choice", () => {
    expect(resolveLocale({ chosen: undefined, cafeLocale: "en", acceptLanguage: "ru-RU" })).toBe("en");
    expect(resolveLocale({ chosen: "ru", cafeLocale: "en", acceptLanguage: "en" })).toBe("ru");
    expect(resolveLocale({ chosen: undefined, cafeLocale: null, acceptLanguage: "en-GB" })).toBe("en");
    expect(resolveLocale({ chosen: "xx", cafeLocale: undefined, acceptLanguage: null })).toBe("ru");
  });
});
