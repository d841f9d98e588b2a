import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { memberships, users } from "@/db/schema";
import type { OpeningHours } from "@/db/schema/tenancy";
import { recordAudit } from "../audit/record";
import type { MfaState } from "../auth/sessions";
import { AppError } from "../errors";
import { LOCALES } from "../i18n/locales";
import { limiterCache, postgresLimiter, retryAfterSeconds } from "../rate-limit";
import { createTenant, TRIAL_DAYS } from "../tenants/create";
import { fieldError, rateLimited } from "./account";
import { checkSlug } from "./slug";

/** Currencies a café can keep its prices in (all with two minor digits, as server/money.ts assumes). */
export const CURRENCIES = ["RUB", "EUR", "USD", "KZT", "BYN"] as const;
export const DEFAULT_TIMEZONE = "Europe/Moscow";
export const WEEKDAYS = ["1", "2", "3", "4", "5", "6", "7"] as const;
/** Cafés one person may create per hour (a sign-up makes one; a chain owner may add a few). */
export const CAFES_PER_HOUR = 5;

const cafeLimiter = limiterCache((db) =>
  postgresLimiter(db, { keyPrefix: "signup_cafe", points: CAFES_PER_HOUR, duration: 3600 }),
);

/** The IANA time zones the runtime knows (the select's options), plus UTC. */
export function timeZones(): string[] {
  return [...new Set([...Intl.supportedValuesOf("timeZone"), "UTC"])].sort();
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const time = z.string().regex(TIME);
/** One opening interval; a close at or before the open is refused, except "00:00" (midnight). */
const interval = z
  .tuple([time, time])
  .refine(([open, close]) => close === "00:00" || close > open, { message: "close_before_open" });

const openingHours = z.object(
  Object.fromEntries(WEEKDAYS.map((day) => [day, z.array(interval).max(4)])) as Record<
    (typeof WEEKDAYS)[number],
    z.ZodArray<typeof interval>
  >,
);

const text = (max: number) => z.string().trim().min(1).max(max);

/** What the café step of sign-up asks for. */
export const cafeInput = z.object({
  name: text(80),
  slug: z.string().trim().toLowerCase().max(100),
  currency: z.enum(CURRENCIES),
  timezone: z.string().refine(isTimeZone),
  locale: z.enum(LOCALES),
  location: z.object({
    name: text(80),
    address: text(200),
    openingHours,
  }),
});
export type CafeInput = z.input<typeof cafeInput>;

/** The field a refusal of `cafeInput` is about, as the form names it ("location.openingHours.3" → "hours.3"). */
function fieldOf(path: PropertyKey[]): string {
  const [first, second, third] = path.map(String);
  if (first === "location" && second === "openingHours") return `hours.${third ?? "1"}`;
  if (first === "location") return `location.${second ?? "name"}`;
  return first ?? "name";
}

export type CreatedCafe = { tenantId: string; slug: string };

/**
 * Step three of a café's sign-up (after the account and 2FA): the café, its first location with
 * its opening hours, the default loyalty rules, a 14-day trial of Pro, and its creator as owner.
 * Refused until the person has 2FA on and this session passed it (owners never work without it).
 * A slug that is invalid, reserved or taken is refused with a free one to offer instead.
 */
export async function createCafe(
  db: Database,
  input: { session: { userId: string; mfa: MfaState }; cafe: CafeInput; ip: string | null },
): Promise<CreatedCafe> {
  const [user] = await db
    .select({ id: users.id, totpEnabledAt: users.totpEnabledAt })
    .from(users)
    .where(eq(users.id, input.session.userId));
  if (!user) throw new AppError("unauthorized", "Sign in first", "signed_out");
  if (!user.totpEnabledAt || input.session.mfa !== "verified") {
    throw new AppError("forbidden", "Turn on two-factor sign-in first", "two_factor_required");
  }
  const parsed = cafeInput.safeParse(input.cafe);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = fieldOf(issue?.path ?? []);
    const reason = issue?.message === "close_before_open" ? "close_before_open" : "invalid_field";
    throw fieldError("invalid_request", reason, field);
  }
  const cafe = parsed.data;
  const slug = await checkSlug(db, cafe.slug, cafe.name);
  if (!slug.ok) throw slugRefusal(slug.reason, slug.suggestion);
  try {
    await cafeLimiter(db).consume(user.id);
  } catch (rejection) {
    throw rateLimited(retryAfterSeconds(rejection));
  }
  try {
    return await db.transaction(async (tx) => {
      // createTenant binds the transaction to the new tenant (RLS) before writing its rows.
      const { tenant, locations } = await createTenant(tx, {
        slug: slug.slug,
        name: cafe.name,
        currency: cafe.currency,
        timezone: cafe.timezone,
        locale: cafe.locale,
        origin: "sign_up",
        locations: [
          {
            slug: "main",
            name: cafe.location.name,
            address: cafe.location.address,
            openingHours: cafe.location.openingHours as OpeningHours,
          },
        ],
      });
      const [membership] = await tx
        .insert(memberships)
        .values({ tenantId: tenant.id, userId: user.id, role: "owner" })
        .returning({ id: memberships.id });
      await recordAudit(tx, {
        tenantId: tenant.id,
        actorKind: "staff",
        actorUserId: user.id,
        ip: input.ip,
        action: "tenant.created",
        targetType: "tenant",
        targetId: tenant.id,
        meta: { slug: tenant.slug, locationId: locations[0]?.id, membershipId: membership?.id, trialDays: TRIAL_DAYS },
      });
      return { tenantId: tenant.id, slug: tenant.slug };
    });
  } catch (error) {
    // Two sign-ups racing for one address: the second meets the unique key (or createTenant's check).
    const taken =
      (error instanceof AppError && error.reason === "tenant_exists") ||
      (error as { code?: string; cause?: { code?: string } }).code === "23505" ||
      (error as { cause?: { code?: string } }).cause?.code === "23505";
    if (!taken) throw error;
    const again = await checkSlug(db, cafe.slug, cafe.name);
    throw slugRefusal("taken", again.ok ? again.slug : again.suggestion);
  }
}

function slugRefusal(reason: "invalid" | "reserved" | "taken", suggestion: string) {
  const error = fieldError(
    reason === "taken" ? "conflict" : "invalid_request",
    `slug_${reason}`,
    "slug",
    `The address is ${reason}`,
  );
  return new AppError(error.code, error.message, error.reason, [{ path: "slug", suggestion }]);
}
