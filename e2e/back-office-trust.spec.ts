import { readFileSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "@playwright/test";
import { unzipSync } from "fflate";
import { e2eDataDir } from "../playwright.config";
import { createCafe, createMenu, expect, latestMagicLink, newGuest, signIn, signInGuest, test } from "./fixtures";

/** The newest mail to `email` in the e2e server's outbox. */
async function latestMail(email: string): Promise<string> {
  const { default: postgres } = await import("postgres");
  const running = JSON.parse(readFileSync(path.join(path.resolve(e2eDataDir), "running.json"), "utf8"));
  const admin = postgres(running.adminUrl as string, { max: 1, onnotice: () => {} });
  try {
    const [mail] = await admin<{ text: string }[]>`
      select text from email_outbox where lower(to_address) = ${email.toLowerCase()} order by created_at desc limit 1`;
    return mail?.text ?? "";
  } finally {
    await admin.end();
  }
}

/** Records every Content-Security-Policy violation and CSP console error on the context's pages. */
async function watchCsp(context: BrowserContext) {
  const violations: string[] = [];
  await context.exposeBinding("__cspViolation", (_source, text: string) => void violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __cspViolation: (text: string) => void }).__cspViolation(
        `${event.violatedDirective} ${event.blockedURI} on ${location.pathname}`,
      );
    });
  });
  context.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

async function expectSecurityHeaders(page: Page, path: string) {
  const response = await page.goto(path);
  const headers = response?.headers() ?? {};
  const policy = headers["content-security-policy"] ?? "";
  expect(policy, path).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(policy, path).toContain("frame-ancestors 'none'");
  expect(policy, path).not.toContain("unsafe-eval");
  expect(headers["x-content-type-options"], path).toBe("nosniff");
  expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
  // The e2e server is plain HTTP (PUBLIC_URL unset): no HSTS there.
  expect(headers["strict-transport-security"], path).toBeUndefined();
  return policy;
}

test("storefront, cabinet, back-office and the order board run under the nonce CSP without a violation", async ({
  page,
  context,
}) => {
  const violations = await watchCsp(context);
  const cafe = await createCafe("trust-csp", { openAllDay: true });
  await createMenu(cafe);
  const first = await expectSecurityHeaders(page, `/${cafe.slug}`);
  // The storefront renders its menu.
  await expect(page.getByText("Капучино").first()).toBeVisible();
  const second = await expectSecurityHeaders(page, `/${cafe.slug}/sign-in`);
  expect(second.match(/nonce-([^']+)/)?.[1]).not.toBe(first.match(/nonce-([^']+)/)?.[1]);

  const guest = newGuest("csp");
  await signInGuest(page, cafe, guest);
  await expectSecurityHeaders(page, `/${cafe.slug}/me`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  const staff = await context.browser()?.newContext();
  if (!staff) throw new Error("no browser");
  const staffViolations = await watchCsp(staff);
  const board = await staff.newPage();
  await signIn(board, cafe.barista, `/dashboard/${cafe.slug}/orders`);
  await expect(board).toHaveURL((url) => url.pathname === `/dashboard/${cafe.slug}/orders`);
  await expectSecurityHeaders(board, `/dashboard/${cafe.slug}/orders`);
  // The order board's server-sent events connect under `connect-src 'self'`.
  await expect(board.locator("[data-live]")).toHaveAttribute("data-live", "open");
  await staff.close();
  expect([...violations, ...staffViolations]).toEqual([]);
});

test("a signed-out guest's old cookie opens nothing; sign out on all devices ends the other device too", async ({
  page,
  context,
  browser,
}) => {
  const cafe = await createCafe("trust-guest-sessions");
  const guest = newGuest("sessions");
  await signInGuest(page, cafe, guest);
  const stolen = await context.cookies();

  // "Выйти" ends the session on the server: the same cookie, replayed elsewhere, is signed out.
  await page.getByRole("button", { name: "Выйти" }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/${cafe.slug}`);
  const replay = await browser.newContext();
  await replay.addCookies(stolen);
  const replayed = await replay.newPage();
  await replayed.goto(`/${cafe.slug}/me`);
  await expect(replayed).toHaveURL((url) => url.pathname === `/${cafe.slug}/sign-in`);
  await replay.close();

  // Two devices signed in; "sign out on all devices" on one ends the other's session as well.
  await signInGuest(page, cafe, guest);
  const laptop = await browser.newContext();
  const other = await laptop.newPage();
  await other.goto(`/${cafe.slug}/sign-in`);
  await other.getByLabel("Электронная почта").fill(guest.email);
  await other.getByRole("button", { name: "Прислать ссылку" }).click();
  await expect(other.getByRole("status").filter({ hasText: "Проверьте почту" })).toBeVisible();
  await other.goto(await latestMagicLink(guest.email));
  await other.goto(`/${cafe.slug}/me`);
  await expect(other).toHaveURL((url) => url.pathname === `/${cafe.slug}/me`);

  await page.goto(`/${cafe.slug}/me/profile`);
  await page.getByRole("button", { name: "Выйти на всех устройствах" }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/${cafe.slug}`);
  await other.goto(`/${cafe.slug}/me`);
  await expect(other).toHaveURL((url) => url.pathname === `/${cafe.slug}/sign-in`);
  await laptop.close();
});

test("an owner withdraws an invitation and its link says so; the café's archive downloads with its manifest", async ({
  page,
}) => {
  const cafe = await createCafe("trust-owner");
  await signIn(page, cafe.owner, `/dashboard/${cafe.slug}/staff`);
  const email = `withdrawn-${Date.now()}@e2e.test`;
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Пригласить" }).click();
  const pending = page.locator(`li[data-invitation="${email}"]`);
  await expect(pending).toBeVisible();
  await pending.getByRole("button", { name: `Отозвать приглашение ${email}` }).click();
  await expect(pending).toHaveCount(0);

  const link = (await latestMail(email)).match(/https?:\/\/\S+\/invite\/\S+/)?.[0];
  if (!link) throw new Error("no invitation mailed");
  await page.goto(new URL(link).pathname);
  await expect(page.getByRole("heading", { name: "Приглашение отозвано" })).toBeVisible();

  await page.goto(`/dashboard/${cafe.slug}/export`);
  await page.getByRole("button", { name: "Собрать архив" }).click();
  const download = page.getByRole("link", { name: /Скачать архив/ });
  await expect(download).toBeVisible({ timeout: 30_000 });
  const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
  const archive = unzipSync(new Uint8Array(readFileSync((await file.path()) ?? "")));
  const manifest = JSON.parse(new TextDecoder().decode(archive["manifest.json"])) as {
    withPersonalData: boolean;
    tables: { table: string; rows: number }[];
  };
  expect(manifest.withPersonalData).toBe(true);
  expect(manifest.tables.find((table) => table.table === "locations")?.rows).toBeGreaterThan(0);
  expect(archive["tables/locations.csv"]).toBeDefined();
});
