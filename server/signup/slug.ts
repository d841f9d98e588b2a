import { eq, inArray } from "drizzle-orm";
import type { Database, Tx } from "@/db/client";
import { tenants } from "@/db/schema";
import { TENANT_SLUG } from "../tenants/create";
import { transliterate } from "../transliterate";

/**
 * Addresses a café may not take: every top-level route of the app (a café at `/sign-in` would
 * hide the page, or the page the café) — slug.test.ts reads app/ and fails on a route missing
 * here — and names that would mislead guests or that the platform may want later.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  // Top-level routes under app/ (and Next.js's own).
  "account",
  "api",
  "dashboard",
  "dev",
  "forgot-password",
  "invite",
  "media",
  "pricing",
  "reset-password",
  "sign-in",
  "sign-up",
  "icon",
  "favicon",
  "robots",
  "sitemap",
  "manifest",
  "opengraph-image",
  "twitter-image",
  // Likely future routes and platform names.
  "about",
  "admin",
  "administrator",
  "app",
  "assets",
  "auth",
  "billing",
  "blog",
  "cabinet",
  "checkout",
  "contact",
  "docs",
  "download",
  "help",
  "home",
  "legal",
  "login",
  "logout",
  "mail",
  "me",
  "new",
  "oauth",
  "offer",
  "owner",
  "privacy",
  "public",
  "register",
  "root",
  "security",
  "settings",
  "signin",
  "signup",
  "static",
  "status",
  "support",
  "system",
  "terms",
  "test",
  "webhook",
  "webhooks",
  "www",
  "zerno",
]);

export const MAX_SLUG_LENGTH = 40;

/** A slug-shaped address from a café's name: «Кофе Точка» → `kofe-tochka`; "cafe" when nothing is left. */
export function slugFromName(name: string, maxLength = MAX_SLUG_LENGTH): string {
  const slug = transliterate(name)
    .replace(/&/g, "-and-")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, maxLength)
    .replace(/-+$/, "");
  return slug || "cafe";
}

export type SlugProblem = "invalid" | "reserved";

/** What is wrong with a slug's shape, or null: lower-case latin letters, digits and inner hyphens, not reserved. */
export function slugProblem(slug: string): SlugProblem | null {
  if (!TENANT_SLUG.test(slug) || slug.includes("--")) return "invalid";
  if (RESERVED_SLUGS.has(slug)) return "reserved";
  return null;
}

/**
 * A free address for a café: `from` made slug-shaped when that is valid, not reserved and not
 * taken, else `base-2`, `base-3`… (the base shortened so the suffix fits), a batch per query.
 */
export async function suggestSlug(db: Database | Tx, from: string): Promise<string> {
  const base = slugFromName(from);
  const candidate = (n: number) => {
    const suffix = n === 1 ? "" : `-${n}`;
    return `${base.slice(0, MAX_SLUG_LENGTH - suffix.length).replace(/-+$/, "")}${suffix}`;
  };
  for (let first = 1; ; first += SUGGESTION_BATCH) {
    const batch = Array.from({ length: SUGGESTION_BATCH }, (_, index) => candidate(first + index)).filter(
      (slug) => slugProblem(slug) === null,
    );
    const taken = new Set(
      (await db.select({ slug: tenants.slug }).from(tenants).where(inArray(tenants.slug, batch))).map(
        (row) => row.slug,
      ),
    );
    const free = batch.find((slug) => !taken.has(slug));
    if (free) return free;
  }
}

const SUGGESTION_BATCH = 20;

export type SlugCheck =
  | { ok: true; slug: string }
  | { ok: false; slug: string; reason: SlugProblem | "taken"; suggestion: string };

/**
 * Whether `slug` can be a new café's address; if not, why and a free one to offer instead (from
 * the café's `name` when given, else from the slug itself).
 */
export async function checkSlug(db: Database | Tx, slug: string, name?: string): Promise<SlugCheck> {
  const wanted = slug.trim();
  const problem = slugProblem(wanted);
  const suggest = () => suggestSlug(db, name?.trim() || wanted);
  if (problem) return { ok: false, slug: wanted, reason: problem, suggestion: await suggest() };
  const [existing] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, wanted));
  if (existing) return { ok: false, slug: wanted, reason: "taken", suggestion: await suggestSlug(db, wanted) };
  return { ok: true, slug: wanted };
}
