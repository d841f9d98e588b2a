import { createCafe, expect, onlineReceiptCount, placeOrder, signIn, test } from "./fixtures";

test("the barista's board shows a new order within 2 s and moves it to picked up, writing the online receipt", async ({
  page,
}) => {
  const cafe = await createCafe("board", { openAllDay: true });
  const first = await placeOrder(cafe, "Первый гость");
  await signIn(page, cafe.barista, `/dashboard/${cafe.slug}/orders`);
  const column = (key: string) => page.locator(`section[data-column="${key}"]`);
  await expect(column("new").locator(`article[data-order="${first}"]`)).toBeVisible();
  await expect(page.locator("[data-live]")).toHaveAttribute("data-live", "open");

  // A guest orders while the board is open: it arrives by itself (LISTEN/NOTIFY → server-sent events).
  const second = await placeOrder(cafe, "Второй гость");
  await expect(column("new").locator(`article[data-order="${second}"]`)).toBeVisible({ timeout: 2_000 });
  await expect(page.getByTestId("board-announcement")).toContainText(`Новый заказ ${second}`);
  await page.screenshot({ path: "public/screenshots/order-board.png" });

  const card = (key: string) => column(key).locator(`article[data-order="${first}"]`);
  await card("new")
    .getByRole("button", { name: /^Принять/ })
    .click();
  await expect(card("accepted")).toBeVisible();
  await card("accepted")
    .getByRole("button", { name: /^Готов/ })
    .click();
  await expect(card("ready")).toBeVisible();
  await card("ready")
    .getByRole("button", { name: /^Выдан/ })
    .click();
  await expect(card("done")).toContainText("Выдан");
  await expect.poll(() => onlineReceiptCount(cafe)).toBe(1);
});
