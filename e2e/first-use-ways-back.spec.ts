import postgres from "postgres";
import { readDataFile } from "./app-server";
import { createCafe, createMenu, expect, formAlert, latestMagicLink, newGuest, signIn, test } from "./fixtures";

/** Runs SQL as the e2e database's admin (past RLS), for what an owner would set up in the back-office. */
async function asAdmin<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(readDataFile<{ adminUrl: string }>("running.json").adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}

/** A second location «Филиал» (same hours) selling the croissant, which the first location stops offering. */
async function croissantOnlyAtBranch(slug: string) {
  await asAdmin(async (sql) => {
    await sql`
      insert into locations (tenant_id, slug, name, address, timezone, opening_hours)
      select l.tenant_id, 'branch', 'Филиал', 'ул. Филиальная, 2', l.timezone, l.opening_hours
      from locations l join tenants t on t.id = l.tenant_id where t.slug = ${slug} and l.slug = 'main'`;
    await sql`
      insert into product_availability (tenant_id, location_id, product_id, available)
      select l.tenant_id, l.id, p.id, false
      from locations l join tenants t on t.id = l.tenant_id join products p on p.tenant_id = l.tenant_id
      where t.slug = ${slug} and l.slug = 'main' and p.sku = 'croissant'`;
  });
}

test("a guest signs in by the mailed link from the checkout, comes back to it with the cart, and finds the ways back", async ({
  page,
  baseURL,
}) => {
  // A mailed sign-in, an order and its cancel on a shared two-core machine take a while.
  test.setTimeout(150_000);
  const cafe = await createCafe("ways-back", { openAllDay: true });
  await createMenu(cafe);
  const guest = newGuest("ways-back");

  // The cart: a cappuccino (its default size and milk) and a croissant.
  for (const sku of ["cappuccino", "croissant"]) {
    await page.goto(`/${cafe.slug}/product/${sku}`);
    await page.getByRole("button", { name: /В корзину/ }).click();
    await expect(page.getByRole("status").filter({ hasText: "Добавлена 1 штука" })).toBeVisible();
  }
  await page.goto(`/${cafe.slug}/cart`);
  await page.getByRole("link", { name: "Оформить заказ" }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/${cafe.slug}/sign-in`);
  await page.getByLabel("Электронная почта").fill(guest.email);
  await page.getByRole("button", { name: "Прислать ссылку" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Проверьте почту" })).toBeVisible();

  // The mail's link is on this site (PUBLIC_URL) and comes back to the checkout.
  const link = new URL(await latestMagicLink(guest.email));
  expect(link.origin).toBe(new URL(baseURL ?? "").origin);
  expect(link.searchParams.get("callbackUrl")).toBe(`/${cafe.slug}/checkout`);
  await page.goto(link.toString());

  // First time at this café: the welcome form, which names each wrong field at the field.
  await expect(page).toHaveURL((url) => url.pathname === `/${cafe.slug}/welcome`);
  await page.getByRole("button", { name: "Присоединиться" }).click();
  await expect(formAlert(page)).toHaveText("Проверьте отмеченные поля.");
  await expect(page.getByLabel("Имя", { exact: true })).toHaveAccessibleDescription("Напишите, как вас зовут.");
  await expect(page.getByLabel("Имя", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Телефон", { exact: true })).toHaveAccessibleDescription(/Проверьте номер телефона/);
  await expect(page.getByLabel(/Согласен/)).toHaveAccessibleDescription(/Отметьте согласие/);
  await page.getByLabel("Имя", { exact: true }).fill(guest.name);
  await page.getByLabel("Телефон", { exact: true }).fill(guest.phone);
  await page.getByLabel(/Согласен/).check();
  await page.getByRole("button", { name: "Присоединиться" }).click();

  // Back at the checkout, the cart as it was.
  await expect(page).toHaveURL((url) => url.pathname === `/${cafe.slug}/checkout`);
  await expect(page.getByRole("heading", { level: 1, name: "Оформление заказа" })).toBeVisible();
  await expect(page.getByRole("main")).toContainText("Капучино");
  await expect(page.getByRole("main")).toContainText("Круассан");
  await page.getByRole("button", { name: /Заказать/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Заказ отправлен в кофейню" })).toBeVisible();

  // Cancelling an order that holds no points says nothing of points; cancelled, it looks cancelled.
  await page.getByRole("button", { name: "Отменить заказ" }).click();
  await expect(page.getByText("Отменить заказ?", { exact: true })).toBeVisible();
  await expect(page.getByRole("main")).not.toContainText(/балл/i);
  await page.getByRole("button", { name: "Да, отменить" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Заказ отменён" })).toBeVisible();
  await expect(page.getByText("Заказ отменён", { exact: true })).toHaveCount(1);
  await expect(page.getByTestId("pickup-code")).toHaveCount(0);
  await expect(page.getByRole("main")).not.toContainText("К оплате при получении");
  await expect(page.getByRole("main")).toContainText("Платить ничего не нужно.");

  // Order again, after the croissant moved to the other location: the rest goes in, the croissant is named.
  await croissantOnlyAtBranch(cafe.slug);
  await page.getByRole("button", { name: "Заказать снова" }).click();
  const outcome = page.getByRole("status").filter({ hasText: "в корзину" });
  await expect(outcome).toContainText("1 позиция добавлена в корзину.");
  await expect(outcome).toContainText("Сейчас нет в меню: Круассан.");
  await expect(page.getByRole("link", { name: "Корзина: 1 товар" })).toBeVisible();

  // The cabinet links to the orders, each with "order again".
  await page.goto(`/${cafe.slug}/me`);
  await page.getByRole("link", { name: "Мои заказы" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Мои заказы" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Заказать снова" })).toHaveCount(1);

  // A link to the croissant now offers to switch to the location that sells it, not a 404.
  await page.goto(`/${cafe.slug}/product/croissant`);
  await expect(page.getByRole("heading", { level: 1, name: "«Круассан» продают в другой точке" })).toBeVisible();
  await page.getByRole("button", { name: /Выбрать «Филиал»/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Круассан" })).toBeVisible();
  await expect(page.getByRole("main")).toContainText("Филиал");
});

test("staff signing in from a deep link land on the page they asked for; a barista's home is the board", async ({
  page,
}) => {
  const cafe = await createCafe("ways-back-staff");
  await page.goto(`/dashboard/${cafe.slug}/orders`);
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in");
  const next = new URL(page.url()).searchParams.get("next");
  expect(next).toBe(`/dashboard/${cafe.slug}/orders`);
  // The owner, with a second factor: the board, not the overview.
  await signIn(page, cafe.owner, next ?? "");
  await expect(page).toHaveURL((url) => url.pathname === `/dashboard/${cafe.slug}/orders`);

  // The barista signing in with no page asked for starts at the board.
  await page.context().clearCookies();
  await signIn(page, cafe.barista);
  await expect(page).toHaveURL((url) => url.pathname === `/dashboard/${cafe.slug}/orders`);
});
