import { and, asc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { type Database, withTenant } from "@/db/client";
import { guests, ledgerEntries, tenants } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { addDays, type LocalDate, localDateOf } from "../orders/slots";
import { lockGuest, postPoints } from "./ledger";
import { loadProgram } from "./program";

/** The birthday week: from three days before the birthday to three days after. */
export const BIRTHDAY_WEEK_DAYS_AROUND = 3;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The birthdays (as "MM-DD") whose week contains `today`, each with the year it falls in, so a
 * bonus is named by its birthday year ("birthday:2026") and a week across New Year works. A
 * 29 February birthday is celebrated on 28 February in other years.
 */
export function birthdaysAround(today: LocalDate): { monthDay: string; year: number }[] {
  const days: { monthDay: string; year: number }[] = [];
  for (let offset = -BIRTHDAY_WEEK_DAYS_AROUND; offset <= BIRTHDAY_WEEK_DAYS_AROUND; offset++) {
    const date = addDays(today, offset);
    const year = Number(date.slice(0, 4));
    const monthDay = date.slice(5);
    days.push({ monthDay, year });
    if (monthDay === "02-28" && !isLeapYear(year)) days.push({ monthDay: "02-29", year });
  }
  return days;
}

/**
 * Gives the program's birthday bonus to every active guest whose birthday week is on now (in the
 * café's time zone), once per birthday year: the ledger's unique key (guest, "birthday:YYYY")
 * makes a second grant impossible, also when two servers run the job at once. Returns the
 * number of bonuses given per tenant slug.
 */
export async function grantBirthdayBonuses(db: Database, now: Date = new Date()): Promise<Record<string, number>> {
  const all = await db
    .select({ id: tenants.id, slug: tenants.slug, timezone: tenants.timezone })
    .from(tenants)
    .orderBy(asc(tenants.slug));
  const granted: Record<string, number> = {};
  for (const tenant of all) {
    const around = birthdaysAround(localDateOf(now, tenant.timezone));
    const { bonus, due } = await withTenant(
      tenant.id,
      async (tx) => {
        const bonus = (await loadProgram(tx)).birthdayBonus;
        if (bonus <= 0) return { bonus, due: [] };
        const rows = await tx
          .select({ id: guests.id, monthDay: sql<string>`to_char(${guests.birthday}, 'MM-DD')` })
          .from(guests)
          .where(
            and(
              isNotNull(guests.birthday),
              isNull(guests.deletedAt),
              isNull(guests.blockedAt),
              inArray(
                sql`to_char(${guests.birthday}, 'MM-DD')`,
                around.map((day) => day.monthDay),
              ),
            ),
          )
          .orderBy(asc(guests.id));
        const due = rows.flatMap((row) =>
          around
            .filter((day) => day.monthDay === row.monthDay)
            .map((day) => ({ guestId: row.id, note: `birthday:${day.year}` })),
        );
        return { bonus, due };
      },
      db,
    );
    let count = 0;
    for (const { guestId, note } of due) {
      const done = await withTenant(
        tenant.id,
        async (tx) => {
          const guest = await lockGuest(tx, guestId);
          if (!guest || guest.deletedAt || guest.blockedAt) return false;
          const [already] = await tx
            .select({ id: ledgerEntries.id })
            .from(ledgerEntries)
            .where(
              and(
                eq(ledgerEntries.guestId, guestId),
                eq(ledgerEntries.kind, "birthday_bonus"),
                eq(ledgerEntries.note, note),
              ),
            );
          if (already) return false;
          await postPoints(tx, guest, [{ kind: "birthday_bonus", delta: bonus, note }]);
          await recordAudit(tx, {
            tenantId: tenant.id,
            actorKind: "system",
            action: "guest.birthday_bonus",
            targetType: "guest",
            targetId: guestId,
            meta: { points: bonus, note },
          });
          return true;
        },
        db,
      );
      if (done) count += 1;
    }
    granted[tenant.slug] = count;
  }
  return granted;
}
