import { baseURL } from "../playwright.config";
import {
  createCafe,
  createMenu,
  createPosKeyFor,
  expect,
  guestOfCafe,
  newGuest,
  onlineReceiptCount,
  signIn,
  test,
} from "./fixtures";

/**
 * The journey the product exists for, on a phone, as a new guest would try it: order a cappuccino
 * with oat milk, sign in through the mailed link, pay 30 % with points; the barista's board shows
 * the order within 2 s and moves it to picked up; the guest's cabinet shows the new points and the
 * order in the history; the POS API sees the same balance.
 */
test("a new guest orders ahead, pays 30 % with points, picks up, and the points arrive everywhere", async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  const cafe = await createCafe("journey", { openAllDay: true });
  await createMenu(cafe);
  const guest = newGuest("journey");

  // The barista has the board open before the guest orders.
  const counter = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const board = await counter.newPage();
  await signIn(board, cafe.barista, `/dashboard/${cafe.slug}/orders`);
  await expect(board.locator("[data-live]")).toHaveAttribute("data-live", "open");

  // The guest builds the drink on the phone.
  await page.goto(`/${cafe.slug}`);
  await page.locator('article[data-sku="cappuccino"]').getByRole("link").click();
  await page
    .getByRole("group", { name: "Молоко" })
    .getByRole("radio", { name: /Овсяное/ })
    .check();
  await expect(page.getByTestId("product-total")).toContainText("310");
  await page.getByRole("button", { name: /В корзину/ }).click();
  await page.getByRole("link", { name: "Перейти в корзину" }).click();
  await page.getByRole("link", { name: "Оформить заказ" }).click();

  // Checkout asks to sign in: the link arrives by mail (the dev outbox here).
  await expect(page).toHaveURL(new RegExp(`/${cafe.slug}/sign-in`));
  await page.getByLabel("Электронная почта").fill(guest.email);
  await page.getByRole("button", { name: "Прислать ссылку" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Проверьте почту" })).toBeVisible();
  await page.goto("/dev/outbox");
  const mail = page.getByRole("article").filter({ hasText: guest.email }).first();
  await mail.getByRole("link", { name: /\/api\/guest-auth\/callback\/resend/ }).click();

  // First visit to this café: name, phone and consent, then back to the checkout.
  await expect(page).toHaveURL(new RegExp(`/${cafe.slug}/welcome`));
  await page.getByLabel("Имя", { exact: true }).fill(guest.name);
  await page.getByLabel("Телефон", { exact: true }).fill(guest.phone);
  await page.getByLabel(/Согласен/).check();
  await page.getByRole("button", { name: "Присоединиться" }).click();
  await expect(page).toHaveURL(new RegExp(`/${cafe.slug}/checkout$`));

  // 30 % of 310 ₽ in points (the welcome bonus covers it; the programme's cap is 30 %).
  const points = page.getByRole("spinbutton", { name: "Баллов списать", exact: true });
  await expect(points).toHaveAttribute("max", "93");
  await points.fill("93");
  await expect(page.getByTestId("to-pay")).toContainText("217");
  await page.getByRole("button", { name: /Заказать/ }).click();
  await expect(page).toHaveURL(new RegExp(`/${cafe.slug}/orders/[0-9a-f-]{36}$`));
  const code = (await page.getByTestId("pickup-code").textContent())?.trim() ?? "";
  expect(code).toMatch(/^\d{3}[ABCEHKMPTX]$/);
  expect((await guestOfCafe(cafe, guest.email))?.balance).toBe(7);

  // The board shows it by itself within 2 s; one tap per step to picked up.
  const column = (key: string) => board.locator(`section[data-column="${key}"]`);
  const card = (key: string) => column(key).locator(`article[data-order="${code}"]`);
  await expect(card("new")).toBeVisible({ timeout: 2_000 });
  await card("new")
    .getByRole("button", { name: /^Принять/ })
    .click();
  await expect(page.getByRole("status").filter({ hasText: "Бариста принял заказ" })).toBeVisible({ timeout: 5_000 });
  await card("accepted")
    .getByRole("button", { name: /^Готов/ })
    .click();
  await expect(page.getByRole("status").filter({ hasText: "Готово — можно забирать" })).toBeVisible({ timeout: 5_000 });
  await card("ready")
    .getByRole("button", { name: /^Выдан/ })
    .click();
  await expect(page.getByRole("status").filter({ hasText: "Заказ получен" })).toBeVisible({ timeout: 5_000 });
  await expect.poll(() => onlineReceiptCount(cafe)).toBe(1);
  await counter.close();

  // New points: the welcome bonus less the 93 spent, plus the accrual on the 217 ₽ paid.
  const stored = await guestOfCafe(cafe, guest.email);
  expect(stored?.balance).toBeGreaterThan(7);
  const balance = stored?.balance ?? 0;
  await page.goto(`/${cafe.slug}/me`);
  await expect(page.getByTestId("balance")).toContainText(String(balance));
  await page.goto(`/${cafe.slug}/me/history`);
  const order = page.getByRole("article").filter({ hasText: "Онлайн-заказ" });
  await expect(order).toContainText("Капучино");
  await expect(order).toContainText("93 балла");
  await expect(page.getByRole("article").filter({ hasText: "Оплата баллами" })).toContainText("−93");

  // The till sees the same guest and balance through the POS API.
  const key = await createPosKeyFor(cafe);
  const identify = await fetch(`${baseURL}/api/pos/v1/guests/identify`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ identifier: guest.phone }),
  });
  expect(identify.status).toBe(200);
  const answer = (await identify.json()) as { guest: { balance: number; name: string } };
  expect(answer.guest).toMatchObject({ balance, name: guest.name });
});
