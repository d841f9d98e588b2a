// Two app servers on one PostgreSQL, as behind a load balancer: the webServer (A) and a second
// production server (B) started here with the same secrets. Sessions, the live board and POS
// idempotency must not care which server a request reaches.
import type { ChildProcess } from "node:child_process";
import { baseURL } from "../playwright.config";
import { startAppServer, stopAppServer } from "./app-server";
import {
  createCafe,
  createPosKeyFor,
  expect,
  guestOfCafe,
  newGuest,
  placeOrder,
  signIn,
  signInGuest,
  test,
} from "./fixtures";

// One server B for the file's tests: they run one after the other in one worker.
test.describe.configure({ mode: "serial" });

const SERVER_B_PORT = 3203;
const serverB = `http://localhost:${SERVER_B_PORT}`;
let server: ChildProcess | undefined;

test.beforeAll(async () => {
  server = await startAppServer(SERVER_B_PORT);
});
test.afterAll(async () => {
  if (server) await stopAppServer(server);
});

test("an order placed on server A reaches the board served by server B within 2 s; sessions made on A work on B", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const cafe = await createCafe("two-servers", { openAllDay: true });
  // The fixture's first order makes the café's menu (a 270 ₽ cappuccino).
  await placeOrder(cafe, "Первый гость");

  // The barista signs in on A and opens the board on B: the session is the database's, not A's.
  await signIn(page, cafe.barista, `/dashboard/${cafe.slug}/orders`);
  await expect(page).toHaveURL(new RegExp(`^${baseURL}/dashboard/${cafe.slug}/orders$`));
  await page.goto(`${serverB}/dashboard/${cafe.slug}/orders`);
  await expect(page).toHaveURL(new RegExp(`^${serverB}/dashboard/${cafe.slug}/orders$`));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("[data-live]")).toHaveAttribute("data-live", "open");

  // A guest signs in on A (magic link) and orders on A.
  const guestPage = await (await browser.newContext({ baseURL })).newPage();
  await signInGuest(guestPage, cafe, newGuest("two-servers"), `/${cafe.slug}`);
  await guestPage.locator('article[data-sku="cappuccino"]').getByRole("link").click();
  await guestPage.getByRole("button", { name: /В корзину/ }).click();
  await guestPage.goto(`/${cafe.slug}/checkout`);
  await guestPage.getByRole("button", { name: /Заказать/ }).click();
  const code = (await guestPage.getByTestId("pickup-code").textContent())?.trim() ?? "";
  const placedAt = Date.now();
  expect(code).toMatch(/^\d{3}[ABCEHKMPTX]$/);

  // B's board shows it by itself (PostgreSQL LISTEN/NOTIFY → server-sent events), within 2 s.
  await expect(page.locator(`section[data-column="new"] article[data-order="${code}"]`)).toBeVisible({
    timeout: 2_000,
  });
  // The figure the closing notes report (printed by the list reporter).
  console.log(`two-servers: order placed on A shown on B's board after ${Date.now() - placedAt} ms`);

  // The guest's session made on A opens the cabinet on B.
  await guestPage.goto(`${serverB}/${cafe.slug}/me`);
  await expect(guestPage).toHaveURL(new RegExp(`:${SERVER_B_PORT}/${cafe.slug}/me$`));
  await expect(guestPage.getByRole("heading", { level: 1 })).toBeVisible();
});

test("the same receipt sent to A and B at the same moment accrues once", async () => {
  const cafe = await createCafe("two-servers-pos");
  const key = await createPosKeyFor(cafe);
  const call = (base: string, method: string, path: string, body?: unknown) =>
    fetch(`${base}/api/pos/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    }));
  const guest = newGuest("pos-twice");
  const enrolled = await call(baseURL, "POST", "/guests", {
    phone: guest.phone,
    name: guest.name,
    email: guest.email,
    consent: true,
  });
  expect(enrolled.status).toBe(201);
  const before = (await guestOfCafe(cafe, guest.email))?.balance ?? 0;
  const receipt = {
    externalId: `TWO-SERVERS-${Date.now()}`,
    guest: { identifier: guest.phone },
    total: 50_000,
    lines: [
      { sku: "cappuccino", name: "Капучино", quantity: 1, unitPrice: 50_000, amount: 50_000, category: "coffee" },
    ],
    occurredAt: new Date().toISOString(),
  };
  const sentAt = Date.now();
  const answers = await Promise.all([
    call(baseURL, "POST", "/receipts", receipt),
    call(serverB, "POST", "/receipts", receipt),
    call(baseURL, "POST", "/receipts", receipt),
    call(serverB, "POST", "/receipts", receipt),
  ]);
  console.log(`two-servers: one receipt sent twice to each of A and B answered in ${Date.now() - sentAt} ms`);
  expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 201]);
  const accrued = answers.map((answer) => (answer.body.receipt as { pointsEarned: number }).pointsEarned);
  expect(new Set(accrued).size).toBe(1);
  const after = (await guestOfCafe(cafe, guest.email))?.balance ?? 0;
  expect(after - before).toBe(accrued[0]);
  expect(accrued[0]).toBeGreaterThan(0);
});
