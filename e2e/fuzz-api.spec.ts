// Hostile input on every HTTP surface of the production build: every route handler under app/,
// every POS route, every tRPC procedure and every server action, each with oversized, malformed,
// wrong-typed and script-bearing input. Never a 5xx, never a stack trace, the surface's own error
// format, and no error line in the server's log. The calls go to a second production server on
// the e2e database (as behind a load balancer), started here so its log can be read.
import type { ChildProcess } from "node:child_process";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { E2E_STRIPE } from "../playwright.config";
import { readDataFile, startAppServer, stopAppServer } from "./app-server";
import { createCafe, createPosKeyFor, expect, newGuest, placeOrder, signIn, signInGuest, test } from "./fixtures";
import { ACTION_ARGS, actionCalls, serverActionsOf } from "./fuzz/actions";
import { type Finding, FUZZ_CLIENT_ADDRESS, Fuzzer } from "./fuzz/harness";
import { callerOf, ENDS_SESSION, posCases, posRoutes, proceduresOf, trpcCases } from "./fuzz/procedures";
import { type FuzzContext, ROUTE_CASES, routeFiles } from "./fuzz/routes";

// One server and one café for the file's tests, which run in order in one worker.
test.describe.configure({ mode: "default" });

const FUZZ_PORT = Number(process.env.E2E_PORT ?? 3100) + 57;
const origin = `http://localhost:${FUZZ_PORT}`;
const distDir = path.resolve(process.env.NEXT_DIST_DIR || ".next");

let server: ChildProcess | undefined;
const serverLog = path.resolve(`test-results/fuzz-server-${FUZZ_PORT}.log`);
/** The server's log lines at error level or worse (pino level ≥ 50, Next's ⨯ lines). */
const errorLines: string[] = [];
const fuzzer = new Fuzzer(origin);
let ctx: FuzzContext;

function isErrorLine(line: string): boolean {
  if (line.startsWith("{")) {
    try {
      return (
        (JSON.parse(line) as { level?: number }).level !== undefined &&
        (JSON.parse(line) as { level: number }).level >= 50
      );
    } catch {
      return true;
    }
  }
  return /⨯|Error:|\bat .+:\d+:\d+/.test(line);
}

/** The cookies of a browser context as one Cookie header. */
async function cookieHeader(context: import("@playwright/test").BrowserContext): Promise<string> {
  return (await context.cookies(origin)).map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

/** The café's rows the samples use, read as the admin (past RLS). */
async function knownIds(slug: string): Promise<Record<string, string | undefined>> {
  const { default: postgres } = await import("postgres");
  const admin = postgres(readDataFile<{ adminUrl: string }>("running.json").adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [tenant] = await admin<{ id: string }[]>`select id from tenants where slug = ${slug}`;
    const tenantId = tenant?.id ?? "";
    const first = async (query: Promise<{ id: string }[]>) => (await query)[0]?.id;
    return {
      tenantId,
      locationId: await first(
        admin`select id from locations where tenant_id = ${tenantId} order by created_at limit 1`,
      ),
      productId: await first(admin`select id from products where tenant_id = ${tenantId} and sku = 'cappuccino'`),
      categoryId: await first(
        admin`select id from menu_categories where tenant_id = ${tenantId} order by sort_order limit 1`,
      ),
      groupId: await first(admin`select id from modifier_groups where tenant_id = ${tenantId} limit 1`),
      optionId: await first(admin`select id from modifier_options where tenant_id = ${tenantId} limit 1`),
      orderId: await first(admin`select id from orders where tenant_id = ${tenantId} limit 1`),
      guestId: await first(admin`select id from guests where tenant_id = ${tenantId} order by created_at limit 1`),
      spareMembershipId: await first(
        admin`select m.id from memberships m where m.tenant_id = ${tenantId} and m.role = 'manager'`,
      ),
      spareKeyId: await first(
        admin`select id from pos_api_keys where tenant_id = ${tenantId} order by created_at desc limit 1`,
      ),
    };
  } finally {
    await admin.end();
  }
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  mkdirSync(path.dirname(serverLog), { recursive: true });
  writeFileSync(serverLog, "");
  server = await startAppServer(FUZZ_PORT, {
    env: { LOG_LEVEL: "warn" },
    onOutput: (line) => {
      if (isErrorLine(line)) errorLines.push(line);
      // The whole log beside the results, to read what a finding's request id did.
      appendFileSync(serverLog, `${line}\n`);
    },
  });
  const cafe = await createCafe("fuzz-api", { openAllDay: true });
  // The fixture's order makes the café's menu: a cappuccino (270 ₽) in «Кофе».
  await placeOrder(cafe, "Фазз");
  const posKey = await createPosKeyFor(cafe);
  // A second key, the one revokeKey may revoke.
  await createPosKeyFor(cafe);

  const staff = await browser.newContext({
    baseURL: origin,
    extraHTTPHeaders: { "x-forwarded-for": FUZZ_CLIENT_ADDRESS },
  });
  await signIn(await staff.newPage(), cafe.owner, `/dashboard/${cafe.slug}`);
  await expect.poll(async () => (await staff.cookies(origin)).length).toBeGreaterThan(0);
  const guest = await browser.newContext({
    baseURL: origin,
    extraHTTPHeaders: { "x-forwarded-for": FUZZ_CLIENT_ADDRESS },
  });
  await signInGuest(await guest.newPage(), cafe, newGuest("fuzz"));

  // A receipt whose external id GET /receipts/{externalId} and refunds can name.
  const receipt = await fetch(`${origin}/api/pos/v1/receipts`, {
    method: "POST",
    headers: { authorization: `Bearer ${posKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      externalId: "FUZZ-1",
      occurredAt: new Date().toISOString(),
      lines: [{ sku: "cappuccino", name: "Капучино", quantity: 1, unitPrice: 27000, amount: 27000 }],
      total: 27000,
    }),
  });
  expect(receipt.status).toBe(201);

  ctx = {
    origin,
    slug: cafe.slug,
    staffCookie: await cookieHeader(staff),
    guestCookie: await cookieHeader(guest),
    posKey,
    ids: { ...(await knownIds(cafe.slug)), receiptExternalId: "FUZZ-1" },
    webhookSecret: E2E_STRIPE.STRIPE_WEBHOOK_SECRET,
  };
  await staff.close();
  await guest.close();
});

test.afterAll(async () => {
  console.log(fuzzer.summary());
  if (server) await stopAppServer(server);
});

/** A browser context signed in with the session in `cookie` (a Cookie header of this origin). */
async function contextWithCookies(browser: import("@playwright/test").Browser, cookie: string) {
  const context = await browser.newContext({
    baseURL: origin,
    extraHTTPHeaders: { "x-forwarded-for": FUZZ_CLIENT_ADDRESS },
  });
  await context.addCookies(
    cookie
      .split("; ")
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf("=");
        return { name: pair.slice(0, at), value: pair.slice(at + 1), url: origin };
      }),
  );
  return context;
}

/**
 * Opens each page and asserts that nothing stored ran: no `window.__xss`, no dialog. Returns the
 * pages' text, so the caller can check the payloads are shown as text.
 */
async function expectNoScriptRan(context: import("@playwright/test").BrowserContext, paths: string[]) {
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(`${page.url()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  let text = "";
  for (const target of paths) {
    const response = await page.goto(target, { waitUntil: "load" });
    expect(response?.status() ?? 0, target).toBeLessThan(500);
    // Time for an onerror/onload or a hydration-time injection to fire.
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), target).toBeUndefined();
    // The rendered text (innerText leaves out <script> elements, where the page's data also sits).
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the text a person sees
    text += await page.locator("body").innerText();
  }
  expect(dialogs).toEqual([]);
  await page.close();
  return text;
}

test("script-bearing text stored through the forms and procedures is shown as text and never runs", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const product = "<script>window.__xss=1</script>Латте";
  const description = "<svg onload=window.__xss=1>";
  const category = '"><img src=x onerror="window.__xss=1">';
  const guestName = '"><img src=x onerror=window.__xss=1>';
  const comment = '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>';
  const hint = "javascript:window.__xss=1 <b onmouseover=window.__xss=1>Круассан</b>";
  const place = "<script>window.__xss=1</script>Кофейня";
  const address = '<a href="javascript:window.__xss=1">адрес</a>';

  // The guest joins through the welcome form with a script for a name.
  const guestContext = await browser.newContext({
    baseURL: origin,
    extraHTTPHeaders: { "x-forwarded-for": FUZZ_CLIENT_ADDRESS },
  });
  const guestPage = await guestContext.newPage();
  const person = { ...newGuest("xss"), name: guestName };
  await signInGuest(guestPage, { slug: ctx.slug }, person);
  const trpc = async (
    request: import("@playwright/test").APIRequestContext,
    procedure: string,
    input?: unknown,
    method: "query" | "mutation" = "mutation",
  ) => {
    const headers = { "x-zerno-tenant": ctx.slug };
    const response =
      method === "query"
        ? await request.get(
            `/api/trpc/${procedure}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
            { headers },
          )
        : await request.post(`/api/trpc/${procedure}`, { headers, data: input ?? {} });
    expect(response.status(), `${procedure}: ${await response.text()}`).toBeLessThan(300);
    return ((await response.json()) as { result: { data: unknown } }).result.data;
  };
  const order = (await trpc(guestContext.request, "shop.place", {
    locationId: ctx.ids.locationId,
    items: [{ productSku: "cappuccino", quantity: 1 }],
    pickup: "asap",
    comment,
    pointsToUse: 0,
    idempotencyKey: `xss-${Date.now()}`,
  })) as { orderId: string };

  // The owner names a product, a category, the location and a hint with scripts.
  const staffContext = await contextWithCookies(browser, ctx.staffCookie);
  const editor = (await trpc(staffContext.request, "menu.editor", undefined, "query")) as {
    categories: { id: string; name: string }[];
  };
  await trpc(staffContext.request, "menu.saveCategory", { id: ctx.ids.categoryId, name: category });
  await trpc(staffContext.request, "menu.saveProduct", {
    categoryId: ctx.ids.categoryId ?? editor.categories[0]?.id,
    sku: "xss-latte",
    name: product,
    description,
    price: 30_000,
    prepMinutes: 2,
    vatRate: null,
  });
  const [location] = (await trpc(staffContext.request, "locations.list", undefined, "query")) as Record<
    string,
    unknown
  >[];
  if (!location) throw new Error("no location");
  await trpc(staffContext.request, "locations.update", {
    locationId: location.id,
    settings: {
      name: place,
      address,
      timezone: location.timezone,
      openingHours: location.openingHours,
      openingExceptions: location.openingExceptions ?? [],
      pickupEnabled: location.pickupEnabled,
      slotMinutes: location.slotMinutes,
      slotCapacityMinutes: location.slotCapacityMinutes,
    },
  });
  await trpc(staffContext.request, "integrations.saveHintRule", {
    ifSku: "cappuccino",
    suggestSku: "xss-latte",
    text: hint,
  });

  // Every page that shows them: the storefront and the cabinet, the board, the guest card, the editors.
  const guestText = await expectNoScriptRan(guestContext, [
    `/${ctx.slug}`,
    `/${ctx.slug}/product/xss-latte`,
    `/${ctx.slug}/me`,
    `/${ctx.slug}/me/profile`,
    `/${ctx.slug}/orders/${order.orderId}`,
  ]);
  const staffText = await expectNoScriptRan(staffContext, [
    `/dashboard/${ctx.slug}/orders`,
    `/dashboard/${ctx.slug}/guests/lookup?q=${encodeURIComponent(person.phone)}`,
    `/dashboard/${ctx.slug}/menu/editor`,
    `/dashboard/${ctx.slug}/menu`,
    `/dashboard/${ctx.slug}/locations`,
    `/dashboard/${ctx.slug}/hints`,
    `/dashboard/${ctx.slug}/audit`,
  ]);
  // Shown as the text it is, not swallowed as markup.
  expect(guestText).toContain(product);
  expect(guestText).toContain(category);
  expect(staffText).toContain(guestName);
  expect(staffText).toContain(comment);
  expect(staffText).toContain(place);
  await guestContext.close();
  await staffContext.close();
});

/** Asserts a surface's run: no 5xx, no malformed error, no error in the log while it ran. */
function expectClean(surfaces: string[], logFrom: number) {
  console.log(fuzzer.summary(surfaces));
  const findings: Finding[] = surfaces.flatMap((surface) => fuzzer.findingsOf(surface));
  expect(findings.map((finding) => `${finding.status} ${finding.label} — ${finding.detail}`)).toEqual([]);
  expect(errorLines.slice(logFrom)).toEqual([]);
  for (const surface of surfaces) expect(fuzzer.sent.get(surface) ?? 0).toBeGreaterThan(0);
}

test("every route handler under app/ has fuzz cases, and none answers 5xx", async () => {
  test.setTimeout(300_000);
  const logFrom = errorLines.length;
  const files = routeFiles();
  expect(
    files.filter((file) => !ROUTE_CASES[file]),
    "route files without fuzz cases",
  ).toEqual([]);
  const tasks = files.flatMap((file) =>
    (ROUTE_CASES[file]?.(ctx) ?? []).map(
      ({ label, request }) =>
        () =>
          fuzzer.send("route-handlers", `${file} ${label}`, request),
    ),
  );
  await fuzzer.all(tasks, 3);
  expectClean(["route-handlers"], logFrom);
});

test("every POS API route answers hostile input with the contract's JSON error, never 5xx", async () => {
  test.setTimeout(300_000);
  const logFrom = errorLines.length;
  const { posRouter } = await import("@/server/trpc/routers/pos");
  const routes = posRoutes(proceduresOf(posRouter));
  expect(routes.length).toBeGreaterThanOrEqual(8);
  const tasks = routes.flatMap((route) =>
    posCases(route, ctx).map(
      ({ label, request }) =>
        () =>
          fuzzer.send("pos-api", label, request),
    ),
  );
  // Two at a time: the key's limit is 100 requests a second.
  await fuzzer.all(tasks, 2);
  expectClean(["pos-api"], logFrom);
});

test("every tRPC procedure, staff, guest, public and POS, answers hostile input with a 4xx, never 5xx", async () => {
  test.setTimeout(600_000);
  const logFrom = errorLines.length;
  const { appRouter } = await import("@/server/trpc/root");
  const procedures = proceduresOf(appRouter);
  expect(procedures.length).toBeGreaterThan(80);
  const surface = (procedure: (typeof procedures)[number]) => `trpc-${callerOf(procedure)}`;
  const tasksOf = (list: typeof procedures) =>
    list.flatMap((procedure) =>
      trpcCases(procedure, ctx).map(
        ({ label, request }) =>
          () =>
            fuzzer.send(surface(procedure), label, request),
      ),
    );
  await fuzzer.all(tasksOf(procedures.filter((procedure) => !ENDS_SESSION.has(procedure.path))), 4);
  // Last: what ends the guest's session or account.
  await fuzzer.all(tasksOf(procedures.filter((procedure) => ENDS_SESSION.has(procedure.path))), 1);
  expectClean(["trpc-public", "trpc-staff", "trpc-guest", "trpc-pos"], logFrom);
});

/** The calls of every server action of one kind, checking first that none lacks an entry. */
async function actionTasks(kind: "value" | "shape") {
  const actions = serverActionsOf(distDir);
  expect(actions.length).toBeGreaterThan(50);
  expect(
    actions.map((action) => `${action.file}#${action.name}`).filter((key) => !ACTION_ARGS[key]),
    "server actions without fuzz cases",
  ).toEqual([]);
  const { appRouter } = await import("@/server/trpc/root");
  const procedures = Object.fromEntries(proceduresOf(appRouter).map(({ path, def }) => [path, def]));
  return actions.flatMap((action) => {
    const spec = ACTION_ARGS[`${action.file}#${action.name}`];
    if (!spec) return [];
    return actionCalls(action, spec, ctx, procedures)
      .filter((call) => call.kind === kind)
      .map(
        ({ label, make }) =>
          async () =>
            fuzzer.send(`server-actions-${kind}`, label, await make()),
      );
  });
}

test("every server action answers hostile values in its fields and inputs without a 5xx", async () => {
  test.setTimeout(600_000);
  const logFrom = errorLines.length;
  await fuzzer.all(await actionTasks("value"), 4);
  expectClean(["server-actions-value"], logFrom);
});

test("every server action answers wrong-typed arguments and a malformed body without a 5xx", async () => {
  test.setTimeout(600_000);
  const logFrom = errorLines.length;
  await fuzzer.all(await actionTasks("shape"), 4);
  expectClean(["server-actions-shape"], logFrom);
});
