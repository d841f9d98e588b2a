import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { memberships, users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { recordSecurityEvent, signInTenant } from "../auth/security-events";
import { createTenant } from "../tenants/create";
import { listAudit } from "./list";

const db = await testDatabase();

async function cafe(slug: string) {
  const { tenant } = await db.app.transaction((tx) =>
    createTenant(tx, {
      slug,
      name: `Café ${slug}`,
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      locations: [{ slug: "main", name: "Main", address: "Main st. 1" }],
    }),
  );
  return tenant;
}

let first: { id: string; slug: string };
let second: { id: string; slug: string };
let elsewhere: { id: string; slug: string };
let barista: string;

beforeAll(async () => {
  first = await cafe("audit-events-first");
  second = await cafe("audit-events-second");
  elsewhere = await cafe("audit-events-elsewhere");
  const [person] = await db.admin.insert(users).values({ email: "two-jobs@example.com" }).returning();
  if (!person) throw new Error("no user");
  barista = person.id;
  await db.admin.insert(memberships).values([
    { tenantId: first.id, userId: barista, role: "barista" },
    { tenantId: second.id, userId: barista, role: "barista" },
  ]);
});

const auditOf = (tenantId: string) =>
  withTenant(tenantId, (tx) => listAudit(tx, { page: 0, pageSize: 200 }), db.app).then((page) =>
    page.rows.filter((row) => row.source === "security").map((row) => `${row.action} ${row.ip}`),
  );

describe("security events on a café's audit page", () => {
  it("a sign-in belongs to the café it goes to, when the person works there", async () => {
    expect(await signInTenant(db.app, barista, `/dashboard/${second.slug}/orders`)).toBe(second.id);
    expect(await signInTenant(db.app, barista, `/dashboard/${first.slug}`)).toBe(first.id);
    // A café the person does not work at, another page, or nothing: the sign-in names no café.
    expect(await signInTenant(db.app, barista, `/dashboard/${elsewhere.slug}`)).toBeNull();
    expect(await signInTenant(db.app, barista, "/account")).toBeNull();
    expect(await signInTenant(db.app, barista, "/dashboard")).toBeNull();
    expect(await signInTenant(db.app, barista, undefined)).toBeNull();
  });

  it("shows a member's sign-ins at this café and those naming none, never those at their other café", async () => {
    const at = async (next: string | null, ip: string) =>
      recordSecurityEvent(db.app, {
        action: "sign_in.succeeded",
        userId: barista,
        ip,
        inTenantId: await signInTenant(db.app, barista, next),
      });
    await at(`/dashboard/${first.slug}`, "192.0.2.1");
    await at(`/dashboard/${second.slug}/orders`, "192.0.2.2");
    await at("/dashboard", "192.0.2.3");
    await recordSecurityEvent(db.app, {
      action: "sign_in.failed",
      userId: barista,
      ip: "192.0.2.4",
      inTenantId: second.id,
    });

    expect((await auditOf(first.id)).sort()).toEqual(["sign_in.succeeded 192.0.2.1", "sign_in.succeeded 192.0.2.3"]);
    expect((await auditOf(second.id)).sort()).toEqual([
      "sign_in.failed 192.0.2.4",
      "sign_in.succeeded 192.0.2.2",
      "sign_in.succeeded 192.0.2.3",
    ]);
    // A café the person does not work at sees none of it.
    expect(await auditOf(elsewhere.id)).toEqual([]);
  });
});
