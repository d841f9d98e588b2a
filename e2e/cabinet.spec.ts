import { readFile } from "node:fs/promises";
import { createCafe, expect, formAlert, guestOfCafe, newGuest, signInGuest, test } from "./fixtures";

test("the cabinet shows the welcome bonus, the tier and a QR code that changes every 30 seconds", async ({
  page,
}, testInfo) => {
  // Up to 30 s for the code's step to end, on top of signing in.
  test.setTimeout(120_000);
  const cafe = await createCafe("cabinet-card");
  const guest = newGuest("card");
  await signInGuest(page, cafe, guest);

  await expect(page.getByRole("heading", { level: 1, name: "Моя карта" })).toBeVisible();
  await expect(page.getByTestId("balance")).toHaveText("100 баллов");
  await expect(page.getByText(/Можно оплатить до 100\s₽/)).toBeVisible();
  await expect(page.getByRole("progressbar", { name: /Путь до уровня/ })).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Личный кабинет" }).getByRole("link", { name: "Карта" }),
  ).toHaveAttribute("aria-current", "page");

  const qr = page.getByRole("img", { name: "QR-код вашей карты" });
  await expect(qr.locator("svg")).toBeVisible();
  const first = await qr.innerHTML();
  const countdown = page.getByText(/Код обновится через \d+ с/);
  await expect(countdown).toBeVisible();
  const seconds = async () => Number((await countdown.textContent())?.match(/\d+/)?.[0]);
  const start = await seconds();
  expect(start).toBeGreaterThanOrEqual(1);
  expect(start).toBeLessThanOrEqual(30);
  // The countdown runs, and when it ends the page fetches the next code by itself.
  await expect.poll(seconds, { timeout: 5_000 }).toBeLessThan(start === 1 ? 31 : start);
  await expect.poll(() => qr.innerHTML(), { timeout: 40_000 }).not.toBe(first);
  await expect(countdown).toBeVisible();
  expect(await seconds()).toBeGreaterThan(20);

  // The phone's screen (not the laptop's, nor the whole page): the landing page shows it in a phone frame.
  if (testInfo.project.name === "phone") await page.screenshot({ path: "public/screenshots/cabinet-phone.png" });
});

test("history lists the welcome bonus; a malformed receipt QR is refused with a clear message", async ({ page }) => {
  const cafe = await createCafe("cabinet-history");
  const guest = newGuest("history");
  await signInGuest(page, cafe, guest);

  await page.getByRole("navigation", { name: "Личный кабинет" }).getByRole("link", { name: "История" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "История" })).toBeVisible();
  const bonus = page.getByRole("article").filter({ has: page.getByRole("heading", { name: "Приветственный бонус" }) });
  await expect(bonus).toContainText("+100 баллов");

  await page.getByRole("navigation", { name: "Личный кабинет" }).getByRole("link", { name: "Добавить чек" }).click();
  await page.getByLabel("Текст QR-кода с чека").fill("https://example.com/not-a-receipt");
  await page.getByRole("button", { name: "Добавить чек" }).click();
  await expect(formAlert(page)).toContainText("не похоже на QR-код кассового чека");
  expect((await guestOfCafe(cafe, guest.email))?.balance).toBe(100);
});

test("the profile change persists, the data downloads as JSON, and deleting the account signs out", async ({
  page,
}) => {
  const cafe = await createCafe("cabinet-profile");
  const guest = newGuest("profile");
  await signInGuest(page, cafe, guest, `/${cafe.slug}/me/profile`);

  await expect(page.getByRole("heading", { level: 1, name: "Профиль" })).toBeVisible();
  await expect(page.getByLabel("Почта для входа")).toHaveValue(guest.email);
  await page.getByLabel("Имя", { exact: true }).fill("Мария");
  // A refused phone keeps what was typed, so the message is about what the guest sees.
  const phone = page.getByLabel("Телефон", { exact: true });
  const storedPhone = await phone.inputValue();
  await phone.fill("12345");
  await page.getByRole("button", { name: "Сохранить" }).click();
  await expect(formAlert(page)).toContainText("Проверьте номер телефона");
  await expect(page.getByLabel("Имя", { exact: true })).toHaveValue("Мария");
  await expect(phone).toHaveValue("12345");
  await phone.fill(storedPhone);
  await page.getByLabel("День рождения").fill("1990-05-17");
  await page.getByLabel("Присылать мне предложения и акции по почте").check();
  await page.getByRole("button", { name: "Сохранить" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Сохранено." })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Имя", { exact: true })).toHaveValue("Мария");
  await expect(page.getByLabel("День рождения")).toHaveValue("1990-05-17");
  await expect(page.getByLabel("Присылать мне предложения и акции по почте")).toBeChecked();
  expect(await guestOfCafe(cafe, guest.email)).toMatchObject({ name: "Мария" });

  const downloading = page.waitForEvent("download");
  // A form's POST (never a GET link), answered with the file.
  await page.getByRole("button", { name: "Скачать мои данные" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^${cafe.slug}-my-data-\\d{4}-\\d{2}-\\d{2}\\.json$`));
  const data = JSON.parse(await readFile(await download.path(), "utf8"));
  expect(data.profile).toMatchObject({
    name: "Мария",
    email: guest.email,
    birthday: "1990-05-17",
    marketingOptIn: true,
  });
  expect(data.ledger).toEqual([expect.objectContaining({ kind: "welcome_bonus", delta: 100 })]);

  // Two steps: the disclosure, then the explicit button.
  await page.getByText("Удалить аккаунт", { exact: true }).click();
  await page.getByRole("button", { name: "Да, удалить навсегда" }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/${cafe.slug}`);
  await expect(page.getByRole("link", { name: "Войти" })).toBeVisible();
  expect(await guestOfCafe(cafe, guest.email)).toBeNull();
  await page.goto(`/${cafe.slug}/me`);
  await expect(page).toHaveURL((url) => url.pathname === `/${cafe.slug}/sign-in`);
});
