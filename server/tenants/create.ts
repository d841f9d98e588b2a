import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { locations, loyaltyPrograms, loyaltyTiers, subscriptions, tenants } from "@/db/schema";
import type { OpeningHours } from "@/db/schema/tenancy";
import { TRIAL_PLAN } from "../billing/plans";
import { AppError } from "../errors";

export type NewLocation = {
  slug: string;
  name: string;
  address: string;
  timezone?: string;
  openingHours?: OpeningHours;
};

export type NewTenant = {
  slug: string;
  name: string;
  currency: string;
  timezone: string;
  locale: "ru" | "en";
  locations: NewLocation[];
  tiers?: { name: string; names?: { ru?: string; en?: string }; accrualPercent: number; minSpend: number }[];
  /**
   * "operator" (seed, CLI, tests): set up by the operator, so the storefront is public and the
   * loyalty rules count as checked, as migration 0009 did for the cafés of before. "sign_up": the
   * owner opens the storefront and checks the rules themselves (the first-steps checklist).
   */
  origin?: "operator" | "sign_up";
};

export const DEFAULT_TIERS = [
  { name: "Bronze", names: { ru: "Бронза", en: "Bronze" }, accrualPercent: 5, minSpend: 0 },
  { name: "Silver", names: { ru: "Серебро", en: "Silver" }, accrualPercent: 7, minSpend: 500_000 },
  { name: "Gold", names: { ru: "Золото", en: "Gold" }, accrualPercent: 10, minSpend: 1_500_000 },
];

const everyDay = (open: string, close: string): OpeningHours => ({
  "1": [[open, close]],
  "2": [[open, close]],
  "3": [[open, close]],
  "4": [[open, close]],
  "5": [[open, close]],
  "6": [[open, close]],
  "7": [[open, close]],
});

export const DEFAULT_OPENING_HOURS = everyDay("08:00", "21:00");

export const TRIAL_DAYS = 14;

export const TENANT_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/**
 * Creates a tenant with its locations and a default loyalty program, inside `tx`. The tenant row
 * is a platform row; the rest are tenant rows, so the transaction is bound to the new tenant
 * before they are written (RLS checks every insert).
 */
export async function createTenant(tx: Tx, input: NewTenant) {
  if (!TENANT_SLUG.test(input.slug)) throw new AppError("invalid_request", `Invalid tenant slug: ${input.slug}`);
  if (input.locations.length === 0) throw new AppError("invalid_request", "A tenant needs at least one location");
  const existing = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, input.slug));
  if (existing.length > 0) throw new AppError("conflict", `Tenant ${input.slug} already exists`, "tenant_exists");
  const [tenant] = await tx
    .insert(tenants)
    .values({
      slug: input.slug,
      name: input.name,
      currency: input.currency,
      timezone: input.timezone,
      locale: input.locale,
      ...(input.origin === "sign_up" ? {} : { storefrontOpenedAt: sql`now()`, loyaltyReviewedAt: sql`now()` }),
    })
    .returning();
  if (!tenant) throw new Error("tenant insert returned nothing");
  await tx.execute(sql`select set_config('app.tenant_id', ${tenant.id}, true)`);
  const createdLocations = await tx
    .insert(locations)
    .values(
      input.locations.map((location) => ({
        tenantId: tenant.id,
        slug: location.slug,
        name: location.name,
        address: location.address,
        timezone: location.timezone ?? input.timezone,
        openingHours: location.openingHours ?? DEFAULT_OPENING_HOURS,
      })),
    )
    .returning();
  await tx.insert(loyaltyPrograms).values({ tenantId: tenant.id });
  const tiers = await tx
    .insert(loyaltyTiers)
    .values((input.tiers ?? DEFAULT_TIERS).map((tier) => ({ tenantId: tenant.id, ...tier })))
    .returning();
  // Every café starts on a trial; billing turns it into a paid plan or lets it lapse.
  await tx.insert(subscriptions).values({
    tenantId: tenant.id,
    plan: TRIAL_PLAN,
    status: "trialing",
    trialEndsAt: sql`now() + interval '${sql.raw(String(TRIAL_DAYS))} days'`,
  });
  return { tenant, locations: createdLocations, tiers };
}
