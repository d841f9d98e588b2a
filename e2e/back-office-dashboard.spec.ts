import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect as baseExpect, signIn, test } from "./fixtures";

// The dashboard's sections stream in as their queries finish: on a busy two-core machine, seconds.
const expect = baseExpect.configure({ timeout: 20_000 });

// The demo café's people (db/seed: DEMO_SPEC.staff; the README lists them). The manager works at Тверская only.
const DEMO_PASSWORD = "zerno-demo-2026";
const OWNER = {
  email: "owner@demo.zerno.local",
  password: DEMO_PASSWORD,
  totpSecret: "C5DTY7Z4NNUWWGBZCE5CWWCLDQXSIPTE",
};
const MANAGER = {
  email: "manager@demo.zerno.local",
  password: DEMO_PASSWORD,
  totpSecret: "CFCCU6J6LR4XSUS7L5AG22RKFZWCQSZB",
};
const BARISTA = { email: "barista@demo.zerno.local", password: DEMO_PASSWORD };

/** A figure card's value (its first definition) and the line comparing it with the previous period. */
function figure(page: Page, key: string) {
  const card = page.locator(`[data-figure="${key}"]`);
  return { value: card.locator("dd").first(), comparison: card.locator("dd").nth(1) };
}

test("the owner compares this month with the last, reads the heatmap as a table; a manager sees only their location", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await signIn(page, OWNER, "/dashboard/demo");
  await expect(page.getByRole("heading", { level: 1, name: "Обзор" })).toBeVisible();
  await expect(page.getByRole("region", { name: /^Сегодня/ }).getByText("Открытых заказов")).toBeVisible();

  await page.getByRole("navigation", { name: "Период" }).getByRole("link", { name: "Месяц" }).click();
  await expect(page).toHaveURL(/period=month/);
  await expect(page.getByRole("link", { name: "Месяц", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("comparing")).toContainText("против");
  // Revenue beside last month's, with its change (▲/▼ and a percentage, or no change at all).
  const revenue = figure(page, "revenue");
  await expect(revenue.value).toHaveText(/\d/);
  await expect(revenue.comparison).toContainText("было");
  await expect(revenue.comparison).toHaveText(/[▲▼]\s*[+−-]?[\d,.\s]+%|без изменений|не с чем сравнить/);
  for (const key of ["receipts", "averageCheck", "activeGuests", "identifiedShare", "returningShare", "onlineShare"]) {
    await expect(figure(page, key).comparison).toContainText("было");
  }
  await expect(figure(page, "pointsOutstanding").comparison).toContainText("Обязательство");

  // The heatmap, and the same numbers as a table.
  const heatmap = page.getByRole("region", { name: "Чеки по дням недели и часам" });
  await expect(heatmap.getByTestId("heatmap")).toBeVisible();
  await expect(page.locator(".recharts-surface").first()).toBeVisible();
  // The README's picture: the period, the figures and the start of the revenue chart.
  await page.locator("section:has(#filters-heading)").evaluate((section) => section.scrollIntoView());
  await page.screenshot({ path: "public/screenshots/dashboard.png" });
  await heatmap.getByText("Показать таблицей").click();
  const table = heatmap.getByRole("table", { name: "Чеки по дням недели и часам" });
  await expect(table).toBeVisible();
  await expect(table.getByRole("rowheader")).toHaveCount(7);
  // The busiest cell of the drawing is a number in the table.
  expect((await table.getByRole("cell").allTextContents()).some((text) => Number(text.replace(/\s/g, "")) > 0)).toBe(
    true,
  );

  // Segments lead to their guests.
  await expect(
    page.getByRole("region", { name: "Сегменты гостей" }).getByRole("link", { name: /^Спящие: .* — открыть список$/ }),
  ).toHaveAttribute("href", "/dashboard/demo/guests?segment=sleeping");

  const violations = (
    await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze()
  ).violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  expect(violations).toEqual([]);

  // The whole café, then Тверская alone.
  const wholeCafe = await revenue.value.textContent();
  const locationPicker = page.getByRole("combobox", { name: /^Точка/ });
  const arbat = await locationPicker.locator("option", { hasText: "Арбат" }).getAttribute("value");
  await locationPicker.selectOption({ label: "Зерно на Тверской" });
  await page.getByRole("button", { name: "Показать", exact: true }).click();
  await expect(page).toHaveURL(/location=/);
  await expect(revenue.value).not.toHaveText(wholeCafe ?? "");
  const tverskaya = await revenue.value.textContent();

  // The manager of Тверская: that location's figures, no picker, and Арбат's address shows Тверская still.
  const managerPage = await (await browser.newContext()).newPage();
  await signIn(managerPage, MANAGER, "/dashboard/demo?period=month");
  await expect(managerPage.getByTestId("only-location")).toHaveText("Точка: Зерно на Тверской");
  await expect(managerPage.getByRole("combobox", { name: /^Точка/ })).toHaveCount(0);
  await expect(figure(managerPage, "revenue").value).toHaveText(tverskaya ?? "");
  await managerPage.goto(`/dashboard/demo?period=month&location=${arbat}`);
  await expect(figure(managerPage, "revenue").value).toHaveText(tverskaya ?? "");
  // The survey answers page too.
  expect((await managerPage.goto("/dashboard/demo/analytics"))?.status()).toBe(200);
  await expect(managerPage.getByRole("heading", { level: 1, name: "Ответы на опрос" })).toBeVisible();
});

test("a barista gets 403 on the dashboard's pages and keeps the order board", async ({ page }) => {
  await signIn(page, BARISTA, "/dashboard/demo/orders");
  // Password hashing on a busy machine takes a while.
  await expect(page.getByRole("heading", { level: 1, name: "Заказы" })).toBeVisible({ timeout: 30_000 });
  const response = await page.goto("/dashboard/demo/analytics");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Нет доступа" })).toBeVisible();
  // The café's front page is the board for a barista.
  await page.goto("/dashboard/demo?period=month");
  await expect(page).toHaveURL(/\/dashboard\/demo\/orders$/);
  await expect(page.locator("[data-figure]")).toHaveCount(0);
});
