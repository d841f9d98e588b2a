import { authenticator } from "otplib";
import { createCafe, createMenu, expect, formAlert, PASSWORD, signIn, test } from "./fixtures";

// The demo owner's secret as printed by `npm run demo` and written in the README.
const DEMO_OWNER = {
  email: "owner@demo.zerno.local",
  password: "zerno-demo-2026",
  totpSecret: "C5DTY7Z4NNUWWGBZCE5CWWCLDQXSIPTE",
};

test("the demo owner signs in with password and TOTP and sees the whole back-office", async ({ page }) => {
  await page.goto("/dashboard/demo");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await signIn(page, DEMO_OWNER, "/dashboard/demo");
  await expect(page.getByRole("heading", { level: 1, name: "Обзор" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Разделы бэк-офиса" });
  for (const section of ["Отзывы гостей", "Интеграции", "Персонал", "Журнал действий", "Подписка"]) {
    await expect(nav.getByRole("link", { name: section })).toBeVisible();
  }
  await nav.getByRole("link", { name: "Журнал действий" }).click();
  await expect(page.getByRole("cell", { name: "Вход в бэк-офис sign_in.succeeded" }).first()).toBeVisible();
  await page.getByLabel("Действие").selectOption({ label: "Вход в бэк-офис" });
  await page.getByRole("button", { name: "Показать" }).click();
  await expect(page).toHaveURL(/action=sign_in\.succeeded/);
  // Every row left is a sign-in (the table's third column is the action).
  const actions = await page.locator("tbody tr td:nth-child(3)").allTextContents();
  expect(actions.length).toBeGreaterThan(0);
  expect(actions.filter((action) => !action.includes("sign_in.succeeded"))).toEqual([]);
  await page.screenshot({ path: "public/screenshots/back-office-audit.png" });
  // An edited address (a six-digit year, a NUL, a person who is no id, an absurd page) filters by
  // what it can and still shows the log.
  const response = await page.goto(
    "/dashboard/demo/audit?to=99999-01-01&action=%00&person=not-a-uuid&page=999999999999999999999",
  );
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Журнал действий" })).toBeVisible();
});

test("a wrong TOTP code is refused and the right one works once", async ({ page }) => {
  const cafe = await createCafe("totp");
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(cafe.owner.email);
  await page.getByLabel("Пароль").fill(PASSWORD);
  await page.getByRole("button", { name: "Войти" }).click();
  await page.getByLabel("Код", { exact: true }).fill("000000");
  await page.getByRole("button", { name: "Подтвердить" }).click();
  await expect(formAlert(page)).toContainText("Неверный или уже использованный код");
  await page.getByLabel("Код", { exact: true }).fill(authenticator.generate(cafe.owner.totpSecret ?? ""));
  await page.getByRole("button", { name: "Подтвердить" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Обзор" })).toBeVisible();
});

test("an invited owner is forced through 2FA enrolment, sees recovery codes once, and each code works once", async ({
  page,
  browser,
}) => {
  const cafe = await createCafe("invite");
  await signIn(page, cafe.owner, `/dashboard/${cafe.slug}/staff`);
  const newcomer = `new-owner-${Date.now()}@${cafe.slug}.test`;
  await page.getByLabel("Email").fill(newcomer);
  await page.getByLabel("Роль").last().selectOption("owner");
  await page.getByRole("button", { name: "Пригласить" }).click();
  await expect(page.getByRole("status")).toContainText("Приглашение отправлено");
  // Taken: the form is empty for the next person.
  await expect(page.getByLabel("Email")).toHaveValue("");

  // The invitation arrives in the dev outbox (no RESEND_API_KEY in tests).
  const guest = await (await browser.newContext()).newPage();
  await guest.goto("/dev/outbox");
  const mail = guest.locator("article, li").filter({ hasText: newcomer }).first();
  const link = mail.getByRole("link", { name: /\/invite\// }).first();
  const invitationUrl = (await link.getAttribute("href")) ?? "";
  expect(invitationUrl).toContain(`/invite/${cafe.slug}/`);
  await guest.goto(invitationUrl);
  await guest.getByLabel("Ваше имя").fill("Новый владелец");
  // A refused password keeps what was typed.
  await guest.getByLabel("Пароль").fill("short");
  await guest.getByRole("button", { name: "Принять приглашение" }).click();
  await expect(formAlert(guest)).toContainText("не короче 10 символов");
  await expect(guest.getByLabel("Ваше имя")).toHaveValue("Новый владелец");
  await guest.getByLabel("Пароль").fill("a-long-new-password");
  await guest.getByRole("button", { name: "Принять приглашение" }).click();

  // Signing in: owners cannot use the back-office before enrolling.
  await expect(guest).toHaveURL(/\/sign-in/);
  await guest.getByLabel("Email").fill(newcomer);
  await guest.getByLabel("Пароль").fill("a-long-new-password");
  await guest.getByRole("button", { name: "Войти" }).click();
  await expect(guest.getByRole("heading", { name: "Включите двухфакторный вход" })).toBeVisible();
  await guest.goto(`/dashboard/${cafe.slug}`);
  await expect(guest).toHaveURL(/\/account\/two-factor/);
  const secret = (await guest.getByTestId("totp-secret").textContent())?.trim() ?? "";
  await guest.getByLabel("Код из приложения").fill(authenticator.generate(secret));
  await guest.getByRole("button", { name: "Включить" }).click();
  await expect(guest.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  const codes = (await guest.getByTestId("recovery-codes").locator("li").allTextContents()).map((code) => code.trim());
  expect(codes).toHaveLength(10);
  await guest.getByRole("link", { name: "Я сохранил коды — продолжить" }).click();
  await expect(guest.getByRole("heading", { level: 1, name: "Обзор" })).toBeVisible();
  // Shown once: the enrolment page now only leads on.
  await guest.goto("/account/two-factor");
  await expect(guest.getByTestId("recovery-codes")).toHaveCount(0);

  // A recovery code signs in once, and not twice.
  const signInWithCode = async (code: string) => {
    await guest.context().clearCookies();
    await guest.goto("/sign-in");
    await guest.getByLabel("Email").fill(newcomer);
    await guest.getByLabel("Пароль").fill("a-long-new-password");
    await guest.getByRole("button", { name: "Войти" }).click();
    await guest.getByLabel("Код", { exact: true }).fill(code);
    await guest.getByRole("button", { name: "Подтвердить" }).click();
  };
  await signInWithCode(codes[0] ?? "");
  await expect(guest.getByRole("heading", { level: 1, name: "Обзор" })).toBeVisible();
  await signInWithCode(codes[0] ?? "");
  await expect(formAlert(guest)).toContainText("Неверный или уже использованный код");
});

test("a barista reaches neither analytics, guest export, staff, billing nor keys — by menu or by URL", async ({
  page,
}) => {
  const cafe = await createCafe("barista");
  await signIn(page, cafe.barista, `/dashboard/${cafe.slug}`);
  const nav = page.getByRole("navigation", { name: "Разделы бэк-офиса" });
  await expect(nav.getByRole("link", { name: "Поиск гостя" })).toBeVisible();
  for (const section of ["Отзывы гостей", "Интеграции", "Персонал", "Журнал действий", "Подписка"]) {
    await expect(nav.getByRole("link", { name: section })).toHaveCount(0);
  }
  for (const section of ["analytics", "integrations", "staff", "audit", "billing"]) {
    const response = await page.goto(`/dashboard/${cafe.slug}/${section}`);
    expect(response?.status(), section).toBe(403);
    await expect(page.getByRole("heading", { name: "Нет доступа" })).toBeVisible();
  }
  // The export is a POST of this site's own form (a GET link is no export at all).
  const exportPath = `/dashboard/${cafe.slug}/guests/export`;
  const exported = await page.request.post(exportPath, { headers: { origin: new URL(page.url()).origin } });
  expect(exported.status()).toBe(403);
  expect((await page.request.get(exportPath)).status()).toBe(405);
  // Another café's back-office does not even admit it exists.
  const demo = await page.goto("/dashboard/demo");
  expect(demo?.status()).toBe(404);
});

test("a manager writes the barista's hint rules without reaching the POS keys", async ({ page }) => {
  const cafe = await createCafe("hints");
  await createMenu(cafe);
  await signIn(page, cafe.spare, `/dashboard/${cafe.slug}`);
  const nav = page.getByRole("navigation", { name: "Разделы бэк-офиса" });
  await expect(nav.getByRole("link", { name: "Интеграции" })).toHaveCount(0);
  await nav.getByRole("link", { name: "Подсказки бариста" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Подсказки бариста" })).toBeVisible();
  // Both picked from the menu, not typed.
  await page.getByLabel("Если гость обычно берёт (SKU)").selectOption({ label: "Капучино (cappuccino)" });
  await page.getByLabel("Предложить (SKU)").selectOption({ label: "Круассан (croissant)" });
  // A text too short: the message names the field, and what was typed stays.
  await page.getByLabel("Текст подсказки").fill("Да");
  await page.getByRole("button", { name: "Сохранить правило" }).click();
  await expect(formAlert(page)).toHaveText("Текст подсказки — от 3 до 200 символов.");
  await expect(page.getByLabel("Предложить (SKU)")).toHaveValue("croissant");
  await page.getByLabel("Текст подсказки").fill("Предложите новый сорт из Эфиопии (+50 ₽)");
  await page.getByRole("button", { name: "Сохранить правило" }).click();
  await expect(page.getByRole("listitem").filter({ hasText: "Предложите новый сорт из Эфиопии" })).toBeVisible();
  // Taken: the form is empty for the next rule.
  await expect(page.getByLabel("Текст подсказки")).toHaveValue("");
  expect((await page.goto(`/dashboard/${cafe.slug}/integrations`))?.status()).toBe(403);
});

test("the owner creates a till key, sees it once, and revokes it only after saying so twice", async ({ page }) => {
  const cafe = await createCafe("keys");
  await signIn(page, cafe.owner, `/dashboard/${cafe.slug}/integrations`);
  await page.getByLabel("Название").fill("Касса у окна");
  await page.getByRole("button", { name: "Создать ключ" }).click();
  await expect(page.getByTestId("new-pos-key")).toContainText("zk_live_");
  await expect(page.getByLabel("Название")).toHaveValue("");
  const row = page.getByRole("row").filter({ hasText: "Касса у окна" });
  await row.getByRole("button", { name: "Отозвать «Касса у окна»" }).click();
  await row.getByRole("button", { name: "Отмена" }).click();
  await expect(row).toContainText("Активен");
  // Focus returns to where it was; Escape closes the question as well.
  await expect(row.getByRole("button", { name: "Отозвать «Касса у окна»" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(row.getByRole("button", { name: "Да, отозвать" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(row.getByRole("button", { name: "Отозвать «Касса у окна»" })).toBeFocused();
  await row.getByRole("button", { name: "Отозвать «Касса у окна»" }).click();
  await expect(row.getByRole("button", { name: "Да, отозвать" })).toBeFocused();
  await row.getByRole("button", { name: "Да, отозвать" }).click();
  await expect(row).toContainText("Отозван");
});

test("ten wrong passwords lock the account with a message, even for the right password", async ({ page }) => {
  const cafe = await createCafe("lock");
  await page.goto("/sign-in");
  for (let attempt = 1; attempt <= 10; attempt++) {
    await page.getByLabel("Email").fill(cafe.spare.email);
    await page.getByLabel("Пароль").fill(`wrong-${attempt}`);
    // Each attempt waits for its answer: a click while the form is busy would not count.
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === "POST" && response.url().includes("/sign-in")),
      page.getByRole("button", { name: "Войти" }).click(),
    ]);
    await expect(formAlert(page)).toBeVisible();
    // A refused try keeps what was typed.
    await expect(page.getByLabel("Email")).toHaveValue(cafe.spare.email);
  }
  await expect(formAlert(page)).toContainText("Слишком много неудачных попыток");
  await page.getByLabel("Email").fill(cafe.spare.email);
  await page.getByLabel("Пароль").fill(PASSWORD);
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(formAlert(page)).toContainText("Повторите через 15 минут");
});

test("an unknown email and a wrong password get the same answer", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("nobody-at-all@example.test");
  await page.getByLabel("Пароль").fill("whatever-password");
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(formAlert(page)).toHaveText("Неверный email или пароль.");
});
