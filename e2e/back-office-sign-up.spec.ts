import { randomBytes } from "node:crypto";
import { authenticator } from "otplib";
import { expect, formAlert, test } from "./fixtures";

test("a café signs up: account, 2FA, café with its hours, the checklist, email confirmation, storefront opened", async ({
  page,
  browser,
}) => {
  const suffix = `${test.info().workerIndex}${randomBytes(3).toString("hex")}`;
  const email = `owner-${suffix}@sign-up.test`;
  const name = `Кофе Точка ${suffix}`;
  const slug = `e2e-signup-${suffix}`;
  const guest = await (await browser.newContext()).newPage();

  // As a new café finds Zerno: the landing page, the prices (billing is on in the e2e run), sign-up.
  await page.goto("/");
  await page.getByRole("banner").getByRole("link", { name: "Тарифы" }).click();
  await expect(page).toHaveURL(/\/pricing$/);
  await page.getByRole("link", { name: "Выбрать Pro" }).first().click();

  // Step one: the owner's account. A short password is refused, naming the field and keeping the email.
  await expect(page).toHaveURL(/\/sign-up/);
  await expect(page.getByRole("heading", { level: 1, name: "Регистрация кафе" })).toBeVisible();
  await page.getByLabel("Электронная почта").fill(email);
  await page.getByLabel("Пароль").fill("short");
  await page.getByRole("button", { name: "Создать аккаунт" }).click();
  await expect(formAlert(page)).toContainText("«Пароль»");
  await expect(formAlert(page)).toContainText("не короче 10 символов");
  await expect(page.getByLabel("Электронная почта")).toHaveValue(email);
  await page.getByLabel("Пароль").fill("a-long-owner-password");
  await page.getByRole("button", { name: "Создать аккаунт" }).click();

  // Step two: 2FA enrolment at once (owners never work without it).
  await expect(page.getByRole("heading", { name: "Включите двухфакторный вход" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").textContent())?.trim() ?? "";
  await page.getByLabel("Код из приложения").fill(authenticator.generate(secret));
  await page.getByRole("button", { name: "Включить" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await page.getByRole("link", { name: "Я сохранил коды — продолжить" }).click();

  // Step three: the café. The address follows the name, transliterated, and is checked as it is typed.
  await expect(page.getByRole("heading", { level: 1, name: "Ваше кафе" })).toBeVisible();
  await page.getByLabel("Название кафе").fill(name);
  await expect(page.getByLabel("Адрес витрины")).toHaveValue(`kofe-tochka-${suffix}`);
  await page.getByLabel("Адрес витрины").fill("dashboard");
  await expect(page.getByText("Это слово занято самим Зерном.")).toBeVisible();
  await expect(page.getByRole("button", { name: `Взять «kofe-tochka-${suffix}»` })).toBeVisible();
  await page.getByLabel("Адрес витрины").fill(slug);
  await expect(page.getByText("Адрес свободен.")).toBeVisible();
  await page.getByLabel("Валюта").selectOption("RUB");
  await page.getByLabel("Часовой пояс").selectOption("Europe/Moscow");
  await page.getByLabel("Язык витрины").selectOption("ru");
  await page.getByLabel("Название точки").fill("На Тверской");
  await page.getByLabel("Адрес точки").fill("Тверская, 1");
  const saturday = page.getByRole("group", { name: "Суббота" });
  await saturday.getByLabel("Открытие").fill("10:00");
  await saturday.getByLabel("Закрытие").fill("18:00");
  await page.getByRole("group", { name: "Воскресенье" }).getByLabel("Выходной").check();
  await expect(page.getByRole("group", { name: "Воскресенье" }).getByLabel("Открытие")).toBeDisabled();
  // A closing time before the opening one is refused, naming the day.
  const monday = page.getByRole("group", { name: "Понедельник" });
  await monday.getByLabel("Закрытие").fill("07:00");
  await page.getByRole("button", { name: "Создать кафе" }).click();
  await expect(formAlert(page)).toContainText("«Понедельник»");
  await monday.getByLabel("Закрытие").fill("21:00");
  await page.getByRole("button", { name: "Создать кафе" }).click();

  // The back-office with the first-steps checklist.
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Обзор" })).toBeVisible();
  const checklist = page.getByRole("region", { name: "Первые шаги" });
  await expect(checklist.getByRole("progressbar", { name: "Сделано 0 из 5" })).toBeVisible();
  for (const step of [
    "Добавьте товар в меню",
    "Проверьте правила лояльности",
    "Создайте ключ для кассы",
    "Пригласите коллегу",
  ]) {
    await expect(checklist.getByRole("link", { name: step })).toBeVisible();
  }

  // Not public yet: a guest gets a 404.
  expect((await guest.goto(`/${slug}`))?.status()).toBe(404);

  // Check the loyalty rules.
  await checklist.getByRole("link", { name: "Проверьте правила лояльности" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Лояльность" })).toBeVisible();
  await expect(page.getByRole("row", { name: /Бронза\s+5 %/ })).toBeVisible();
  // The rules in force (the page also offers them for a new version).
  await expect(page.getByText("до 30 % чека").first()).toBeVisible();
  await expect(page.getByText("100 баллов").first()).toBeVisible();
  await page.getByRole("button", { name: "Правила верны" }).click();
  await expect(page.getByRole("status").filter({ hasText: "правила подтверждены" })).toBeVisible();
  await page.getByRole("navigation", { name: "Разделы бэк-офиса" }).getByRole("link", { name: "Обзор" }).click();
  await expect(checklist.getByRole("progressbar", { name: "Сделано 1 из 5" })).toBeVisible();

  // Opening the storefront is refused until the email is confirmed.
  await checklist.getByRole("button", { name: "Открыть витрину" }).click();
  await expect(checklist.getByRole("alert")).toContainText("Сначала подтвердите почту");

  // The confirmation mail is in the dev outbox (no RESEND_API_KEY in tests).
  await guest.goto("/dev/outbox");
  const mail = guest.locator("article").filter({ hasText: email }).first();
  const link =
    (await mail
      .getByRole("link", { name: /\/sign-up\/verify\?token=/ })
      .first()
      .getAttribute("href")) ?? "";
  expect(link).toContain("/sign-up/verify?token=");
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1, name: "Почта подтверждена" })).toBeVisible();

  // Now the storefront opens.
  await page.goto(`/dashboard/${slug}`);
  await checklist.getByRole("button", { name: "Открыть витрину" }).click();
  await expect(checklist.getByRole("progressbar", { name: "Сделано 2 из 5" })).toBeVisible();
  await expect(checklist.getByRole("link", { name: "Перейти на витрину" })).toBeVisible();

  const storefront = await guest.goto(`/${slug}`);
  expect(storefront?.status()).toBe(200);
  await expect(guest.getByRole("banner").getByRole("link", { name })).toBeVisible();

  // The trial runs; the owner pays for Pro monthly in Checkout (the local Stripe-compatible server,
  // which completes it and sends the signed webhooks) and comes back to the plan live.
  await expect(page.getByTestId("billing-notice")).toContainText("Пробный период Pro");
  await page.getByRole("navigation", { name: "Разделы бэк-офиса" }).getByRole("link", { name: "Подписка" }).click();
  await expect(page.getByTestId("billing-status")).toHaveText("Пробный период");
  await expect(page.getByRole("progressbar", { name: "Точки" })).toHaveAttribute("value", "1");
  await page.getByRole("radio", { name: "помесячно" }).check();
  await page.getByRole("button", { name: "Оформить Pro" }).click();
  await expect(page.getByRole("heading", { name: "Checkout" })).toBeVisible();
  await expect(page.getByText("1 × 2990.00 RUB / month")).toBeVisible();
  await page.getByRole("button", { name: "Pay" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/billing\\?checkout=cs_test_`));
  await expect(page.getByRole("status").filter({ hasText: "Оплата прошла" })).toBeVisible();
  await expect(page.getByTestId("billing-plan")).toHaveText("Pro");
  await expect(page.getByTestId("billing-status")).toHaveText("Активна");
  await expect(page.getByTestId("billing-notice")).toHaveCount(0);
  await expect(page.getByRole("table", { name: "Счета" }).getByRole("row")).toHaveCount(2);
  // The webhook said the same: a reload without the checkout id shows the plan active.
  await page.goto(`/dashboard/${slug}/billing`);
  await expect(page.getByTestId("billing-status")).toHaveText("Активна");
});
