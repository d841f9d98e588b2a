import { createHash, randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import { authenticator } from "otplib";
import { e2eDataDir } from "../playwright.config";

// The e2e server's embedded PostgreSQL and secrets (written by `server/ops/demo.ts --data-dir …`, see
// playwright.config.ts: .data/e2e, or .data/e2e-<port> for a run on E2E_PORT).
const dataDir = path.resolve(e2eDataDir);
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
export async function createCafe(label: string, options: { openAllDay?: boolean } = {}): Promise<Cafe> {
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
        // Open around the clock where it is midday now, so "as soon as possible" always has a slot today.
        timezone: options.openAllDay ? middayZone() : "Europe/Moscow",
        locale: "ru",
        locations: [
          {
            slug: "main",
            name: "Главная",
            address: "ул. Тестовая, 1",
            openingHours: options.openAllDay ? everyDay("00:00", "23:59") : undefined,
          },
        ],
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

/** An Etc/GMT zone where it is about noon now (Etc names count the other way round). */
function middayZone(): string {
  const offset = Math.max(-12, Math.min(14, 12 - new Date().getUTCHours()));
  return offset === 0 ? "Etc/GMT" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
}

function everyDay(open: string, close: string) {
  const day: [string, string][] = [[open, close]];
  return { "1": day, "2": day, "3": day, "4": day, "5": day, "6": day, "7": day };
}

/**
 * A guest's pick-up order at the café's location (a product «Капучино» is created on first use),
 * placed through the orders domain as the storefront will. Returns the pickup code.
 */
export async function placeOrder(cafe: Cafe, label: string): Promise<string> {
  const { withTenant } = await import("@/db/client");
  const { guests, locations, loyaltyTiers, menuCategories, products, tenants } = await import("@/db/schema");
  const { loadProgram } = await import("@/server/loyalty/program");
  const { placeOrder: place } = await import("@/server/orders/place");
  const { eq } = await import("drizzle-orm");
  return withDatabase(async (db) => {
    const [tenant] = await db.select().from(tenants).where(eq(tenants.slug, cafe.slug));
    if (!tenant) throw new Error(`no café ${cafe.slug}`);
    return withTenant(
      tenant.id,
      async (tx) => {
        const [location] = await tx.select().from(locations);
        const [tier] = await tx.select().from(loyaltyTiers).orderBy(loyaltyTiers.minSpend).limit(1);
        if (!location || !tier) throw new Error("café without a location or tier");
        let [category] = await tx.select().from(menuCategories);
        if (!category) {
          [category] = await tx
            .insert(menuCategories)
            .values({ tenantId: tenant.id, slug: "coffee", name: "Кофе" })
            .returning();
          await tx.insert(products).values({
            tenantId: tenant.id,
            categoryId: category?.id ?? "",
            sku: "cappuccino",
            name: "Капучино",
            price: 27000,
            prepMinutes: 3,
          });
        }
        const [guest] = await tx
          .insert(guests)
          .values({
            tenantId: tenant.id,
            phone: `+7916${String(Math.floor(Math.random() * 10_000_000)).padStart(7, "0")}`,
            name: label,
            cardCode: String(100_000_000 + Math.floor(Math.random() * 899_999_999)),
            qrSecret: authenticator.generateSecret(20),
            tierId: tier.id,
          })
          .returning();
        if (!guest) throw new Error("guest insert failed");
        const program = await loadProgram(tx);
        const { order } = await place(tx, program, {
          tenantId: tenant.id,
          guestId: guest.id,
          locationId: location.id,
          items: [{ productSku: "cappuccino", quantity: 1 }],
          pickup: "asap",
          comment: label,
          pointsToUse: 0,
          idempotencyKey: randomBytes(8).toString("hex"),
        });
        return order.pickupCode;
      },
      db,
    );
  });
}

/** A TOTP code from a step no earlier sign-in used (codes are accepted once). */
/**
 * A TOTP code nobody used yet. The server takes each code once, and specs in parallel workers sign
 * the same demo owner in: a code is claimed by creating a file (atomic across processes) named for
 * the secret, the 30-second window and the code.
 */
async function freshCode(secret: string, used: Set<string>): Promise<string> {
  const claims = path.join(os.tmpdir(), "zerno-e2e-totp");
  mkdirSync(claims, { recursive: true });
  const account = createHash("sha256").update(secret).digest("hex").slice(0, 16);
  for (;;) {
    const code = authenticator.generate(secret);
    if (!used.has(code)) {
      try {
        closeSync(openSync(path.join(claims, `${account}-${Math.floor(Date.now() / 30_000)}-${code}`), "wx"));
        used.add(code);
        return code;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
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

/** The online receipts written for the café (picking an order up writes one); read as the admin, past RLS. */
export async function onlineReceiptCount(cafe: Cafe): Promise<number> {
  const { default: postgres } = await import("postgres");
  const admin = postgres(running().adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin<{ n: number }[]>`
      select count(*)::int as n from receipts r join tenants t on t.id = r.tenant_id
      where t.slug = ${cafe.slug} and r.channel = 'online'`;
    return row?.n ?? 0;
  } finally {
    await admin.end();
  }
}

export type GuestPerson = { email: string; name: string; phone: string };

/** A new guest's details, unique per call (emails and phones are unique per café). */
export function newGuest(label: string): GuestPerson {
  const suffix = randomBytes(3).toString("hex");
  return {
    email: `guest-${label}-${suffix}@e2e.test`,
    name: `Гость ${label}`,
    phone: `+7916${String(Number.parseInt(suffix, 16) % 10_000_000).padStart(7, "0")}`,
  };
}

/** The newest magic link mailed to the address (the outbox holds every mail the server sent). */
export async function latestMagicLink(email: string): Promise<string> {
  const { default: postgres } = await import("postgres");
  const admin = postgres(running().adminUrl, { max: 1, onnotice: () => {} });
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      const [row] = await admin<{ text: string }[]>`
        select text from email_outbox where lower(to_address) = ${email.toLowerCase()}
        order by created_at desc limit 1`;
      const link = row?.text.match(/https?:\/\/\S+\/api\/guest-auth\/callback\/resend\S+/)?.[0];
      if (link) return link;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no magic link mailed to ${email}`);
  } finally {
    await admin.end();
  }
}

/**
 * Signs a guest in as a new user would: the café's sign-in form, the link from the mail, and —
 * the first time at this café — the welcome form (name, phone, consent). Ends on `next`
 * (default: the cabinet).
 */
export async function signInGuest(page: Page, cafe: { slug: string }, guest: GuestPerson, next?: string) {
  const target = next ?? `/${cafe.slug}/me`;
  await page.goto(`/${cafe.slug}/sign-in?next=${encodeURIComponent(target)}`);
  await page.getByLabel("Электронная почта").fill(guest.email);
  await page.getByRole("button", { name: "Прислать ссылку" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Проверьте почту" })).toBeVisible();
  await page.goto(await latestMagicLink(guest.email));
  // The welcome form for a first visit to the café; it sends a known guest straight on.
  await page.goto(`/${cafe.slug}/welcome?next=${encodeURIComponent(target)}`);
  if (new URL(page.url()).pathname === `/${cafe.slug}/welcome`) {
    await page.getByLabel("Имя", { exact: true }).fill(guest.name);
    await page.getByLabel("Телефон", { exact: true }).fill(guest.phone);
    await page.getByLabel(/Согласен/).check();
    await page.getByRole("button", { name: "Присоединиться" }).click();
  }
  await expect(page).toHaveURL((url) => url.pathname === new URL(target, "http://x").pathname);
}

/** The café's guest with this email as stored (read as the admin, past RLS), or null. */
export async function guestOfCafe(
  cafe: { slug: string },
  email: string,
): Promise<{ id: string; name: string | null; phone: string | null; balance: number } | null> {
  const { default: postgres } = await import("postgres");
  const admin = postgres(running().adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin<{ id: string; name: string | null; phone: string | null; balance: number }[]>`
      select g.id, g.name, g.phone, g.balance from guests g join tenants t on t.id = g.tenant_id
      where t.slug = ${cafe.slug} and lower(g.email) = ${email.toLowerCase()}`;
    return row ?? null;
  } finally {
    await admin.end();
  }
}

/**
 * A small menu for the café: «Капучино» (270 ₽, 3 min) with a size (S, or L +50 ₽) and milk
 * (cow's, or oat +40 ₽), and «Круассан» (190 ₽) limited to `croissants` a day when given.
 */
export async function createMenu(cafe: { slug: string }, options: { croissants?: number } = {}): Promise<void> {
  const { withTenant } = await import("@/db/client");
  const { menuCategories, modifierGroups, modifierOptions, productModifierGroups, products, tenants } = await import(
    "@/db/schema"
  );
  const { eq } = await import("drizzle-orm");
  await withDatabase(async (db) => {
    const [tenant] = await db.select().from(tenants).where(eq(tenants.slug, cafe.slug));
    if (!tenant) throw new Error(`no café ${cafe.slug}`);
    await withTenant(
      tenant.id,
      async (tx) => {
        const tenantId = tenant.id;
        const [coffee] = await tx
          .insert(menuCategories)
          .values({ tenantId, slug: "coffee", name: "Кофе", sortOrder: 1 })
          .returning();
        const [bakery] = await tx
          .insert(menuCategories)
          .values({ tenantId, slug: "bakery", name: "Выпечка", sortOrder: 2 })
          .returning();
        if (!coffee || !bakery) throw new Error("category insert failed");
        const [cappuccino] = await tx
          .insert(products)
          .values({
            tenantId,
            categoryId: coffee.id,
            sku: "cappuccino",
            name: "Капучино",
            description: "Эспрессо и молочная пена",
            price: 27_000,
            prepMinutes: 3,
          })
          .returning();
        await tx.insert(products).values({
          tenantId,
          categoryId: bakery.id,
          sku: "croissant",
          name: "Круассан",
          description: "Сливочный, из печи утром",
          price: 19_000,
          prepMinutes: 1,
          dailyLimit: options.croissants ?? null,
        });
        const [size] = await tx
          .insert(modifierGroups)
          .values({ tenantId, slug: "size", name: "Размер", minSelect: 1, maxSelect: 1, sortOrder: 1 })
          .returning();
        const [milk] = await tx
          .insert(modifierGroups)
          .values({ tenantId, slug: "milk", name: "Молоко", minSelect: 1, maxSelect: 1, sortOrder: 2 })
          .returning();
        if (!cappuccino || !size || !milk) throw new Error("menu insert failed");
        await tx.insert(modifierOptions).values([
          { tenantId, groupId: size.id, slug: "s", name: "S", isDefault: true, sortOrder: 1 },
          { tenantId, groupId: size.id, slug: "l", name: "L", priceDelta: 5_000, prepMinutesDelta: 1, sortOrder: 2 },
          { tenantId, groupId: milk.id, slug: "cow", name: "Коровье", isDefault: true, sortOrder: 1 },
          { tenantId, groupId: milk.id, slug: "oat", name: "Овсяное", priceDelta: 4_000, sortOrder: 2 },
        ]);
        await tx.insert(productModifierGroups).values([
          { tenantId, productId: cappuccino.id, groupId: size.id, sortOrder: 1 },
          { tenantId, productId: cappuccino.id, groupId: milk.id, sortOrder: 2 },
        ]);
      },
      db,
    );
  });
}

/** A POS key of the café's first location, as the owner would create it (shown once). */
export async function createPosKeyFor(cafe: { slug: string }): Promise<string> {
  const { withTenant } = await import("@/db/client");
  const { tenants } = await import("@/db/schema");
  const { createPosKey } = await import("@/server/pos/keys");
  const { eq } = await import("drizzle-orm");
  return withDatabase(async (db) => {
    const [tenant] = await db.select().from(tenants).where(eq(tenants.slug, cafe.slug));
    if (!tenant) throw new Error(`no café ${cafe.slug}`);
    const created = await withTenant(
      tenant.id,
      (tx) =>
        createPosKey(tx, {
          tenantId: tenant.id,
          locationSlug: "main",
          name: "e2e till",
          actor: { actorKind: "system" },
        }),
      db,
    );
    return created.key;
  });
}

/** Puts the café's guest with this email into a segment, as the nightly rhythm fit would (read as the admin, past RLS). */
export async function setGuestSegment(cafe: { slug: string }, email: string, segment: string): Promise<void> {
  const { default: postgres } = await import("postgres");
  const admin = postgres(running().adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin`
      insert into guest_stats (tenant_id, guest_id, segment)
      select g.tenant_id, g.id, ${segment} from guests g join tenants t on t.id = g.tenant_id
      where t.slug = ${cafe.slug} and lower(g.email) = ${email.toLowerCase()}
      on conflict (tenant_id, guest_id) do update set segment = excluded.segment`;
  } finally {
    await admin.end();
  }
}
