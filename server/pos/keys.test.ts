import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/db/client";
import { auditLog, posApiKeys } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { sha256Hex } from "../auth/secrets";
import { createTenant } from "../tenants/create";
import { createPosKey, listPosKeys, revokePosKey } from "./keys";

const db = await testDatabase();
const OPERATOR = { actorKind: "system" as const };
let cafe: string;
let other: string;

beforeAll(async () => {
  const make = (slug: string) =>
    db.app.transaction((tx) =>
      createTenant(tx, {
        slug,
        name: slug,
        currency: "RUB",
        timezone: "Europe/Moscow",
        locale: "ru",
        locations: [{ slug: "main", name: "Main", address: "Somewhere 1" }],
      }),
    );
  cafe = (await make("keys-cafe")).tenant.id;
  other = (await make("keys-other")).tenant.id;
});

describe("POS keys", () => {
  it("shows the key once and stores only its hash and a short prefix", async () => {
    const created = await withTenant(
      cafe,
      (tx) => createPosKey(tx, { tenantId: cafe, locationSlug: "main", name: "Till 1", actor: OPERATOR }),
      db.app,
    );
    expect(created.key).toMatch(/^zk_live_[A-Za-z0-9_-]{32}$/);
    const [stored] = await db.admin.select().from(posApiKeys).where(eq(posApiKeys.id, created.id));
    expect(stored?.keyHash).toBe(sha256Hex(created.key));
    expect(created.key.startsWith(stored?.prefix ?? "?")).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(created.key);

    const lookup = await db.app.execute(sql`select * from pos_key_lookup(${sha256Hex(created.key)})`);
    expect(lookup[0]).toMatchObject({ tenant_id: cafe, key_id: created.id, revoked_at: null });
    const audit = await db.admin.select().from(auditLog).where(eq(auditLog.targetId, created.id));
    expect(audit.map((entry) => entry.action)).toEqual(["pos_key.create"]);
  });

  it("refuses a location the tenant does not have", async () => {
    await expect(
      withTenant(
        cafe,
        (tx) => createPosKey(tx, { tenantId: cafe, locationSlug: "nowhere", name: "x", actor: OPERATOR }),
        db.app,
      ),
    ).rejects.toThrow(/No location nowhere/);
  });

  it("revokes by prefix, and another tenant cannot see or revoke the key", async () => {
    const created = await withTenant(
      cafe,
      (tx) => createPosKey(tx, { tenantId: cafe, locationSlug: "main", name: "Till 2", actor: OPERATOR }),
      db.app,
    );
    await expect(
      withTenant(other, (tx) => revokePosKey(tx, { tenantId: other, key: created.id, actor: OPERATOR }), db.app),
    ).rejects.toThrow(/No active key/);
    expect(await withTenant(other, (tx) => listPosKeys(tx), db.app)).toEqual([]);

    const revoked = await withTenant(
      cafe,
      (tx) => revokePosKey(tx, { tenantId: cafe, key: created.prefix, actor: OPERATOR }),
      db.app,
    );
    expect(revoked.id).toBe(created.id);
    const keys = await withTenant(cafe, (tx) => listPosKeys(tx), db.app);
    expect(keys.find((key) => key.id === created.id)?.revokedAt).toBeInstanceOf(Date);
    await expect(
      withTenant(cafe, (tx) => revokePosKey(tx, { tenantId: cafe, key: created.id, actor: OPERATOR }), db.app),
    ).rejects.toThrow(/No active key/);
  });
});
