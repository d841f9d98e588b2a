import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium where Playwright cannot download its own (this project's machines);
// elsewhere Playwright's bundled Chromium.
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => existsSync(path));
const launchOptions = systemChromium
  ? {
      executablePath: systemChromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    }
  : {};

const port = Number(process.env.E2E_PORT ?? 3100);
// A run on another port (parallel work on one checkout) keeps its own data and results.
const runName = process.env.E2E_PORT ? `e2e-${port}` : "e2e";

// With DATABASE_URL the e2e server runs on a database of its own beside it (`<name>_e2e`), made
// fresh each run, so the tests never touch — or depend on — the data of the database named there.
const e2eDatabaseUrl = (() => {
  if (!process.env.DATABASE_URL) return undefined;
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `${url.pathname.replace(/\/$/, "")}_e2e`;
  return url.toString();
})();
export const baseURL = `http://localhost:${port}`;
const stripePort = port + 99;
/** Billing on, against the local Stripe-compatible server started beside the app. */
export const E2E_STRIPE = {
  STRIPE_SECRET_KEY: "sk_test_e2e",
  STRIPE_WEBHOOK_SECRET: "whsec_e2e_local",
  STRIPE_API_BASE: `http://localhost:${stripePort}`,
};
/** The webServer's data directory (embedded PostgreSQL, secrets), for specs that start servers of their own. */
export const e2eDataDir = `.data/${runName}`;

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  outputDir: `test-results/${runName}`,
  timeout: 60_000,
  // A Russian browser unless a test says otherwise: the platform's pages follow Accept-Language.
  use: { baseURL, trace: "retain-on-failure", launchOptions, locale: "ru-RU" },
  projects: [
    // Guests' pages on a phone; the back-office (a laptop tool) and the POS crash test once, on a laptop.
    {
      name: "phone",
      // Each project's browsers come from an address of their own (the hop the server trusts), so
      // the per-address limits (magic links: 30 an hour) count each project's guests apart.
      use: { ...devices["Pixel 7"], launchOptions, extraHTTPHeaders: { "x-forwarded-for": "198.51.100.21" } },
      testIgnore: [/back-office/, /pos-crash/, /\/fuzz-[^/]*\.spec\.ts$/],
    },
    // The guest journey is a phone story (its barista opens a laptop-sized window of their own).
    {
      name: "laptop",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1366, height: 850 },
        launchOptions,
        extraHTTPHeaders: { "x-forwarded-for": "198.51.100.22" },
      },
      testIgnore: [/guest-journey/, /\/fuzz-[^/]*\.spec\.ts$/],
    },
    // Hostile input on every surface (e2e/fuzz-*.spec.ts), its traffic from an address of its own
    // (e2e/fuzz/harness.ts), so it shares no rate limit with the rest. It runs after the phone and
    // laptop projects: its load beside them made their 60-second steps time out on 2 cores.
    // Alone: `npm run test:fuzz`.
    {
      name: "fuzz",
      dependencies: ["phone", "laptop"],
      testMatch: /\/fuzz-[^/]*\.spec\.ts$/,
      use: { ...devices["Desktop Chrome"], viewport: { width: 1366, height: 850 }, launchOptions },
    },
  ],
  webServer: [
    // The local Stripe-compatible server (server/billing/testing/fake-stripe.ts): billing is on in
    // the e2e run, and its hosted Checkout sends signed webhooks to the app.
    {
      command: `npx tsx server/ops/stripe-local.ts --port ${stripePort} --webhook ${baseURL}/api/stripe/webhook --secret ${E2E_STRIPE.STRIPE_WEBHOOK_SECRET}`,
      url: `${E2E_STRIPE.STRIPE_API_BASE}/health`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    // A production server (`npm run build` ran before) on its own throw-away embedded PostgreSQL.
    {
      command: `npx tsx server/ops/demo.ts --skip-build --fresh --data-dir .data/${runName} --port ${port}`,
      env: { ...E2E_STRIPE, ...(e2eDatabaseUrl ? { DATABASE_URL: e2eDatabaseUrl } : {}) },
      url: `${baseURL}/api/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
