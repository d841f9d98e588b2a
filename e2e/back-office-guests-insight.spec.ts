import { expect, signIn, test } from "./fixtures";

// The demo's people as `npm run demo` prints them and README lists them.
const DEMO_OWNER = {
  email: "owner@demo.zerno.local",
  password: "zerno-demo-2026",
  totpSecret: "C5DTY7Z4NNUWWGBZCE5CWWCLDQXSIPTE",
};
const DEMO_BARISTA = { email: "barista@demo.zerno.local", password: "zerno-demo-2026" };

test("from the dashboard's sleeping guests to an overdue regular's card: POS visits and online orders in one story; the barista gets 403", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO_OWNER, "/dashboard/demo");
  // The dashboard's segment sizes link to the guests table, filtered.
  await page
    .getByTestId("segments")
    .getByRole("link", { name: /Спящие/ })
    .click();
  await expect(page).toHaveURL(/\/dashboard\/demo\/guests\?segment=sleeping$/);
  await expect(page.getByRole("heading", { level: 1, name: "Гости" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Спящие" })).toHaveAttribute("aria-current", "page");

  // Those who come both to the till and online.
  const channel = page.getByLabel("Канал");
  if (!(await channel.isVisible())) await page.getByText("Фильтры", { exact: true }).click();
  await channel.selectOption({ label: "И там, и там" });
  await page.getByRole("button", { name: "Применить" }).click();
  await expect(page).toHaveURL(/segment=sleeping/);
  await expect(page).toHaveURL(/channel=both/);

  // A regular (one with a usual gap) whose days since the last visit are at least twice that gap.
  let chosen: { href: string; favourite: string | null; since: number; gap: number } | null = null;
  for (let pageNo = 0; pageNo < 20 && !chosen; pageNo++) {
    await expect(page.getByTestId("guest-row").first()).toBeVisible();
    for (const row of await page.getByTestId("guest-row").all()) {
      const since = Number(await row.getAttribute("data-days-since"));
      const gap = Number(await row.getAttribute("data-usual-gap"));
      if (gap > 0 && since >= 2 * gap) {
        chosen = {
          href: (await row.getByRole("link").first().getAttribute("href")) ?? "",
          favourite: await row.getAttribute("data-favourite"),
          since,
          gap,
        };
        break;
      }
    }
    if (!chosen) await page.getByRole("link", { name: "Дальше →" }).click();
  }
  expect(chosen, "a sleeping regular at twice their usual gap in the demo").not.toBeNull();
  if (!chosen) return;
  await page.locator(`a[href="${chosen.href}"]`).first().click();
  await expect(page).toHaveURL(/\/dashboard\/demo\/guests\/[0-9a-f-]{36}$/);
  const cardUrl = page.url();

  // The rhythm says how overdue the guest is, and the favourite product is named.
  await expect(page.getByTestId("guest-rhythm")).toContainText("дольше обычного");
  const favourites = page.getByTestId("guest-favourites");
  await expect(favourites).toBeVisible();
  if (chosen.favourite) await expect(favourites).toContainText(chosen.favourite);
  await page.screenshot({ path: "public/screenshots/guest-card.png", fullPage: false });

  // One timeline, newest first: POS visits and online orders side by side (older pages if needed).
  const kinds = new Set<string>();
  for (let pageNo = 0; pageNo < 15; pageNo++) {
    const items = page.getByTestId("guest-timeline").locator("li[data-kind]");
    await expect(items.first()).toBeVisible();
    for (const kind of await items.evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-kind") ?? ""))) {
      kinds.add(kind);
    }
    if (kinds.has("visit") && kinds.has("order")) break;
    const older = page.getByRole("link", { name: "Раньше →" });
    if (!(await older.isVisible())) break;
    await older.click();
  }
  expect([...kinds]).toEqual(expect.arrayContaining(["visit", "order"]));
  await expect(
    page
      .getByTestId("guest-timeline")
      .getByText(/Визит на кассе/)
      .first(),
  ).toBeVisible();
  await expect(
    page
      .getByTestId("guest-timeline")
      .getByText(/Онлайн-заказ/)
      .first(),
  ).toBeVisible();

  // The barista: the counter look-up stays, the table and the card are 403.
  const baristaContext = await browser.newContext();
  const barista = await baristaContext.newPage();
  try {
    await signIn(barista, DEMO_BARISTA, "/dashboard/demo/guests/lookup");
    await expect(barista.getByRole("heading", { level: 1, name: "Поиск гостя" })).toBeVisible();
    expect((await barista.goto("/dashboard/demo/guests?segment=sleeping"))?.status()).toBe(403);
    expect((await barista.goto(new URL(cardUrl).pathname))?.status()).toBe(403);
  } finally {
    await baristaContext.close();
  }
});
