import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { campaigns, guestStats, guests, loyaltyTiers } from "@/db/schema";
import { createPosTenant } from "../pos/testing";

// Test fixtures of the campaign engine (and the results helper's tests, the bench): a café and
// guests written directly as the superuser, with the guest_stats the audience reads.

export type GuestSpec = {
  name?: string | null;
  email?: string | null;
  optIn?: boolean;
  segment?: string | null;
  lastVisitAt?: Date | null;
  favourite?: string | null;
  visits?: number;
  birthday?: string | null;
  balance?: number;
};

/** A café (Europe/Moscow, ru) with its default tier. */
export async function createCampaignCafe(app: Database, admin: Database, slug: string) {
  const cafe = await createPosTenant(app, slug);
  const [tier] = await admin
    .select({ id: loyaltyTiers.id })
    .from(loyaltyTiers)
    .where(eq(loyaltyTiers.tenantId, cafe.tenantId))
    .limit(1);
  if (!tier) throw new Error("createTenant made no tier");
  return { tenantId: cafe.tenantId, tierId: tier.id, slug };
}

let counter = 0;

/** Adds guests in bulk (one statement each table); returns their ids in order. */
export async function addGuests(
  admin: Database,
  cafe: { tenantId: string; tierId: string },
  specs: GuestSpec[],
): Promise<string[]> {
  if (specs.length === 0) return [];
  const rows = specs.map((spec) => {
    counter += 1;
    return {
      tenantId: cafe.tenantId,
      name: spec.name === undefined ? `Guest ${counter}` : spec.name,
      email: spec.email === undefined ? `guest${counter}-${cafe.tenantId.slice(0, 8)}@example.test` : spec.email,
      marketingOptIn: spec.optIn ?? true,
      birthday: spec.birthday ?? null,
      balance: spec.balance ?? 0,
      cardCode: `CMP${String(counter).padStart(9, "0")}`,
      qrSecret: `QRSECRET${counter}`,
      tierId: cafe.tierId,
    };
  });
  const ids: string[] = [];
  for (let start = 0; start < rows.length; start += 1000) {
    const inserted = await admin
      .insert(guests)
      .values(rows.slice(start, start + 1000))
      .returning({ id: guests.id });
    ids.push(...inserted.map((row) => row.id));
  }
  const stats = specs.flatMap((spec, index) =>
    spec.segment === undefined && spec.visits === undefined && spec.favourite === undefined
      ? []
      : [
          {
            tenantId: cafe.tenantId,
            guestId: ids[index] as string,
            visits: spec.visits ?? 3,
            segment: spec.segment ?? null,
            lastVisitAt: spec.lastVisitAt === undefined ? new Date("2026-01-10T09:00:00Z") : spec.lastVisitAt,
            favouriteName: spec.favourite ?? null,
          },
        ],
  );
  for (let start = 0; start < stats.length; start += 1000) {
    await admin.insert(guestStats).values(stats.slice(start, start + 1000));
  }
  return ids;
}

/** A running campaign (win-back unless said otherwise). */
export async function addCampaign(
  admin: Database,
  tenantId: string,
  values: Partial<typeof campaigns.$inferInsert> = {},
): Promise<typeof campaigns.$inferSelect> {
  const [row] = await admin
    .insert(campaigns)
    .values({
      tenantId,
      name: "Win-back",
      kind: "win_back",
      status: "running",
      subject: "Мы соскучились, {name}!",
      body: "Ваш {favourite} ждёт вас в «{cafe}».",
      ...values,
    })
    .returning();
  if (!row) throw new Error("campaign insert returned no row");
  return row;
}

/** Moves a guest's stats (the nightly fit's output) as the tests need. */
export async function setStats(admin: Database, guestId: string, values: Partial<typeof guestStats.$inferInsert>) {
  await admin
    .update(guestStats)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(guestStats.guestId, guestId));
}
