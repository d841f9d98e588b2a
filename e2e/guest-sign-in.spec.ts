import { createCafe, expect, formAlert, guestOfCafe, latestMagicLink, newGuest, signInGuest, test } from "./fixtures";

test("a new guest signs in by the mailed link, joins once with name, phone and consent", async ({ page }) => {
  const cafe = await createCafe("guest-sign-in");
  const guest = newGuest("join");
  await signInGuest(page, cafe, guest, `/${cafe.slug}`);
  await expect(page.getByRole("link", { name: "Моя карта" })).toBeVisible();
  expect(await guestOfCafe(cafe, guest.email)).toMatchObject({ name: guest.name, phone: guest.phone });

  // The link works once: opened again it does not sign anybody in.
  const used = await latestMagicLink(guest.email);
  const browser = page.context().browser();
  if (!browser) throw new Error("no browser");
  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto(used);
  await expect(second).toHaveURL((url) => url.pathname === `/${cafe.slug}/sign-in`);
  await expect(second.getByRole("main").getByRole("alert")).toContainText("ссылка уже использована");
  await expect(second.getByRole("link", { name: "Войти" })).toBeVisible();
  await other.close();

  // Signing in again on this device skips the welcome form: the café knows the guest.
  await page.context().clearCookies();
  await signInGuest(page, cafe, guest, `/${cafe.slug}`);
  await expect(page.getByRole("link", { name: "Моя карта" })).toBeVisible();
});

test("the forms say what is wrong", async ({ page }) => {
  const cafe = await createCafe("guest-sign-in-errors");
  await page.goto(`/${cafe.slug}/sign-in`);
  await page.getByLabel("Электронная почта").fill("not-an-email");
  await page.getByRole("button", { name: "Прислать ссылку" }).click();
  await expect(formAlert(page)).toHaveText("Это не похоже на адрес электронной почты.");

  const guest = newGuest("no-consent");
  await page.getByLabel("Электронная почта").fill(guest.email);
  await page.getByRole("button", { name: "Прислать ссылку" }).click();
  // The mail can be in the outbox a moment before its link's token is stored (Auth.js does both at
  // once); the page's confirmation comes after both.
  await expect(page.getByRole("status").filter({ hasText: "Проверьте почту" })).toBeVisible();
  await page.goto(await latestMagicLink(guest.email));
  await page.goto(`/${cafe.slug}/welcome`);
  await page.getByLabel("Имя", { exact: true }).fill(guest.name);
  await page.getByLabel("Телефон", { exact: true }).fill(guest.phone);
  await page.getByRole("button", { name: "Присоединиться" }).click();
  // The one wrong field says so at the field.
  await expect(formAlert(page)).toHaveText("Проверьте отмеченные поля.");
  await expect(page.getByLabel(/Согласен/)).toHaveAccessibleDescription(/Отметьте согласие/);
  await expect(page.getByLabel("Телефон", { exact: true })).not.toHaveAttribute("aria-invalid", "true");
  // What was typed stays: ticking the box is all the guest has left to do.
  await expect(page.getByLabel("Имя", { exact: true })).toHaveValue(guest.name);
  await expect(page.getByLabel("Телефон", { exact: true })).toHaveValue(guest.phone);
  await page.getByLabel(/Согласен/).check();
  // A phone that is no phone is named as such.
  await page.getByLabel("Телефон", { exact: true }).fill("123");
  await page.getByRole("button", { name: "Присоединиться" }).click();
  await expect(page.getByLabel("Телефон", { exact: true })).toHaveAccessibleDescription(/Проверьте номер телефона/);
  await expect(page.getByLabel(/Согласен/)).not.toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Телефон", { exact: true }).fill(guest.phone);
  await page.getByRole("button", { name: "Присоединиться" }).click();
  await expect(page).not.toHaveURL(/\/welcome/);
  expect(await guestOfCafe(cafe, guest.email)).toMatchObject({ name: guest.name });
});
