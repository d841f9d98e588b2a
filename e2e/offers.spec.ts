import { type Browser, type Page, request as playwrightRequest } from "@playwright/test";
import { baseURL } from "../playwright.config";
import {
  createCafe,
  createMenu,
  createPosKeyFor,
  expect,
  newGuest,
  setGuestSegment,
  signIn,
  signInGuest,
  test,
} from "./fixtures";

type Offer = { id: string; code?: string; title: string; applicable: boolean; reason?: string };

/**
 * The "done when", as a new owner and a new guest would try it: the owner makes «Круассан в
 * подарок к капучино» for the sleeping guests and the promo code OSEN25; the guest finds the offer in
 * the cabinet; the till (POS API) sees it apply only with a cappuccino and records its use; online,
 * OSEN25 lowers the total and the order shows it; the code's page counts 2 uses.
 */
test("offers: made by the owner, seen in the cabinet, applied at the till and online", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const cafe = await createCafe("offers", { openAllDay: true });
  await createMenu(cafe);
  const guest = newGuest("offers");

  // The guest joins online first (a card with an email), then goes quiet: the sleeping segment.
  const phone = await guestPhone(browser);
  await signInGuest(phone, cafe, guest);
  await setGuestSegment(cafe, guest.email, "sleeping");

  // The owner makes the personal offer from the menu (nothing typed but the title).
  await signIn(page, cafe.owner, `/dashboard/${cafe.slug}/offers`);
  await expect(page.getByRole("heading", { level: 1, name: "Предложения" })).toBeVisible();
  await page.getByRole("link", { name: "Новое предложение" }).click();
  await page.getByLabel("Что получает гость").selectOption("free_item");
  await page.getByRole("group", { name: "Какой товар в подарок" }).getByRole("checkbox", { name: "Круассан" }).check();
  await page.getByRole("group", { name: "Только вместе с" }).getByRole("checkbox", { name: "Капучино" }).check();
  await page.getByLabel("Название (по-русски)").fill("Круассан в подарок к капучино");
  await page.getByRole("button", { name: "Создать предложение" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Круассан в подарок к капучино" })).toBeVisible();
  const croissantOfferPage = page.url();

  // …and gives it to the sleeping guests.
  await page.getByRole("radio", { name: "Сегменту" }).check();
  await page.getByLabel("Сегмент", { exact: true }).selectOption("sleeping");
  await page.getByRole("button", { name: "Выдать сегменту" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Выдано: 1" })).toBeVisible();

  // The promo code: 25 % off the whole check, 100 uses.
  await page.goto(`/dashboard/${cafe.slug}/offers/new`);
  await page.getByLabel("Что получает гость").selectOption("percent_off");
  await page.getByLabel("Скидка, %").fill("25");
  await page.getByLabel("Название (по-русски)").fill("Осенняя скидка 25 %");
  await page.getByLabel("Раз на гостя").fill("");
  await page.getByLabel("Всего использований").fill("100");
  await page.getByRole("radio", { name: /Промокод: вводит любой гость/ }).check();
  await page.getByLabel("Промокод", { exact: true }).fill("OSEN25");
  await page.getByRole("button", { name: "Создать предложение" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Осенняя скидка 25 %" })).toBeVisible();
  const codePage = page.url();
  // A second code OSEN25, typed in another case, is refused by name.
  await page.goto(`/dashboard/${cafe.slug}/offers/new`);
  await page.getByLabel("Скидка, %").fill("10");
  await page.getByLabel("Название (по-русски)").fill("Дубль");
  await page.getByRole("radio", { name: /Промокод: вводит любой гость/ }).check();
  await page.getByLabel("Промокод", { exact: true }).fill("osen25");
  await page.getByRole("button", { name: "Создать предложение" }).click();
  // Said at the top of the form and on the field itself.
  await expect(page.getByRole("alert").filter({ hasText: "Такой промокод уже есть в кофейне." })).toBeVisible();
  await expect(page.getByLabel("Промокод", { exact: true })).toHaveAccessibleDescription(
    /Такой промокод уже есть в кофейне/,
  );

  // The guest sees the offer in the cabinet, with a code to show at the counter.
  await phone.goto(`/${cafe.slug}/me`);
  const card = phone.getByRole("listitem").filter({ hasText: "Круассан в подарок к капучино" });
  await expect(card).toBeVisible();
  await card.getByText("Покажите код на кассе").click();
  await expect(card.getByRole("img", { name: /QR-код для предложения/ })).toBeVisible();

  // At the till: the offer applies only with a cappuccino in the basket, and the check records its use.
  const key = await createPosKeyFor(cafe);
  const till = await playwrightRequest.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  });
  const croissant = { sku: "croissant", name: "Круассан", quantity: 1, unitPrice: 19_000, amount: 19_000 };
  const cappuccino = { sku: "cappuccino", name: "Капучино", quantity: 1, unitPrice: 27_000, amount: 27_000 };
  const offerFor = async (basket: unknown[]) => {
    const answer = await till.post("/api/pos/v1/guests/identify", { data: { identifier: guest.phone, basket } });
    expect(answer.status()).toBe(200);
    const { offers } = (await answer.json()) as { offers: Offer[] };
    const offer = offers.find((candidate) => candidate.title === "Круассан в подарок к капучино");
    expect(offer).toBeDefined();
    return offer as Offer;
  };
  expect(await offerFor([croissant])).toMatchObject({ applicable: false, reason: "required_item_missing" });
  const gift = await offerFor([cappuccino, croissant]);
  expect(gift.applicable).toBe(true);
  const receipt = await till.post("/api/pos/v1/receipts", {
    data: {
      externalId: "R-OFFER-1",
      occurredAt: new Date().toISOString(),
      guest: { identifier: guest.phone },
      lines: [cappuccino, { ...croissant, amount: 0 }],
      total: 27_000,
      offers: [{ id: gift.id, discount: 19_000, lines: [1] }],
    },
  });
  expect(receipt.status()).toBe(201);
  expect(((await receipt.json()) as { offersApplied: { id: string }[] }).offersApplied).toEqual([
    expect.objectContaining({ id: gift.id, discount: 19_000 }),
  ]);
  // The code typed at the till on an anonymous check: its first use.
  const typed = await till.get("/api/pos/v1/offers/osen25");
  expect(typed.status()).toBe(200);
  const code = (await typed.json()) as Offer;
  const anonymous = await till.post("/api/pos/v1/receipts", {
    data: {
      externalId: "R-OFFER-2",
      occurredAt: new Date().toISOString(),
      lines: [{ ...cappuccino, amount: 20_250 }],
      total: 20_250,
      offers: [{ code: "OSEN25", discount: 6_750 }],
    },
  });
  expect(anonymous.status()).toBe(201);
  await till.dispose();

  // Online: OSEN25 lowers the checkout's total, and the order's receipt names it.
  await phone.goto(`/${cafe.slug}`);
  await phone.locator('article[data-sku="cappuccino"]').getByRole("link").click();
  await phone.getByRole("button", { name: /В корзину/ }).click();
  await phone.goto(`/${cafe.slug}/checkout`);
  await expect(phone.getByTestId("to-pay")).toContainText("270");
  await phone.getByLabel("Промокод", { exact: true }).fill("osen25");
  await phone.getByRole("button", { name: "Применить", exact: true }).click();
  await expect(phone.getByTestId("offer-discount")).toContainText("67,50");
  await expect(phone.getByTestId("to-pay")).toContainText("202,50");
  await phone.getByRole("button", { name: /Заказать/ }).click();
  await expect(phone).toHaveURL(new RegExp(`/${cafe.slug}/orders/[0-9a-f-]{36}$`));
  await expect(phone.getByTestId("order-offer")).toContainText("OSEN25");
  await expect(phone.getByTestId("order-to-pay")).toContainText("202,50");
  const pickupCode = (await phone.getByTestId("pickup-code").textContent())?.trim() ?? "";

  // The café hands the order over: the held use becomes the code's second use.
  await page.goto(`/dashboard/${cafe.slug}/orders`);
  // The board's buttons act once its script runs (the live feed is then open).
  await expect(page.locator("[data-live]")).toHaveAttribute("data-live", "open");
  const orderCard = (column: string) =>
    page.locator(`section[data-column="${column}"]`).locator(`article[data-order="${pickupCode}"]`);
  await orderCard("new")
    .getByRole("button", { name: /^Принять/ })
    .click();
  await orderCard("accepted")
    .getByRole("button", { name: /^Готов/ })
    .click();
  await orderCard("ready")
    .getByRole("button", { name: /^Выдан/ })
    .click();
  await expect(orderCard("done")).toContainText("Выдан");

  await page.goto(codePage);
  await expect(page.getByTestId("offer-uses")).toHaveText("2");
  await expect(page.getByTestId("offer-use")).toHaveCount(2);
  await page.goto(croissantOfferPage);
  await expect(page.getByTestId("offer-uses")).toHaveText("1");
  await expect(page.getByTestId("offer-use").first()).toContainText(guest.name);
  expect(code.id).toBeTruthy();
});

/** The guest's phone beside the owner's laptop. */
async function guestPhone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true });
  return context.newPage();
}
