import { readFileSync } from "node:fs";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { e2eDataDir } from "../playwright.config";
import { createCafe, expect, newGuest, placeOrder, signIn, signInGuest, test } from "./fixtures";

// The counter and the guest's phone as a new café's staff and guests first meet them (#18).

const DEMO_BARISTA = { email: "barista@demo.zerno.local", password: "zerno-demo-2026" };
/** The demo's showcase card (db/seed/spec.ts), as the card and the cabinet print it. */
const DEMO_CARD_AS_PRINTED = "540 987 000";

/** A query on the e2e server's database as its superuser (past RLS), for what a test cannot see on a page. */
async function adminQuery<T extends Record<string, unknown>>(
  run: (sql: import("postgres").Sql) => Promise<T[]>,
): Promise<T[]> {
  const { default: postgres } = await import("postgres");
  const { adminUrl } = JSON.parse(readFileSync(path.resolve(e2eDataDir, "running.json"), "utf8")) as {
    adminUrl: string;
  };
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await run(sql);
  } finally {
    await sql.end();
  }
}

/** The element's box, which must be on screen. */
async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error("not on screen");
  return found;
}

/** Whether `inner` lies within `outer` (a pixel of rounding allowed). */
async function expectInside(inner: Locator, outer: Locator) {
  const a = await box(inner);
  const b = await box(outer);
  expect(a.x).toBeGreaterThanOrEqual(b.x - 1);
  expect(a.y).toBeGreaterThanOrEqual(b.y - 1);
  expect(a.x + a.width).toBeLessThanOrEqual(b.x + b.width + 1);
  expect(a.y + a.height).toBeLessThanOrEqual(b.y + b.height + 1);
}

const column = (page: Page, key: string) => page.locator(`section[data-column="${key}"]`);

/** The board is live (its script runs, the feed is open): its buttons act from here on. */
async function boardLive(page: Page) {
  await expect(page.locator("[data-live]")).toHaveAttribute("data-live", "open");
}

test("the barista finds a demo guest by the card number as printed, with its spaces", async ({ page }) => {
  await signIn(page, DEMO_BARISTA, "/dashboard/demo/guests/lookup");
  await page.getByLabel("Номер карты или телефон").fill(DEMO_CARD_AS_PRINTED);
  await page.getByRole("button", { name: "Найти" }).click();
  const card = page.getByTestId("guest-card");
  await expect(card).toHaveCount(1);
  await expect(card).toContainText("Уровень");
  await expect(card).toContainText(/\d+ балл/);
  // A barista reads name, tier and balance only: no way into the guest's card from here.
  await expect(page.getByRole("link", { name: /Открыть карточку/ })).toHaveCount(0);
});

test("an order's 'ready' reaches the guest by email, once", async ({ page }) => {
  const cafe = await createCafe("ready-mail", { openAllDay: true });
  const label = `Гость ready-mail ${Date.now()}`;
  const code = await placeOrder(cafe, label);
  const email = `ready-${Date.now()}@e2e.test`;
  await adminQuery(
    (sql) => sql`update guests set email = ${email} where name = ${label}
      and tenant_id = (select id from tenants where slug = ${cafe.slug}) returning id`,
  );
  await signIn(page, cafe.barista, `/dashboard/${cafe.slug}/orders`);
  await boardLive(page);
  const card = (key: string) => column(page, key).locator(`article[data-order="${code}"]`);
  await card("new")
    .getByRole("button", { name: /^Принять/ })
    .click();
  await card("accepted")
    .getByRole("button", { name: /^Готов/ })
    .click();
  await expect(card("ready")).toBeVisible();

  const mails = () =>
    adminQuery<{ subject: string }>(
      (sql) => sql`select subject from email_outbox where to_address = ${email} order by created_at`,
    ).then((rows) => rows.map((row) => row.subject));
  await expect.poll(mails, { timeout: 5_000 }).toEqual([`Заказ ${code} готов`]);
  // The dev outbox (no RESEND_API_KEY here) shows it as the guest would get it.
  await page.goto("/dev/outbox");
  await expect(page.getByText(`Заказ ${code} готов`).first()).toBeVisible();
  // Handing it over tells the guest nothing new.
  await page.goto(`/dashboard/${cafe.slug}/orders`);
  await boardLive(page);
  await card("ready")
    .getByRole("button", { name: /^Выдан/ })
    .click();
  await expect(card("done")).toBeVisible();
  expect(await mails()).toEqual([`Заказ ${code} готов`]);
});

test("the board on a 1024 px tablet: four columns side by side, long comments and the cancel form inside their cards", async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  const cafe = await createCafe("tablet", { openAllDay: true });
  const long = `Пожалуйста-без-сахара-и-с-корицей-сверху-спасибо-большое ${"очень длинный комментарий ".repeat(6)}`;
  const first = await placeOrder(cafe, long);
  const second = await placeOrder(cafe, "Второй гость");
  await signIn(page, cafe.barista, `/dashboard/${cafe.slug}/orders`);
  await boardLive(page);
  await expect(column(page, "new").locator(`article[data-order="${first}"]`)).toBeVisible();
  // Something in every column, as at a busy counter.
  await column(page, "new")
    .locator(`article[data-order="${second}"]`)
    .getByRole("button", { name: /^Принять/ })
    .click();
  await expect(column(page, "accepted").locator(`article[data-order="${second}"]`)).toBeVisible();

  const keys = ["new", "accepted", "ready", "done"];
  const boxes = await Promise.all(keys.map((key) => box(column(page, key))));
  for (const [index, columnBox] of boxes.entries()) {
    expect(columnBox.x + columnBox.width, `${keys[index]} ends on screen`).toBeLessThanOrEqual(1024);
    expect(Math.abs(columnBox.y - (boxes[0]?.y ?? 0)), `${keys[index]} beside the others`).toBeLessThan(2);
  }
  const noHorizontalScroll = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(noHorizontalScroll).toBe(true);

  const card = column(page, "new").locator(`article[data-order="${first}"]`);
  await expectInside(card.getByTestId("order-comment"), card);
  await expectInside(card, column(page, "new"));
  // "К оплате 270 ₽" on one line: the back-office menu is narrower at this width.
  const toPay = card.locator("dl > div").last();
  for (const part of [toPay.locator("dt"), toPay.locator("dd")]) {
    expect((await box(part)).height, "the amount to pay on one line").toBeLessThan(30);
  }
  // The gallery's picture: the board as the barista sees it on arrival (before the cancel form scrolls it).
  if (testInfo.project.name === "laptop") {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: "public/screenshots/order-board-tablet.png" });
  }
  await card.getByRole("button", { name: /^Отменить…/ }).click();
  const form = card.getByTestId("cancel-form");
  await expect(form).toBeVisible();
  for (const button of await form.getByRole("button").all()) await expectInside(button, card);
  await expectInside(form.getByRole("textbox"), card);
});

test("the cabinet on a 390 px phone: the tabs and the 'My card' pill stay on one line", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const cafe = await createCafe("cabinet-390");
  await signInGuest(page, cafe, newGuest("narrow"));
  const tabs = page.getByRole("navigation", { name: "Личный кабинет" }).getByRole("link");
  await expect(tabs.first()).toBeVisible();
  const tops = await Promise.all((await tabs.all()).map(async (tab) => (await tab.boundingBox())?.y ?? -1));
  expect(tops.length).toBeGreaterThanOrEqual(5);
  expect(new Set(tops.map((top) => Math.round(top))).size, `tabs at ${tops.join(", ")}`).toBe(1);
  const tab = await box(tabs.first());
  expect(tab.height).toBeLessThan(48);

  const pill = page.getByRole("banner").getByRole("link", { name: "Моя карта" });
  const pillBox = await box(pill);
  // One line of text-sm with its padding is ~30 px; two lines would be ~50.
  expect(pillBox.height).toBeLessThan(40);
  expect(pillBox.x + pillBox.width).toBeLessThanOrEqual(390);

  if (testInfo.project.name === "laptop") {
    await page.screenshot({ path: "public/screenshots/cabinet-390.png" });
  }
});
