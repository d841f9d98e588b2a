import { expect, type Locator, type Page, test } from "@playwright/test";
import { MONTHS_PAID_PER_YEAR } from "@/server/billing/plans";
import { yearlyDiscountPercent } from "@/server/billing/price-list";

/** The whole units in a formatted price ("2 990 ₽", "≈ €29", "€1,490" → 2990, 29, 1490). */
const units = (text: string | null | undefined) => Number((text ?? "").replace(/\D/g, ""));

/** The demo chain's example says "2 × <price> = <total>", and the total is twice the price. */
async function expectTwoLocationsExample(example: Locator, sentence: RegExp) {
  await expect(example).toHaveText(sentence);
  const [, price, total] = (await example.textContent())?.match(/2 × (.+?) = (.+?) (?:в месяц|a month)/) ?? [];
  expect(units(price)).toBeGreaterThan(0);
  expect(units(total)).toBe(2 * units(price));
}

/** The comparison table's cells of one row, by its row header. */
function rowCells(page: Page, header: RegExp) {
  return page
    .getByRole("table")
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: header }) })
    .getByRole("cell");
}

test("the landing page says what Zerno does, with the screenshots, and leads to sign-up and the demos", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page).toHaveTitle(/Зерно/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Зерно");
  const main = page.getByRole("main");
  await expect(main.getByRole("link", { name: "Подключить кофейню" }).first()).toHaveAttribute("href", "/sign-up");
  await expect(main.getByRole("link", { name: "Открыть демо-витрину «Зерно»" })).toHaveAttribute("href", "/demo");
  await expect(main.getByRole("link", { name: "Бэк-офис демо" })).toHaveAttribute("href", "/dashboard/demo");
  await expect(page.getByRole("list", { name: "Что умеет Зерно" }).getByRole("heading", { level: 3 })).toHaveText([
    "Витрина",
    "Кабинет лояльности",
    "Бэк-офис",
  ]);
  // The screenshots load (lazily, when scrolled to) through the image optimizer.
  for (const alt of [/^Витрина демо-кофейни/, /^Кабинет лояльности гостя/, /^Доска заказов бариста/]) {
    const shot = page.getByRole("img", { name: alt });
    await shot.scrollIntoViewIfNeeded();
    await expect
      .poll(() =>
        shot.evaluate((node) => ((node as HTMLImageElement).complete ? (node as HTMLImageElement).naturalWidth : 0)),
      )
      .toBeGreaterThan(0);
  }

  // Plans are on sale only while billing is on (STRIPE_SECRET_KEY): then the landing shows them and
  // links to /pricing; without billing it does neither. Either way the page agrees with itself.
  const plans = page.getByRole("heading", { level: 2, name: "Тарифы", exact: true });
  const pricingLinks = page.locator('a[href="/pricing"]');
  if ((await plans.count()) === 0) {
    await expect(pricingLinks).toHaveCount(0);
    return;
  }
  await expectTwoLocationsExample(page.getByTestId("price-example"), /^Pro для демо-сети «Зерно», 2 точки: 2 × /);
  await expect(pricingLinks.first()).toBeVisible();
  await pricingLinks.first().click();
  await expect(page).toHaveURL(/\/pricing$/);
  await expect(page.getByRole("heading", { level: 1, name: "Тарифы" })).toBeVisible();
});

test("the pricing page shows three plans, the demo chain's price and the yearly discount, in roubles and then in euros", async ({
  page,
}) => {
  // Opened directly: it renders whether billing is on or off.
  await page.goto("/pricing");
  await expect(page).toHaveTitle(/^Тарифы/);
  await expect(page.getByRole("heading", { level: 1, name: "Тарифы" })).toBeVisible();
  const plans = page.getByRole("list", { name: "Тарифы", exact: true });
  await expect(plans.getByRole("heading", { level: 2 })).toHaveText(["Start", "Pro", "Chain"]);
  await expect(plans.getByRole("link", { name: "Выбрать Pro" })).toHaveAttribute("href", "/sign-up?plan=pro");
  await expect(plans.getByRole("list", { name: "Что входит в Start" })).toContainText("1 точка");
  await expect(plans.getByRole("list", { name: "Что входит в Pro" })).toContainText("Онлайн-витрина");
  await expect(plans.getByRole("list", { name: "Что входит в Chain" })).toContainText("Точки без ограничений");

  await expectTwoLocationsExample(
    page.getByTestId("price-example"),
    /^Pro для демо-сети «Зерно», 2 точки: 2 × [\d\s]+₽ = [\d\s]+₽ в месяц/,
  );
  await expect(page.getByText(/^Цены в рублях\. В евро: .*€/)).toBeVisible();

  // The plan × feature table: both ways of paying, the yearly one cheaper by the free months.
  const table = page.getByRole("table", { name: /^Тарифы Start, Pro и Chain/ });
  await expect(table.locator("caption")).toBeVisible();
  await expect(table.locator('th[scope="col"]')).toHaveText(["Тариф", "Start", "Pro", "Chain"]);
  const discount = yearlyDiscountPercent();
  const monthly = rowCells(page, /^За точку в месяц, оплата помесячно/);
  const yearly = rowCells(page, new RegExp(`^За точку в месяц, оплата за год \\(скидка ${discount}\\s%\\)`));
  await expect(monthly).toHaveCount(3);
  await expect(yearly).toHaveCount(3);
  for (let plan = 0; plan < 3; plan++) {
    const month = units(await monthly.nth(plan).textContent());
    const year = units(await yearly.nth(plan).textContent());
    expect(Math.abs(year - (month * MONTHS_PAID_PER_YEAR) / 12)).toBeLessThanOrEqual(0.5);
  }
  await expect(table.getByRole("rowheader", { name: "Онлайн-витрина и предзаказы" })).toBeVisible();

  const main = page.getByRole("main");
  await expect(main.getByRole("link", { name: "Подключить кофейню" })).toHaveAttribute("href", "/sign-up");
  await expect(main.getByRole("link", { name: "Открыть демо-витрину «Зерно»" })).toHaveAttribute("href", "/demo");
  await expect(main.getByRole("link", { name: "Бэк-офис демо" })).toHaveAttribute("href", "/dashboard/demo");

  // In English the prices are in euros, and roubles are mentioned.
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Pricing" })).toBeVisible();
  await expect(page).toHaveTitle(/^Pricing/);
  await expectTwoLocationsExample(
    page.getByTestId("price-example"),
    /^Pro for the demo chain «Zerno», 2 locations: 2 × €[\d,.]+ = €[\d,.]+ a month/,
  );
  await expect(page.getByText(/^Prices in euros\. In roubles: .*₽/)).toBeVisible();
  await expect(
    rowCells(page, new RegExp(`^Per location a month, paid yearly \\(${discount}% off\\)`)).first(),
  ).toContainText("€");
  await expect(page.getByRole("list", { name: "Plans", exact: true }).getByRole("heading", { level: 2 })).toHaveText([
    "Start",
    "Pro",
    "Chain",
  ]);
});
