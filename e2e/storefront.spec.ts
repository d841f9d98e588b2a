import { expect, test } from "@playwright/test";

test.describe("storefront", () => {
  test("a guest sees the demo café's menu in Russian with prices in roubles", async ({ page }, testInfo) => {
    await page.goto("/demo");
    await expect(page.getByRole("link", { name: "Зерно", exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: "Меню" })).toBeVisible();
    for (const category of ["Эспрессо-напитки", "Фильтр-кофе", "Чай", "Десерты", "Завтраки"]) {
      await expect(page.getByRole("heading", { level: 2, name: category })).toBeVisible();
    }
    const products = page.locator("article[data-sku]");
    expect(await products.count()).toBeGreaterThanOrEqual(25);
    const cappuccino = page.locator('article[data-sku="cappuccino"]');
    await expect(cappuccino).toContainText("Капучино");
    await expect(cappuccino).toContainText("₽");
    await expect(page.getByText("Зерно на Тверской")).toBeVisible();
    if (testInfo.project.name === "phone") {
      await page.screenshot({ path: "public/screenshots/storefront-phone.png" });
    }
  });

  test("the visitor switches the interface to English and it stays so", async ({ page }) => {
    await page.goto("/demo");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Menu" })).toBeVisible();
    await expect(page.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Menu" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  });

  test("another tenant's storefront shows its own menu in its own currency", async ({ page }) => {
    await page.goto("/north");
    await expect(page.getByRole("link", { name: "North Roast" })).toBeVisible();
    await expect(page.locator("article[data-sku]").first()).toContainText("€");
    await expect(page.getByText("Капучино")).toHaveCount(0);
  });

  test("an unknown café answers a real 404 page", async ({ page }) => {
    const response = await page.goto("/no-such-cafe");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Страница не найдена" })).toBeVisible();
    await page.getByRole("link", { name: "На главную" }).click();
    await expect(page).toHaveURL("/");
  });
});

test("the landing page leads to the demo storefront", async ({ page }, testInfo) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Зерно");
  if (testInfo.project.name === "laptop") await page.screenshot({ path: "public/screenshots/landing.png" });
  await page.getByRole("link", { name: "Открыть демо-витрину «Зерно»" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Меню" })).toBeVisible();
});

test("the back-office asks a signed-out visitor to sign in first", async ({ page }) => {
  await page.goto("/dashboard/demo");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard%2Fdemo/);
  await expect(page.getByRole("heading", { name: "Вход в бэк-офис" })).toBeVisible();
});

test("health answers 200 while the database is up", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok", database: "up" });
  expect(response.headers()["x-request-id"]).toBeTruthy();
});

test("the menu's scripts come marked for eager compilation (npm run build's step after next build)", async ({
  page,
  request,
}) => {
  await page.goto("/demo");
  const scripts = await page
    .locator("script[src]")
    .evaluateAll((nodes) =>
      nodes.map((node) => (node as HTMLScriptElement).src).filter((src) => src.includes("/_next/static/")),
    );
  expect(scripts.length).toBeGreaterThan(3);
  for (const src of scripts) {
    const body = await (await request.get(src)).text();
    expect(body.startsWith("//# allFunctionsCalledOnLoad\n"), src).toBe(true);
  }
});
