import { devices } from "@playwright/test";
import sharp from "sharp";
import { createCafe, expect, signIn, test } from "./fixtures";

/** A photo as a phone takes it: a JPEG, wider than tall. */
const photo = () =>
  sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 120, g: 72, b: 40 } } })
    .composite([
      { input: Buffer.from('<svg width="1200" height="900"><circle cx="600" cy="450" r="300" fill="#f5e6d3"/></svg>') },
    ])
    .jpeg({ quality: 85 })
    .toBuffer();

test("a new owner builds the menu — a category, an item with sizes, a syrup group and a photo — and sees it on a phone", async ({
  page,
  browser,
}) => {
  const cafe = await createCafe("menu");
  await signIn(page, cafe.owner, `/dashboard/${cafe.slug}/menu/editor`);
  await expect(page.getByRole("heading", { level: 1, name: "Меню" })).toBeVisible();

  // Two categories; the second is moved above the first from the keyboard.
  for (const [name, english] of [
    ["Выпечка", "Pastry"],
    ["Кофе", "Coffee"],
  ] as const) {
    await page.getByLabel("Новая категория").fill(name);
    await page.getByLabel("Название по-английски", { exact: true }).last().fill(english);
    await page.getByRole("button", { name: "Добавить категорию" }).click();
    await expect(page.locator(`[data-category="${name}"]`)).toBeVisible();
  }
  await expect(page.locator("[data-category]").first()).toHaveAttribute("data-category", "Выпечка");
  await page.getByRole("button", { name: "Выше: Кофе" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.locator("[data-category]").first()).toHaveAttribute("data-category", "Кофе");

  // A syrup group: up to two of them, two pumps of one at most.
  await page.getByRole("button", { name: "Новая группа добавок" }).click();
  const group = page.getByTestId("group-form");
  await group.getByLabel("Название группы").fill("Сироп");
  await group.getByLabel("Выбрать максимум").fill("2");
  await group.getByLabel("Порций одной добавки").fill("2");
  await group.getByLabel("Добавка 1", { exact: true }).fill("Ваниль");
  await group.getByLabel("Наценка, RUB 1").fill("40");
  await group.getByRole("button", { name: "Добавить добавку" }).click();
  await group.getByLabel("Добавка 2", { exact: true }).fill("Карамель");
  await group.getByLabel("Наценка, RUB 2").fill("40");
  await group.getByRole("button", { name: "Сохранить группу" }).click();
  await expect(page.getByText("Ваниль, Карамель")).toBeVisible();

  // An item with two sizes and the syrup group.
  await page.getByRole("button", { name: "Добавить позицию в «Кофе»" }).click();
  const form = page.getByTestId("product-form");
  await form.getByLabel("Название", { exact: true }).fill("Латте");
  await form.getByLabel("Название по-английски", { exact: true }).fill("Latte");
  await form.getByLabel("Описание", { exact: true }).fill("Эспрессо и молоко");
  await form.getByLabel("Артикул (SKU)").fill("LATTE");
  await form.getByLabel("Цена, RUB").fill("200");
  await form.getByLabel("Приготовление, мин").fill("4");
  await form.getByLabel("НДС").selectOption("20");
  await form.getByRole("button", { name: "Добавить размер" }).click();
  await form.getByRole("button", { name: "Добавить размер" }).click();
  await form.getByLabel("Размер 1", { exact: true }).fill("0,3 л");
  await form.getByLabel("Цена размера, RUB 1").fill("200");
  await form.getByLabel("Размер 2", { exact: true }).fill("0,4 л");
  await form.getByLabel("Цена размера, RUB 2").fill("250");
  await form.getByLabel("Сироп").check();
  await form.getByRole("button", { name: "Сохранить позицию" }).click();
  await expect(page.getByTestId("product-form").getByRole("status").filter({ hasText: "Сохранено" })).toBeVisible();

  // A text file named like a photo is refused by its content; the real photo is taken.
  const saved = page.getByTestId("product-form");
  await saved.getByLabel("Фото").setInputFiles({
    name: "latte.jpg",
    mimeType: "image/jpeg",
    buffer: Buffer.from("not a picture, whatever its name says"),
  });
  await saved.getByRole("button", { name: "Загрузить фото" }).click();
  await expect(saved.getByText("Это не изображение")).toBeVisible();
  await saved.getByLabel("Фото").setInputFiles({ name: "latte.jpg", mimeType: "image/jpeg", buffer: await photo() });
  await saved.getByRole("button", { name: "Загрузить фото" }).click();
  await expect(saved.getByRole("img", { name: "Латте" })).toBeVisible();

  // The guest's phone: the item with its photo, its sizes and two pumps of vanilla.
  const phone = await browser.newContext({ ...devices["Pixel 7"] });
  try {
    const guest = await phone.newPage();
    await guest.goto(`/${cafe.slug}`);
    const card = guest.locator('article[data-sku="LATTE"]');
    await expect(card).toContainText("Латте");
    await expect(card).toContainText(/от 200\s₽/);
    const picture = card.locator("img");
    await expect(picture).toHaveAttribute("srcset", /\/media\/menu\/[0-9a-f]{40}-160\.webp/);
    await expect(picture).toHaveAttribute("sizes", "80px");
    await expect
      .poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    // Categories in the order the owner chose.
    await expect(guest.locator("section.menu-category h2").first()).toHaveText("Кофе");

    await card.getByRole("link").click();
    await expect(guest.getByRole("heading", { level: 1, name: "Латте" })).toBeVisible();
    await guest.getByRole("radio", { name: /0,4 л/ }).check();
    await guest.getByRole("button", { name: "Больше: Ваниль" }).click();
    await guest.getByRole("button", { name: "Больше: Ваниль" }).click();
    // Two pumps is the most of one syrup.
    await expect(guest.getByRole("button", { name: "Больше: Ваниль" })).toBeDisabled();
    await expect(guest.getByTestId("product-total")).toHaveText(/Итого: 330\s₽/);
  } finally {
    await phone.close();
  }
});

test("a menu file is checked row by row, imported once, and undone as a whole", async ({ page }) => {
  const cafe = await createCafe("menu-import");
  await signIn(page, cafe.owner, `/dashboard/${cafe.slug}/menu/import`);
  const file = {
    name: "menu.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(
      [
        "category,sku,name,size,price",
        "Кофе,FLAT,Флэт уайт,,230",
        "Кофе,RAF,Раф,0.3 л,260",
        "Кофе,RAF,Раф,0.4 л,300",
        "Кофе,BAD,Ошибка,,-10",
        'Кофе,LINK,"=HYPERLINK(""http://x.example"")",,100',
      ].join("\n"),
    ),
  };
  await page.getByLabel("Файл CSV (до 1 МБ)").setInputFiles(file);
  await page.getByRole("button", { name: "Проверить" }).click();
  await expect(page.getByTestId("import-summary")).toHaveText(
    "Создать: 3 · обновить: 0 · без изменений: 0 · ошибок: 1 · новых категорий: 1",
  );
  await expect(page.locator('tr[data-action="error"]')).toContainText("отрицательная цена");
  await expect(page.getByRole("row").filter({ hasText: "HYPERLINK" })).toContainText("формула сохранена как текст");
  await page.getByRole("button", { name: "Импортировать" }).click();
  await expect(page.getByText("Готово: импорт применён.")).toBeVisible();

  // The same file again: nothing new.
  await page.getByRole("button", { name: "Проверить" }).click();
  await expect(page.getByTestId("import-summary")).toHaveText(
    "Создать: 0 · обновить: 0 · без изменений: 3 · ошибок: 1 · новых категорий: 0",
  );
  await page.goto(`/dashboard/${cafe.slug}/menu/editor`);
  await expect(page.locator('[data-category="Кофе"]')).toContainText("Раф");

  await page.goto(`/dashboard/${cafe.slug}/menu/import`);
  await page.getByRole("button", { name: "Отменить импорт" }).click();
  await expect(page.getByText(/Импорт отменён: удалено 4/)).toBeVisible();
  await page.goto(`/dashboard/${cafe.slug}/menu/editor`);
  await expect(page.getByText("Пока нет категорий")).toBeVisible();
});
