import { describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { createPosTenant, posClient, receiptBody } from "../pos/testing";
import { exportGuestsCsv } from "./export";

const db = await testDatabase();

describe("the guest export", () => {
  it("puts money in the currency's units beside its code, and points as points", async () => {
    const cafe = await createPosTenant(db.app, "export-units");
    const pos = posClient(db.app, cafe.key);
    const enrolled = await pos<{ guest: { id: string } }>("POST", "/guests", {
      phone: "+7 916 700-00-01",
      name: "Ольга",
      consent: true,
    });
    await pos("POST", "/receipts", receiptBody("EXP-1", 43_837_00, { guestId: enrolled.body.guest.id }));
    const [owner] = await db.admin.insert(users).values({ email: "owner@export-units.test" }).returning();
    const csv = await withTenant(
      cafe.tenantId,
      (tx) =>
        exportGuestsCsv(tx, { tenantId: cafe.tenantId, actorUserId: owner?.id ?? "", ip: null, withContacts: true }),
      db.app,
    );
    const [header, row] = csv.replace("\uFEFF", "").trim().split("\r\n");
    const columns = header?.split(",") ?? [];
    const cells = Object.fromEntries(columns.map((name, index) => [name, row?.split(",")[index]]));
    expect(cells).toMatchObject({ name: '"Ольга"', lifetime_paid: '"43837.00"', currency: '"RUB"' });
    expect(Number(cells.balance_points?.replaceAll('"', ""))).toBeGreaterThan(0);
  });
});
