import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import { authenticator } from "otplib";

// The e2e server's embedded PostgreSQL and secrets (written by `server/ops/demo.ts --data-dir .data/e2e`).
const dataDir = path.resolve(".data/e2e");
const running = () => JSON.parse(readFileSync(path.join(dataDir, "running.json"), "utf8")) as { adminUrl: string };
const secrets = () => JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as Record<string, string>;

export const PASSWORD = "e2e-password-2026";

export type Person = { email: string; password: string; totpSecret?: string };
export type Cafe = { slug: string; name: string; owner: Person; barista: Person; spare: Person };

/** Opens the e2e database with the server's secrets, so TOTP secrets are sealed with the same key. */
async function withDatabase<T>(work: (db: import("@/db/client").Database) => Promise<T>): Promise<T> {
  const { applyEnv } = await import("@/server/env");
  applyEnv({ ...secrets(), DATABASE_URL: running().adminUrl });
  const { openDatabase } = await import("@/db/client");
  const { deriveAppUrl, env } = await import("@/server/env");
  const { db, client } = openDatabase(deriveAppUrl(running().adminUrl, env().APP_DB_PASSWORD), { max: 2 });
  try {
    return await work(db);
  } finally {
    await client.end();
  }
}

/**
 * A café of its own for each test (cal.com-style fixtures): a unique slug, an owner with 2FA on, a
 * barista and a spare manager, so specs run in parallel and never share sign-in state.
 */
export async function createCafe(label: string): Promise<Cafe> {
  const slug = `e2e-${label}-${randomBytes(3).toString("hex")}`;
  const { createTenant } = await import("@/server/tenants/create");
  const { hashPassword } = await import("@/server/auth/password");
  const { encryptSecret } = await import("@/server/auth/secrets");
  const { memberships, users } = await import("@/db/schema");
  const passwordHash = await hashPassword(PASSWORD);
  const owner: Person = {
    email: `owner@${slug}.test`,
    password: PASSWORD,
    totpSecret: authenticator.generateSecret(20),
  };
  const barista: Person = { email: `barista@${slug}.test`, password: PASSWORD };
  const spare: Person = {
    email: `manager@${slug}.test`,
    password: PASSWORD,
    totpSecret: authenticator.generateSecret(20),
  };
  await withDatabase((db) =>
    db.transaction(async (tx) => {
      const { tenant } = await createTenant(tx, {
        slug,
        name: `Кофейня ${label}`,
        currency: "RUB",
        timezone: "Europe/Moscow",
        locale: "ru",
        locations: [{ slug: "main", name: "Главная", address: "ул. Тестовая, 1" }],
      });
      for (const [person, role] of [
        [owner, "owner"],
        [barista, "barista"],
        [spare, "manager"],
      ] as const) {
        const [user] = await tx
          .insert(users)
          .values({
            email: person.email,
            name: role,
            passwordHash,
            totpSecretEncrypted: person.totpSecret ? encryptSecret(person.totpSecret) : null,
            totpEnabledAt: person.totpSecret ? new Date() : null,
          })
          .returning();
        if (!user) throw new Error("user insert failed");
        await tx.insert(memberships).values({ tenantId: tenant.id, userId: user.id, role });
      }
    }),
  );
  return { slug, name: `Кофейня ${label}`, owner, barista, spare };
}

/** A TOTP code from a step no earlier sign-in used (codes are accepted once). */
async function freshCode(secret: string, used: Set<string>): Promise<string> {
  for (;;) {
    const code = authenticator.generate(secret);
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const usedCodes = new Map<string, Set<string>>();

/** Signs in through the real forms: password, then (when the account has 2FA) a TOTP code. */
export async function signIn(page: Page, person: Person, next = "/dashboard") {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Пароль").fill(person.password);
  await page.getByRole("button", { name: "Войти" }).click();
  if (person.totpSecret) {
    await expect(page.getByRole("heading", { name: "Код подтверждения" })).toBeVisible();
    const used = usedCodes.get(person.totpSecret) ?? new Set<string>();
    usedCodes.set(person.totpSecret, used);
    await page.getByLabel("Код", { exact: true }).fill(await freshCode(person.totpSecret, used));
    await page.getByRole("button", { name: "Подтвердить" }).click();
  }
}

/** A form's error message (Next's route announcer is an alert too, outside <main>). */
export function formAlert(page: Page) {
  return page.getByRole("main").getByRole("alert");
}

export const test = base;
export { expect };
