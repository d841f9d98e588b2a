import { presetCsv, sampleGuest } from "@/server/guests/import/testing";
import { createCafe, expect, signIn, test } from "./fixtures";

test("an owner imports a 1 000-row UDS export: the dry run, the apply, and the balances in the guest look-up", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const cafe = await createCafe("import");
  // A UDS-like export made here: 1 000 guests, and on row 812 (the header is row 1) a phone no one can call.
  const guests = Array.from({ length: 1_000 }, (_, i) => sampleGuest(i + 1));
  guests[810] = { ...guests[810], phone: "12-34" };
  const file = presetCsv("uds", guests);

  await signIn(page, cafe.owner, `/dashboard/${cafe.slug}/guests/import`);
  await expect(page.getByRole("heading", { level: 1, name: "Импорт гостей" })).toBeVisible();
  await page.getByLabel("Файл с гостями").setInputFiles({
    name: "uds-export.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(file, "utf8"),
  });
  await page.getByRole("button", { name: "Загрузить" }).click();

  // The columns are offered from the header, recognised as UDS's.
  await expect(page.getByLabel("Откуда файл")).toHaveValue("uds");
  await expect(page.getByLabel("Телефон", { exact: true })).toHaveValue("0");
  await expect(page.getByLabel("Баланс баллов")).not.toHaveValue("");
  await page.getByRole("button", { name: "Проверить файл" }).click();

  // The dry run: what will be created and skipped, and why.
  const report = page.getByTestId("import-report");
  await expect(report.getByTestId("count-create")).toHaveText(/^999$/, { timeout: 30_000 });
  await expect(report.getByTestId("count-skip")).toHaveText("1");
  await expect(report.getByRole("row", { name: /812.*Неверный номер телефона/ })).toBeVisible();

  await page.getByRole("button", { name: "Применить" }).click();
  await expect(page.getByTestId("import-status")).toContainText("Применён", { timeout: 30_000 });
  await expect(page.getByTestId("reconciliation")).toContainText("Сходится до балла.");

  // An imported guest at the counter: found by phone, with the points the file gave.
  const guest = guests[26] ?? {};
  await page.goto(`/dashboard/${cafe.slug}/guests/lookup`);
  await page.getByLabel("Номер карты, телефон, имя или email").fill(guest.phone ?? "");
  await page.getByRole("button", { name: "Найти" }).click();
  const card = page.getByTestId("guest-card");
  await expect(card).toContainText(guest.name ?? "");
  await expect(card).toContainText(`${guest.balance} баллов`);
});
