import { createCafe, expect, formAlert, signIn, test } from "./fixtures";

test("the owner changes the accrual from 5 % to 7 % from tomorrow, sees the preview and publishes", async ({
  page,
}) => {
  const cafe = await createCafe("rules");
  await signIn(page, cafe.owner, `/dashboard/${cafe.slug}/loyalty`);
  await expect(page.getByRole("heading", { level: 1, name: "Лояльность" })).toBeVisible();
  await expect(page.getByText("Действуют сейчас: версия 1")).toBeVisible();

  const accrual = page.getByLabel("Начисление уровня 1, %");
  await expect(accrual).toHaveValue("5");
  await accrual.fill("7");
  await expect(page.getByLabel(/С завтрашнего дня/)).toBeChecked();
  // Nothing is published unseen: the effect first.
  const publish = page.getByRole("button", { name: "Опубликовать" });
  await expect(publish).toBeDisabled();
  await page.getByRole("button", { name: "Показать эффект" }).click();
  const preview = page.getByRole("region", { name: "Что изменится для сегодняшних гостей" });
  await expect(preview).toContainText("Бронза: 0 гостей, начисление 7 % (было 5 %)");
  await expect(preview).toContainText("Баллы не сгорают.");
  await expect(preview).toContainText("Не задним числом");

  // A change after the preview needs a new one.
  await page.getByLabel("Бонус за опрос, баллов").fill("60");
  await expect(publish).toBeDisabled();
  await page.getByLabel("Бонус за опрос, баллов").fill("50");
  await page.getByRole("button", { name: "Показать эффект" }).click();
  await expect(preview).toBeVisible();
  await publish.click();
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "Опубликована версия 2" })).toBeVisible();
  // Tomorrow's version is scheduled; today's rules stay in force.
  await expect(page.getByText(/Запланирована версия 2 с/)).toBeVisible();
  await expect(page.getByText("Действуют сейчас: версия 1")).toBeVisible();

  // The audit log names it.
  await page.goto(`/dashboard/${cafe.slug}/audit`);
  await expect(
    page.getByRole("cell", { name: "Опубликованы новые правила лояльности loyalty.rules_published" }),
  ).toBeVisible();
});

test("the owner adds a location with a lunch break and a holiday", async ({ page }) => {
  const cafe = await createCafe("places");
  await signIn(page, cafe.owner, `/dashboard/${cafe.slug}`);
  await page.getByRole("navigation", { name: "Разделы бэк-офиса" }).getByRole("link", { name: "Точки" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Точки" })).toBeVisible();

  await page.getByLabel("Название", { exact: true }).fill("На Арбате");
  await page.getByLabel("Короткое имя (латиницей)").fill("arbat");
  await page.getByLabel("Адрес", { exact: true }).fill("Арбат, 10");
  await page.getByRole("button", { name: "Открыть точку" }).click();
  await expect(page.getByRole("main").getByRole("status")).toContainText("Точка открыта.");
  await page.getByRole("link", { name: "Задать часы работы" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "На Арбате" })).toBeVisible();

  // Monday: 08:00–13:00, a lunch break, 14:00–21:00.
  await page.getByLabel("Понедельник: закрытие, интервал 1").fill("13:00");
  await page.getByRole("button", { name: "Добавить интервал (Понедельник)" }).click();
  await page.getByLabel("Понедельник: открытие, интервал 2").fill("12:30");
  await page.getByLabel("Понедельник: закрытие, интервал 2").fill("21:00");
  // Overlapping intervals are refused and the field is marked.
  await page.getByRole("button", { name: "Сохранить" }).click();
  await expect(formAlert(page)).toContainText("Интервалы одного дня пересекаются.");
  await expect(page.getByLabel("Понедельник: открытие, интервал 2")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Понедельник: открытие, интервал 2").fill("14:00");

  // New Year's Day closed.
  await page.getByRole("button", { name: "Добавить особый день" }).click();
  await page.getByLabel("Дата", { exact: true }).fill("2031-01-01");
  await page.getByLabel("Комментарий").fill("Новый год");
  await page.getByLabel("Длина слота выдачи").selectOption("30");
  await page.getByRole("button", { name: "Сохранить" }).click();
  await expect(page.getByRole("main").getByRole("status")).toContainText("Сохранено.");

  await page.reload();
  await expect(page.getByLabel("Понедельник: закрытие, интервал 1")).toHaveValue("13:00");
  await expect(page.getByLabel("Понедельник: открытие, интервал 2")).toHaveValue("14:00");
  await expect(page.getByLabel("Дата", { exact: true })).toHaveValue("2031-01-01");
  await expect(page.getByText("Закрыто весь день", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Длина слота выдачи")).toHaveValue("30");

  await page.getByRole("link", { name: "← Все точки" }).click();
  await expect(page.locator("[data-location='arbat']")).toContainText("слоты по 30 мин");
});
