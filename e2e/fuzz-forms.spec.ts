// Hostile text typed into the forms of the cabinet, the storefront and the back-office, in
// Chromium, as a person (or a person's clipboard) would: oversized, malformed and script-bearing
// values. Never a 5xx; a refusal says what is wrong in the page's language; and what is stored —
// guests' names, survey comments, staff names from invitations, tier names, import cells, places —
// is shown as text wherever it appears, never run (`window.__xss` stays unset, no dialog opens).
// Its traffic comes from its own address (X-Forwarded-For), so it uses up no rate limit the
// other specs' sign-ins count against.
import type { BrowserContext, Page } from "@playwright/test";
import { readDataFile } from "./app-server";
import { createCafe, createMenu, expect, newGuest, signIn, signInGuest, test } from "./fixtures";

/**
 * The address this spec's requests come from (X-Forwarded-For, the hop the server trusts): its own
 * key in the per-address rate limits, shared neither with the other specs nor with fuzz-api's
 * thousands of failed sign-ins (e2e/fuzz/harness.ts has that one's).
 */
const FORMS_CLIENT_ADDRESS = "198.51.100.58";

test.describe.configure({ mode: "default" });

/** Script-bearing text: each sets `window.__xss` or opens a dialog if it ever runs. */
const SCRIPTS = [
  "<script>window.__xss=1</script>Мария",
  '"><img src=x onerror="window.__xss=1">',
  "<svg/onload=alert(document.domain)>",
  "javascript:window.__xss=1//<b onmouseover=window.__xss=1>Круассан</b>",
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  "{{constructor.constructor('window.__xss=1')()}}",
];

/** Oversized and malformed text (no scripts): each must be saved as given or refused with a message. */
const MALFORMED = [
  { label: "10k", value: "Я".repeat(10_000) },
  { label: "control", value: "a\u0001b\u0007c\u001bd" },
  { label: "nul", value: "x\u0000y" },
  { label: "lone-surrogate", value: "a\ud800b" },
  { label: "rtl-override", value: "\u202eнимда" },
  { label: "zero-width", value: "\u200b\u200d\ufeff" },
  { label: "sql", value: "'); drop table guests; --" },
  { label: "only-spaces", value: "   " },
];

/** Per surface: how many hostile values were submitted, and how many answers were 5xx. */
const tally = new Map<string, { inputs: number; serverErrors: string[] }>();
function surfaceOf(name: string) {
  let entry = tally.get(name);
  if (!entry) {
    entry = { inputs: 0, serverErrors: [] };
    tally.set(name, entry);
  }
  return entry;
}

let adminUrl: string;

test.beforeAll(() => {
  adminUrl = readDataFile<{ adminUrl: string }>("running.json").adminUrl;
});

test.afterAll(() => {
  for (const [name, { inputs, serverErrors }] of tally) {
    console.log(`fuzz: forms-${name} ${inputs} inputs, ${serverErrors.length} 5xx`);
  }
});

async function adminSql<T>(run: (sql: import("postgres").Sql) => Promise<T>): Promise<T> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await run(sql);
  } finally {
    await sql.end();
  }
}

/** A browser context whose requests come from the fuzz address; its pages count 5xx answers for `surface`. */
async function hostileContext(browser: import("@playwright/test").Browser): Promise<BrowserContext> {
  return browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": FORMS_CLIENT_ADDRESS } });
}

/** Counts this page's 5xx answers against `surface` (set per form). */
function watch(page: Page) {
  const state = { surface: "setup" };
  page.on("response", (response) => {
    if (response.status() >= 500) surfaceOf(state.surface).serverErrors.push(`${response.status()} ${response.url()}`);
  });
  page.on("dialog", (dialog) => {
    surfaceOf(state.surface).serverErrors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return state;
}

/** A refusal's text, as the page shows it: in Russian, and no internal code or stack. */
async function expectClearMessage(page: Page, what: string) {
  const alerts = page.getByRole("main").getByRole("alert");
  const count = await alerts.count();
  for (let index = 0; index < count; index++) {
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the text a person sees
    const text = (await alerts.nth(index).innerText()).trim();
    if (!text) continue;
    expect(text, `${what}: the message is in Russian`).toMatch(/[а-яё]/i);
    expect(text, `${what}: no internal code`).not.toMatch(/[a-z]+_[a-z_]+|TRPC|Error:|undefined|\bat .+:\d+/);
  }
}

/**
 * Submits the form after `fill`, waits for its answer, checks it was no 5xx and that any refusal
 * is a clear message. Counts one hostile input.
 */
async function submit(page: Page, state: { surface: string }, what: string, fill: () => Promise<void>, button: string) {
  surfaceOf(state.surface).inputs += 1;
  // The server is what is tested: the browser's own checks (type=email, maxlength, required) are
  // what a hostile client leaves out.
  await page.evaluate(() => {
    for (const form of Array.from(document.forms)) form.noValidate = true;
    for (const field of Array.from(document.querySelectorAll("[maxlength]"))) field.removeAttribute("maxlength");
  });
  await fill();
  const answered = page
    .waitForResponse((response) => response.request().method() === "POST", { timeout: 15_000 })
    .catch(() => null);
  await page.getByRole("button", { name: button, exact: true }).click();
  const response = await answered;
  // No request at all: the page's script refused the value itself (its message is checked below).
  if (response) expect(response.status(), `${what}: ${response.url()}`).toBeLessThan(500);
  await page.waitForLoadState("load");
  // The form's answer renders after the action's response.
  await page.waitForTimeout(150);
  await expectClearMessage(page, what);
}

/** Opens each page: no 5xx, nothing stored ran. Returns the pages' visible text. */
async function expectNoScriptRan(page: Page, paths: string[]): Promise<string> {
  let text = "";
  for (const path of paths) {
    const response = await page.goto(path, { waitUntil: "load" });
    expect(response?.status() ?? 0, path).toBeLessThan(500);
    // Time for an onerror/onload or a hydration-time injection to fire.
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), path).toBeUndefined();
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the text a person sees
    text += await page.locator("body").innerText();
  }
  return text;
}

test("a guest's hostile text in the cabinet and storefront forms: refused clearly or kept as text, never run", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const cafe = await createCafe("fuzz-forms-guest", { openAllDay: true });
  await createMenu(cafe);
  const context = await hostileContext(browser);
  const page = await context.newPage();
  const state = watch(page);

  // The storefront's sign-in form: malformed addresses are refused in words.
  state.surface = "storefront";
  await page.goto(`/${cafe.slug}/sign-in`);
  for (const value of [
    "not-an-email",
    "a@b",
    `${"a".repeat(300)}@e2e.test`,
    "<script>window.__xss=1</script>@e2e.test",
    "a@b.c\u0000",
  ]) {
    await submit(
      page,
      state,
      `sign-in email ${value.slice(0, 20)}`,
      () => page.getByLabel("Электронная почта").fill(value),
      "Прислать ссылку",
    );
  }

  // The welcome form: the guest joins with a script for a name.
  const person = { ...newGuest("fuzz-forms"), name: SCRIPTS[1] ?? "" };
  surfaceOf("storefront").inputs += 1;
  await signInGuest(page, cafe, person, `/${cafe.slug}/me/profile`);

  // The profile form: every hostile name and phone.
  state.surface = "cabinet";
  for (const value of [...MALFORMED.map(({ value }) => value), ...SCRIPTS]) {
    await page.goto(`/${cafe.slug}/me/profile`);
    await submit(
      page,
      state,
      `profile name ${value.slice(0, 20)}`,
      () => page.getByLabel("Имя", { exact: true }).fill(value),
      "Сохранить",
    );
  }
  for (const value of ["+7<script>", "1".repeat(5000), "+7 916 000\u0000 00 00", "８９１６０００００００", "-1"]) {
    await page.goto(`/${cafe.slug}/me/profile`);
    await submit(
      page,
      state,
      `profile phone ${value.slice(0, 20)}`,
      () => page.getByLabel("Телефон", { exact: true }).fill(value),
      "Сохранить",
    );
  }
  // The last script stays as the guest's name.
  const storedName = SCRIPTS[0] ?? "";
  await page.goto(`/${cafe.slug}/me/profile`);
  await submit(
    page,
    state,
    "profile name kept",
    () => page.getByLabel("Имя", { exact: true }).fill(storedName),
    "Сохранить",
  );

  // Surveys with a free-text question: hostile comments, the last one a script that is kept. One
  // survey per comment: a comment the café accepts answers its survey, and the next one is offered.
  const question = "Что улучшить?";
  await adminSql(async (sql) => {
    const [tenant] = await sql<{ id: string }[]>`select id from tenants where slug = ${cafe.slug}`;
    for (let index = 0; index < 3; index++) {
      const [survey] = await sql<{ id: string }[]>`
        insert into surveys (tenant_id, title, after_visits, created_at)
        values (${tenant?.id ?? ""}, ${`Опрос ${index + 1}`}, 0, now() + ${`${index} seconds`}::interval) returning id`;
      await sql`insert into survey_questions (tenant_id, survey_id, text, kind)
        values (${tenant?.id ?? ""}, ${survey?.id ?? ""}, ${question}, 'text')`;
    }
  });
  const comment = SCRIPTS[4] ?? "";
  for (const value of ["Я".repeat(5000), "x\u0000y", comment]) {
    await page.goto(`/${cafe.slug}/me/survey`);
    await submit(
      page,
      state,
      `survey ${value.slice(0, 20)}`,
      () => page.getByLabel(question).fill(value),
      "Отправить ответы",
    );
  }

  // Everywhere the guest's name and comment show: kept as text, never run.
  state.surface = "cabinet";
  const guestText = await expectNoScriptRan(page, [`/${cafe.slug}`, `/${cafe.slug}/me`, `/${cafe.slug}/me/profile`]);
  expect(guestText).toContain(storedName);
  const staff = await (await hostileContext(browser)).newPage();
  const staffState = watch(staff);
  staffState.surface = "back-office";
  await signIn(staff, cafe.owner, `/dashboard/${cafe.slug}`);
  await expect(staff).toHaveURL((url) => url.pathname === `/dashboard/${cafe.slug}`);
  const [guest] = await adminSql(
    (sql) => sql<{ id: string }[]>`select g.id from guests g join tenants t on t.id = g.tenant_id
      where t.slug = ${cafe.slug} and lower(g.email) = ${person.email.toLowerCase()}`,
  );
  const staffText = await expectNoScriptRan(staff, [
    `/dashboard/${cafe.slug}/guests`,
    `/dashboard/${cafe.slug}/guests/${guest?.id}`,
    `/dashboard/${cafe.slug}/analytics`,
    `/dashboard/${cafe.slug}/audit`,
  ]);
  expect(staffText).toContain(storedName);
  expect(staffText).toContain(comment);
  for (const name of ["storefront", "cabinet", "back-office"]) expect(surfaceOf(name).serverErrors).toEqual([]);
  await context.close();
  await staff.context().close();
});

test("the back-office's forms: hostile invitations, staff names, tier names, places and import cells are refused clearly or kept as text", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const cafe = await createCafe("fuzz-forms-staff", { openAllDay: true });
  const context = await hostileContext(browser);
  const page = await context.newPage();
  const state = watch(page);
  await signIn(page, cafe.owner, `/dashboard/${cafe.slug}/staff`);
  await expect(page).toHaveURL((url) => url.pathname === `/dashboard/${cafe.slug}/staff`);
  state.surface = "back-office";

  // Invitations: malformed addresses are refused in words; one real one, accepted with a script for a name.
  for (const value of [
    "not-an-email",
    "<script>window.__xss=1</script>@e2e.test",
    `${"a".repeat(300)}@e2e.test`,
    "a@b.c\u0000",
    "   ",
  ]) {
    await page.goto(`/dashboard/${cafe.slug}/staff`);
    await submit(page, state, `invite ${value.slice(0, 20)}`, () => page.getByLabel("Email").fill(value), "Пригласить");
  }
  const newcomer = `fuzz-staff-${Date.now().toString(36)}@e2e.test`;
  await page.goto(`/dashboard/${cafe.slug}/staff`);
  await submit(page, state, "invite", () => page.getByLabel("Email").fill(newcomer), "Пригласить");
  const [mail] = await adminSql(
    (sql) => sql<{ text: string }[]>`select text from email_outbox where lower(to_address) = ${newcomer}
      order by created_at desc limit 1`,
  );
  const invitation = mail?.text.match(/https?:\/\/\S+\/invite\/\S+/)?.[0];
  expect(invitation, "the invitation mail").toBeTruthy();
  const staffName = SCRIPTS[2] ?? "";
  const invitee = await (await hostileContext(browser)).newPage();
  const inviteeState = watch(invitee);
  inviteeState.surface = "back-office";
  for (const value of ["Я".repeat(10_000), "x\u0000y", staffName]) {
    await invitee.goto(new URL(invitation ?? "").pathname);
    if (new URL(invitee.url()).pathname.startsWith("/invite/") && (await invitee.getByLabel("Ваше имя").count())) {
      await submit(
        invitee,
        inviteeState,
        `invitation name ${value.slice(0, 20)}`,
        async () => {
          await invitee.getByLabel("Ваше имя").fill(value);
          await invitee.getByLabel("Пароль").fill("fuzz-password-2026");
        },
        "Принять приглашение",
      );
    }
  }
  await invitee.context().close();

  // Tier names in the loyalty rules: hostile ones previewed; a script kept and published.
  // A tier name is at most 40 characters.
  const tierName = "<img src=x onerror=window.__xss=1>";
  for (const value of ["", "Я".repeat(10_000), "x\u0000y", tierName]) {
    await page.goto(`/dashboard/${cafe.slug}/loyalty`);
    await submit(
      page,
      state,
      `tier name ${value.slice(0, 20)}`,
      async () => {
        await page.getByLabel("Название уровня 1").fill(value);
        await page.getByLabel("Сразу", { exact: true }).check();
      },
      "Показать эффект",
    );
  }
  await expect(page.getByRole("button", { name: "Опубликовать" })).toBeEnabled({ timeout: 15_000 });
  await submit(page, state, "tier name published", async () => {}, "Опубликовать");

  // A new place: hostile names, short names and addresses.
  for (const [field, value] of [
    ["Название", SCRIPTS[0] ?? ""],
    ["Короткое имя (латиницей)", "<script>"],
    ["Короткое имя (латиницей)", "../../etc"],
    ["Адрес", '<a href="javascript:window.__xss=1">адрес</a>'],
    ["Название", "Я".repeat(10_000)],
    ["Адрес", "x\u0000y"],
  ] as const) {
    await page.goto(`/dashboard/${cafe.slug}/locations`);
    await submit(
      page,
      state,
      `location ${field} ${value.slice(0, 20)}`,
      async () => {
        await page.getByLabel("Название", { exact: true }).fill(field === "Название" ? value : "Точка фазз");
        await page
          .getByLabel("Короткое имя (латиницей)")
          .fill(field === "Короткое имя (латиницей)" ? value : `fuzz-${Math.random().toString(36).slice(2, 7)}`);
        await page.getByLabel("Адрес", { exact: true }).fill(field === "Адрес" ? value : "ул. Фаззинга, 1");
      },
      "Открыть точку",
    );
  }

  // A guest import whose cells carry scripts, oversized and malformed values.
  const importName = SCRIPTS[5] ?? "";
  const rows = [
    ["name", "phone", "email", "points"],
    [importName, "+79165550001", "fuzz-import-1@e2e.test", "10"],
    ['"><img src=x onerror=window.__xss=1>', "+79165550002", "fuzz-import-2@e2e.test", "<script>"],
    ["Я".repeat(5000), "+7<script>", "not-an-email", "1e309"],
    // A NUL past the first 8 KB (the 10 kB row above) is a stray byte: dropped, the row kept. In the
    // first 8 KB it would mark the file as binary (refused: "not CSV or XLSX").
    ["x\u0000y", '=HYPERLINK("http://evil.example")', "fuzz-import-4@e2e.test", "-5"],
  ];
  const csv = rows.map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(",")).join("\n");
  await page.goto(`/dashboard/${cafe.slug}/guests/import`);
  surfaceOf("back-office").inputs += rows.length - 1;
  await page
    .getByLabel("Файл с гостями")
    .setInputFiles({ name: "guests.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Загрузить" }).click();
  await page.getByRole("button", { name: "Проверить файл" }).click();
  await expect(page.getByTestId("import-report")).toBeVisible({ timeout: 30_000 });
  await expectClearMessage(page, "import check");
  await page.getByRole("button", { name: "Применить" }).click();
  await expect(page.getByTestId("import-status")).toContainText("Применён", { timeout: 30_000 });

  // Everywhere they show: kept as text, never run.
  const text = await expectNoScriptRan(page, [
    `/dashboard/${cafe.slug}/staff`,
    `/dashboard/${cafe.slug}/loyalty`,
    `/dashboard/${cafe.slug}/locations`,
    `/dashboard/${cafe.slug}/guests`,
    `/dashboard/${cafe.slug}/guests/import`,
    `/dashboard/${cafe.slug}/audit`,
    `/${cafe.slug}`,
  ]);
  expect(text).toContain(staffName);
  expect(text).toContain(tierName);
  expect(text).toContain(importName);
  expect(surfaceOf("back-office").serverErrors).toEqual([]);
  await context.close();
});
