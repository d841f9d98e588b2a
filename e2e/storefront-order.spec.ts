import { createCafe, expect, newGuest, placeOrder, signInGuest, test } from "./fixtures";

test.describe("ordering from the storefront", () => {
  test("a guest builds a large oat-milk cappuccino, the cart survives a reload, checkout asks to sign in", async ({
    page,
  }) => {
    await page.goto("/demo");
    await expect(page.getByRole("heading", { level: 1, name: "Меню" })).toBeVisible();
    await page.locator('article[data-sku="cappuccino"]').getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1, name: "Капучино" })).toBeVisible();

    // The defaults come preselected: the small size and regular milk.
    const size = page.getByRole("group", { name: "Объём" });
    const milk = page.getByRole("group", { name: "Молоко" });
    await expect(size.getByRole("radio", { name: /S 250 мл/ })).toBeChecked();
    await expect(milk.getByRole("radio", { name: /Обычное молоко/ })).toBeChecked();
    await expect(page.getByTestId("product-total")).toContainText("270");

    await size.getByRole("radio", { name: /L 450 мл/ }).check();
    await milk.getByRole("radio", { name: /Овсяное молоко/ }).check();
    // 270 ₽ + 100 ₽ for L + 60 ₽ for oat milk.
    await expect(page.getByTestId("product-total")).toContainText("430");
    await page.getByRole("button", { name: /В корзину/ }).click();
    await expect(page.getByRole("status").filter({ hasText: "Добавлена 1 штука" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Корзина: 1 товар" })).toBeVisible();

    await page.getByRole("link", { name: "Перейти в корзину" }).click();
    await expect(page).toHaveURL(/\/demo\/cart$/);
    const line = page.locator('li[data-sku="cappuccino"]');
    await expect(line).toContainText("L 450 мл, Овсяное молоко");
    await expect(line.getByTestId("line-amount")).toContainText("430");

    await page.reload();
    await expect(line).toContainText("L 450 мл, Овсяное молоко");
    await line.getByRole("button", { name: "Больше: Капучино" }).click();
    await expect(page.getByTestId("cart-total")).toContainText("860");
    await page.reload();
    await expect(page.getByTestId("cart-total")).toContainText("860");
    await expect(page.getByRole("link", { name: "Корзина: 2 товара" })).toBeVisible();

    await page.getByRole("link", { name: "Оформить заказ" }).click();
    await expect(page).toHaveURL(/\/demo\/sign-in\?next=%2Fdemo%2Fcheckout/);
  });

  test("a line leaves the cart, and an empty cart leads back to the menu", async ({ page }) => {
    await page.goto("/demo/product/espresso");
    await page.getByRole("button", { name: /В корзину/ }).click();
    await page.goto("/demo/cart");
    await page.getByRole("button", { name: "Убрать из корзины: Эспрессо" }).click();
    await expect(page.getByText("В корзине пока ничего нет.")).toBeVisible();
    await page.reload();
    await expect(page.getByText("В корзине пока ничего нет.")).toBeVisible();
    await page.getByRole("link", { name: "Открыть меню" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Меню" })).toBeVisible();
  });

  test("the guest picks another location and the menu follows it", async ({ page }) => {
    await page.goto("/demo");
    const picker = page.getByRole("form", { name: "Где заберёте заказ" });
    const arbat = picker.getByRole("button", { name: /Арбат/ });
    await arbat.click();
    await expect(arbat).toHaveAttribute("aria-pressed", "true");
    await page.reload();
    await expect(picker.getByRole("button", { name: /Арбат/ })).toHaveAttribute("aria-pressed", "true");
  });
});

test.describe("a signed-in guest's order", () => {
  test("pays part with points, gets a pick-up code, and a cancel from another tab shows up live", async ({ page }) => {
    // A guest sign-in by mail and two tabs on a shared two-core machine take a while.
    test.setTimeout(120_000);
    const cafe = await createCafe("shop", { openAllDay: true });
    // The fixture's first order creates the café's menu (a 270 ₽ cappuccino).
    await placeOrder(cafe, "Первый гость");
    await signInGuest(page, cafe, newGuest("buyer"), `/${cafe.slug}`);
    await page.locator('article[data-sku="cappuccino"]').getByRole("link").click();
    await page.getByRole("button", { name: /В корзину/ }).click();
    await page.goto(`/${cafe.slug}/checkout`);

    await expect(page.getByRole("heading", { level: 1, name: "Оформление заказа" })).toBeVisible();
    await expect(page.getByRole("radio", { name: /Как можно скорее/ })).toBeChecked();
    // 100 welcome points, but at most 30 % of 270 ₽: 81 points.
    const points = page.getByRole("spinbutton", { name: "Баллов списать", exact: true });
    await expect(points).toHaveAttribute("max", "81");
    await points.fill("500");
    await expect(points).toHaveValue("81");
    await points.fill("50");
    await expect(page.getByTestId("to-pay")).toContainText("220");
    await page.getByLabel("Комментарий для бариста").fill("Погорячее");
    await page.getByRole("button", { name: /Заказать/ }).click();

    await expect(page).toHaveURL(new RegExp(`/${cafe.slug}/orders/[0-9a-f-]{36}$`));
    await expect(page.getByRole("status").filter({ hasText: "Заказ отправлен в кофейню" })).toBeVisible();
    await expect(page.getByTestId("pickup-code")).toHaveText(/^\d{3}[ABCEHKMPTX]$/);
    await expect(page.getByRole("main")).toContainText("Погорячее");
    await expect(page.getByRole("main")).toContainText("220");
    await expect(page.locator("[data-live]")).toHaveAttribute("data-live", "open");
    // The order emptied the cart.
    await expect(page.getByRole("link", { name: "Корзина пуста" })).toBeVisible();

    // The same guest cancels in a second tab; the first tab follows without a reload.
    const other = await page.context().newPage();
    await other.goto(page.url());
    await other.getByRole("button", { name: "Отменить заказ" }).click();
    await other.getByRole("button", { name: "Да, отменить" }).click();
    await expect(other.getByRole("main")).toContainText("Вы отменили заказ.");
    await other.close();

    await expect(page.getByRole("status").filter({ hasText: "Заказ отменён" })).toBeVisible({ timeout: 5_000 });
    await expect(page.getByRole("main")).toContainText("50 баллов вернулись на счёт.");
    await expect(page.getByRole("button", { name: "Отменить заказ" })).toHaveCount(0);
    await page.getByRole("link", { name: "Все заказы" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Мои заказы" })).toBeVisible();
    await expect(page.getByRole("main")).toContainText("Заказ отменён");
  });
});
