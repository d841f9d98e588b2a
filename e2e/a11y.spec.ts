import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createCafe, expect, newGuest, placeOrder, signIn, signInGuest, test } from "./fixtures";

/**
 * Accessibility: axe-core on each page, against WCAG 2.1 A and AA; a serious or critical violation
 * fails the test (moderate and minor ones are left to review). Adding a page is one line: a name
 * and how to open it (including signing in), ending on the page to check.
 */
const PAGES: { name: string; open: (page: Page) => Promise<void>; backOffice?: true }[] = [
  { name: "the landing page", open: visit("/") },
  { name: "the pricing page", open: visit("/pricing") },
  { name: "the storefront menu", open: visit("/demo") },
  { name: "the café's sign-in page", open: visit("/demo/sign-in") },
  {
    name: "the guest's cabinet",
    open: async (page) => {
      await signedInGuest(page, "/me");
    },
  },
  { name: "the checkout", open: checkout },
  {
    name: "the order status page",
    open: async (page) => {
      await checkout(page);
      await page.getByRole("button", { name: /Заказать/ }).click();
      await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
      await expect(page.getByTestId("pickup-code")).toBeVisible();
    },
  },
  {
    name: "the back-office stop-list (owner: both toggles)",
    open: async (page) => {
      const cafe = await createCafe("a11y", { openAllDay: true });
      // The café gets a product (and an order) this way.
      await placeOrder(cafe, "a11y");
      await signIn(page, cafe.owner, `/dashboard/${cafe.slug}/menu`);
      await expect(page.getByRole("heading", { level: 1, name: "Стоп-лист" })).toBeVisible();
    },
    backOffice: true,
  },
];

/**
 * A café of its own, open around the clock with a cappuccino on the menu, and a guest signed in
 * by the mailed link who ends on `path` of it.
 */
async function signedInGuest(page: Page, path: string) {
  const cafe = await createCafe("a11y-guest", { openAllDay: true });
  // The fixture's first order creates the café's menu.
  await placeOrder(cafe, "a11y");
  await signInGuest(page, cafe, newGuest("a11y"), `/${cafe.slug}${path}`);
  return cafe;
}

/** A signed-in guest with a cappuccino in the cart, on the checkout page. */
async function checkout(page: Page) {
  const cafe = await signedInGuest(page, "");
  await page.locator('article[data-sku="cappuccino"]').getByRole("link").click();
  await page.getByRole("button", { name: /В корзину/ }).click();
  await page.goto(`/${cafe.slug}/checkout`);
  await expect(page.getByRole("heading", { level: 1, name: "Оформление заказа" })).toBeVisible();
}

/** Opens a page that needs no set-up, and makes sure it answered (not an error page). */
function visit(path: string) {
  return async (page: Page) => {
    const response = await page.goto(path);
    expect(response?.status(), path).toBeLessThan(400);
  };
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      where: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    }));
}

// Tagged so that a project can pick its pages (guests' on the phone, the back-office on the laptop)
// with `grep`/`grepInvert`; until then every page is checked on both screens.
for (const { name, open, backOffice } of PAGES) {
  const tag = backOffice ? "@back-office" : "@guest";
  test(`${name} has no serious or critical accessibility violations`, { tag }, async ({ page }) => {
    // A guest's sign-in by mail on a shared two-core machine takes a while.
    test.setTimeout(120_000);
    await open(page);
    await page.waitForLoadState("load");
    expect(await seriousViolations(page)).toEqual([]);
  });
}
