import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { createCafe, expect, newGuest, placeOrder, signIn, signInGuest, test } from "./fixtures";

/**
 * Every page in both languages: a page fails when it shows a message key raw ("shop.order.title")
 * or a text of the other language's catalogue — a value that the other locale has and this one
 * does not (so "Email" or "POS", the same in both, never count). The catalogue is read from
 * server/i18n/messages, all areas. Texts of one or two short words are left out: café data
 * (a product named "Latte", a café named "Кофейня") may coincide with them.
 */
type Language = "ru" | "en";
const MESSAGES = path.join(process.cwd(), "server/i18n/messages");

function leaves(value: unknown, prefix: string, into: Map<string, string>) {
  if (typeof value === "string") into.set(prefix, value);
  else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) leaves(child, prefix ? `${prefix}.${key}` : key, into);
  }
}

function catalogue(language: Language): Map<string, string> {
  const all = new Map<string, string>();
  const files = [
    path.join(MESSAGES, `${language}.json`),
    ...readdirSync(MESSAGES, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(MESSAGES, entry.name, `${language}.json`)),
  ];
  for (const file of files) leaves(JSON.parse(readFileSync(file, "utf8")), "", all);
  return all;
}

const catalogues = { ru: catalogue("ru"), en: catalogue("en") };
const normal = (text: string) => text.replace(/\s+/g, " ").trim();
/** Plain texts (no ICU arguments) long enough to be unmistakably one language's. */
const telling = (text: string) => !/[{}<]/.test(text) && text.split(" ").length >= 3 && text.length >= 12;

function foreignTexts(language: Language): string[] {
  const own = new Set([...catalogues[language].values()].map(normal));
  const other = catalogues[language === "ru" ? "en" : "ru"];
  return [...new Set([...other.values()].map(normal))].filter((text) => telling(text) && !own.has(text));
}
const FOREIGN = { ru: foreignTexts("ru"), en: foreignTexts("en") };
// Keys with at least two dots ("shop.order.title"), as next-intl prints a missing message.
const KEYS = [...catalogues.ru.keys()].filter((key) => key.split(".").length >= 3);

async function useLanguage(context: BrowserContext, language: Language) {
  await context.addCookies([{ name: "NEXT_LOCALE", value: language, url: baseURL }]);
}

/** What is wrong with the open page in `language`: raw keys, the other language's texts, the <html lang>. */
async function problemsOf(page: Page, language: Language): Promise<string[]> {
  await page.waitForLoadState("load");
  const text = normal(
    await page.evaluate(() => {
      const description = document.querySelector('meta[name="description"]')?.getAttribute("content") ?? "";
      const labels = [...document.querySelectorAll("[aria-label],[placeholder],[title]")].map((element) =>
        ["aria-label", "placeholder", "title"].map((name) => element.getAttribute(name) ?? "").join(" "),
      );
      // biome-ignore lint/performance/useDomNodeTextContent: the text a reader sees, not hidden nodes and scripts
      return [document.title, description, document.body.innerText, ...labels].join("\n");
    }),
  );
  const problems: string[] = [];
  const lang = await page.locator("html").getAttribute("lang");
  if (lang !== language) problems.push(`<html lang="${lang}">`);
  for (const key of KEYS) if (text.includes(key)) problems.push(`raw key ${key}`);
  for (const foreign of FOREIGN[language]) if (text.includes(foreign)) problems.push(`other language: "${foreign}"`);
  if (/ — (Зерно|Zerno) — (Зерно|Zerno)/.test(text) || /^(Зерно|Zerno) — (Зерно|Zerno)/.test(text)) {
    problems.push("a doubled title");
  }
  return problems;
}

async function walk(page: Page, language: Language, paths: string[]): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  for (const target of paths) {
    const response = await page.goto(target);
    expect(response?.status(), target).toBeLessThan(400);
    const problems = await problemsOf(page, language);
    if (problems.length > 0) found[target] = problems;
  }
  return found;
}

const PLATFORM = ["/", "/pricing", "/sign-in", "/sign-up", "/forgot-password"];

for (const language of ["ru", "en"] as const) {
  test(`the platform's and the demo cafés' public pages speak only ${language}`, async ({ page, context }) => {
    test.setTimeout(120_000);
    await useLanguage(context, language);
    const found = await walk(page, language, [
      ...PLATFORM,
      "/demo",
      "/demo/sign-in",
      "/demo/cart",
      "/north",
      "/north/sign-in",
    ]);
    expect(found).toEqual({});
  });

  test(`a guest's cabinet, orders and checkout speak only ${language}`, async ({ page, context }) => {
    test.setTimeout(180_000);
    const cafe = await createCafe(`walk-guest-${language}`, { openAllDay: true });
    await placeOrder(cafe, `walk-${language}`);
    await signInGuest(page, cafe, newGuest(`walk-${language}`), `/${cafe.slug}/me`);
    await useLanguage(context, language);
    await page.goto(`/${cafe.slug}`);
    await page.locator('article[data-sku="cappuccino"]').getByRole("link").click();
    const product = new URL(page.url()).pathname;
    const found = await walk(page, language, [
      `/${cafe.slug}`,
      product,
      `/${cafe.slug}/me`,
      `/${cafe.slug}/me/history`,
      `/${cafe.slug}/orders`,
      `/${cafe.slug}/cart`,
    ]);
    expect(found).toEqual({});
  });

  test(`every back-office page speaks only ${language}`, { tag: "@back-office" }, async ({ page, context }) => {
    test.setTimeout(240_000);
    const cafe = await createCafe(`walk-staff-${language}`, { openAllDay: true });
    // A product and an order on the board, a guest in the list.
    await placeOrder(cafe, `walk-staff-${language}`);
    await signIn(page, cafe.owner, `/dashboard/${cafe.slug}`);
    // The second factor takes a while on a busy machine.
    await expect(page).toHaveURL(new RegExp(`/dashboard/${cafe.slug}`), { timeout: 30_000 });
    await useLanguage(context, language);
    await page.goto(`/dashboard/${cafe.slug}`);
    const sections = await page
      .getByRole("navigation")
      .getByRole("link")
      .evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
    const inCafe = [...new Set(sections)].filter((target) => target.startsWith(`/dashboard/${cafe.slug}`));
    expect(inCafe.length).toBeGreaterThan(10);
    const guest = await page.goto(`/dashboard/${cafe.slug}/guests`);
    expect(guest?.status()).toBeLessThan(400);
    const card = await page
      .locator(`a[href^="/dashboard/${cafe.slug}/guests/"]`)
      .evaluateAll((links) =>
        links
          .map((link) => new URL((link as HTMLAnchorElement).href).pathname)
          .filter((href) => /[0-9a-f-]{36}$/.test(href)),
      );
    const found = await walk(page, language, [
      ...inCafe,
      ...card.slice(0, 1),
      `/dashboard/${cafe.slug}/offers/new`,
      "/account",
    ]);
    expect(found).toEqual({});
  });
}

test("the staff pages before sign-in each offer the language switch", async ({ page, context }) => {
  await useLanguage(context, "ru");
  for (const target of ["/sign-in", "/forgot-password", "/reset-password?token=any"]) {
    await page.goto(target);
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    // The switch keeps the page (and the reset link's token) where it was.
    expect(page.url()).toBe(new URL(target, baseURL).href);
    await page.getByRole("button", { name: "Русский" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  }
});
