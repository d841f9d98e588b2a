import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { readDataFile } from "./app-server";
import { expect, type Person, signIn, test } from "./fixtures";

const owner: Person = {
  email: "owner@demo.zerno.local",
  password: "zerno-demo-2026",
  totpSecret: "C5DTY7Z4NNUWWGBZCE5CWWCLDQXSIPTE",
};

/** The e2e database as its superuser (past RLS), for what only the mail server would otherwise know. */
function admin() {
  return postgres(readDataFile<{ adminUrl: string }>("running.json").adminUrl, { max: 1, onnotice: () => {} });
}

type SendRow = { guest_id: string; email: string | null; group: string; status: string };

/** The campaign's rows: one per guest drawn, with the group and what became of it. */
async function sendsOf(campaignId: string): Promise<SendRow[]> {
  const sql = admin();
  try {
    return await sql<SendRow[]>`
      select s.guest_id, g.email, s."group"::text as "group", s.status::text as status
        from campaign_sends s join guests g on g.tenant_id = s.tenant_id and g.id = s.guest_id
       where s.campaign_id = ${campaignId}`;
  } finally {
    await sql.end();
  }
}

/** Mail to `addresses` stored since `since`, newest first (the dev outbox holds every mail the server sent). */
async function mailSince(addresses: string[], since: Date): Promise<{ to_address: string; text: string }[]> {
  if (addresses.length === 0) return [];
  const sql = admin();
  try {
    return await sql<{ to_address: string; text: string }[]>`
      select to_address, text from email_outbox where to_address in ${sql(addresses)} and created_at >= ${since}
       order by created_at desc`;
  } finally {
    await sql.end();
  }
}

/** Quiet hours an hour or two from now on the café's clock (Moscow), so the launch sends at once. */
function quietHoursAwayFromNow(): { start: string; end: string } {
  const hour = Number(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Moscow", hour: "2-digit", hourCycle: "h23" }).format(
      new Date(),
    ),
  );
  const at = (h: number) => `${String(h % 24).padStart(2, "0")}:00`;
  return { start: at(hour + 2), end: at(hour + 3) };
}

test("the demo owner wins back sleeping guests: preview with the favourite, a test to themselves, launch; the control group gets nothing; the guest unsubscribes from the mail", async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  await signIn(page, owner, "/dashboard/demo/campaigns");
  // The first sign-in of a fresh server is slow (cold start).
  await expect(page.getByRole("heading", { name: "Рассылки", level: 1 })).toBeVisible({ timeout: 30_000 });

  // Quiet hours away from now (the café's time zone), or the messages would wait for the morning.
  await page.getByRole("link", { name: "Настройки рассылок" }).click();
  const quiet = quietHoursAwayFromNow();
  await page.getByLabel("С", { exact: true }).fill(quiet.start);
  await page.getByLabel("До", { exact: true }).fill(quiet.end);
  await page.getByRole("button", { name: "Сохранить" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Сохранено" })).toBeVisible();

  // A new win-back: the suggested texts use the placeholders; half the guests held back, so both groups have guests.
  await page.getByRole("link", { name: "← Все рассылки" }).click();
  await page.getByRole("link", { name: "Новая рассылка" }).click();
  await expect(page.getByLabel("Вид рассылки")).toHaveValue("win_back");
  const name = `Вернуть спящих ${randomBytes(2).toString("hex")}`;
  await page.getByLabel("Название").fill(name);
  await expect(page.getByLabel("Текст письма")).toHaveValue(/\{favourite\}/);
  await page.getByLabel("Контрольная группа, %").fill("50");
  await page.getByRole("button", { name: "Создать черновик" }).click();
  await expect(page).toHaveURL(/\/dashboard\/demo\/campaigns\/[0-9a-f-]{36}\/edit$/);
  const campaignId = page.url().split("/").at(-2) ?? "";

  // The preview is for a real sleeping guest, with their favourite product in the text.
  const preview = page.getByTestId("campaign-preview");
  await expect(preview).toContainText("сегмент: Спящие");
  const favourite = (await preview.textContent())?.match(/любимое: ([^·]+?) ·/)?.[1]?.trim();
  expect(favourite, "a sleeping guest with a favourite product").toBeTruthy();
  await expect(preview.locator("pre")).toContainText(`Ваш ${favourite} ждёт вас`);

  // A test to the owner's own address lands in the dev outbox.
  await page.getByRole("button", { name: "Отправить себе" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Отправлено на ${owner.email}` })).toBeVisible();
  const outbox = await page.context().newPage();
  await outbox.goto("/dev/outbox");
  const testMail = outbox.getByRole("article").filter({ hasText: owner.email }).first();
  await expect(testMail.getByRole("heading")).toContainText("[Тест]");
  await expect(testMail).toContainText("ждёт вас");
  await outbox.close();

  // Launch, after the question.
  const launchedAt = new Date(Date.now() - 5_000);
  await page.getByRole("button", { name: "Запустить…" }).click();
  await page.getByRole("button", { name: "Да, запустить" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Запущено" })).toBeVisible();

  // The queue sends the target group; the hold-out stays held out.
  let sends: SendRow[] = [];
  await expect
    .poll(
      async () => {
        sends = await sendsOf(campaignId);
        return sends.filter((row) => row.status === "queued" || row.status === "sending").length;
      },
      { timeout: 60_000, message: "every queued message is sent" },
    )
    .toBe(0);
  const sent = sends.filter((row) => row.status === "sent" || row.status === "delivered");
  const heldOut = sends.filter((row) => row.status === "held_out");
  expect(sent.length, "guests sent to").toBeGreaterThan(0);
  expect(heldOut.length, "guests held back").toBeGreaterThan(0);
  const emailsOf = (rows: SendRow[]) => rows.flatMap((row) => (row.email ? [row.email] : []));
  const sentMail = await mailSince(emailsOf(sent), launchedAt);
  expect(new Set(sentMail.map((mail) => mail.to_address))).toEqual(new Set(emailsOf(sent)));
  expect(await mailSince(emailsOf(heldOut), launchedAt)).toEqual([]);

  // The list counts both groups; the campaign's results page opens from it.
  await page.goto("/dashboard/demo/campaigns");
  const row = page.locator(`tr[data-campaign="${campaignId}"]`);
  await expect(row).toContainText("Идёт");
  await expect(row.getByRole("cell").nth(2)).toHaveText(String(sent.length));
  await expect(row.getByRole("cell").nth(4)).toHaveText(String(heldOut.length));
  await row.getByRole("link", { name: `Результаты рассылки «${name}»` }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/demo/campaigns/${campaignId}$`));
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  // The results show both groups side by side, and how many were held back.
  await expect(page.getByRole("columnheader", { name: "Получили сообщение" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Контрольная группа" })).toBeVisible();
  await expect(
    page.locator("dt", { hasText: "Оставлены без сообщения" }).locator("xpath=following-sibling::dd[1]"),
  ).toHaveText(String(heldOut.length));

  // A held-back guest's card says so.
  const heldGuest = heldOut[0]?.guest_id ?? "";
  await page.goto(`/dashboard/demo/guests/${heldGuest}`);
  await expect(page.getByTestId("guest-timeline")).toContainText(`Рассылка «${name}»: в контрольной группе`);

  // A guest who got the mail (the newest, so on the outbox's first page) unsubscribes from its link, signed in nowhere.
  const recipient = sentMail[0]?.to_address ?? "";
  const recipientId = sent.find((row) => row.email === recipient)?.guest_id ?? "";
  const stranger = await browser.newContext();
  const guestPage = await stranger.newPage();
  await guestPage.goto("/dev/outbox");
  const mail = guestPage.getByRole("article").filter({ hasText: recipient }).first();
  await mail
    .getByRole("link", { name: /\/demo\/unsubscribe\?token=/ })
    .first()
    .click();
  await expect(guestPage.getByRole("heading", { name: "Отписка от писем" })).toBeVisible();
  await guestPage.getByRole("button", { name: "Отписаться" }).click();
  await expect(guestPage.getByRole("status")).toContainText("больше не будет присылать");
  await stranger.close();
  const sql = admin();
  try {
    const [guest] = await sql<{ marketing_opt_in: boolean }[]>`
      select marketing_opt_in from guests where id = ${recipientId}`;
    expect(guest?.marketing_opt_in).toBe(false);
  } finally {
    await sql.end();
  }
});
