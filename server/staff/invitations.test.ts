import { setTimeout as sleep } from "node:timers/promises";
import { and, eq, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type Tx, withTenant } from "@/db/client";
import { auditLog, memberships, staffInvitations, users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { AppError } from "../errors";
import { createTenant } from "../tenants/create";
import { findTenantBySlug, type TenantSummary } from "../tenants/queries";
import { acceptInvitation, invitationByLink, inviteStaff, withdrawInvitation } from "./invitations";

const db = await testDatabase();
let tenant: TenantSummary;
let actor: { userId: string; ip: string | null };

beforeAll(async () => {
  await db.app.transaction((tx) =>
    createTenant(tx, {
      slug: "invitations-cafe",
      name: "Café Invitations",
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      locations: [{ slug: "main", name: "Main", address: "Main st. 1" }],
    }),
  );
  const found = await findTenantBySlug("invitations-cafe", db.app);
  if (!found) throw new Error("no tenant");
  tenant = found;
  const [owner] = await db.admin.insert(users).values({ email: "owner@invitations.example" }).returning();
  if (!owner) throw new Error("no owner");
  await db.admin.insert(memberships).values({ tenantId: tenant.id, userId: owner.id, role: "owner" });
  actor = { userId: owner.id, ip: "192.0.2.10" };
});

const inCafe = <T>(work: (tx: Tx) => Promise<T>) => withTenant(tenant.id, work, db.app);

async function invite(email: string) {
  const sent = await inCafe((tx) => inviteStaff(tx, { tenant, email, role: "barista", locationIds: [], actor }));
  const token = /\/invite\/invitations-cafe\/([\w-]+)/.exec(sent.email.text)?.[1];
  if (!token) throw new Error("no link");
  return { ...sent, token };
}

const liveInvitations = (email: string) =>
  db.admin
    .select({ id: staffInvitations.id })
    .from(staffInvitations)
    .where(
      and(
        eq(staffInvitations.email, email),
        isNull(staffInvitations.acceptedAt),
        sql`${staffInvitations.expiresAt} > now()`,
      ),
    );

async function reasonOf(promise: Promise<unknown>) {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    if (error instanceof AppError) return error.reason;
    throw error;
  }
}

describe("staff invitations", () => {
  it("of two invitations of one email sent at the same moment, one stays live", async () => {
    const email = "twice@invitations.example";
    // Each transaction waits (a little) for the other before it commits: the owner's double click.
    let invited = 0;
    const attempt = () =>
      inCafe(async (tx) => {
        const sent = await inviteStaff(tx, { tenant, email, role: "barista", locationIds: [], actor });
        invited += 1;
        const deadline = Date.now() + 500;
        while (invited < 2 && Date.now() < deadline) await sleep(10);
        return sent;
      });
    const results = await Promise.allSettled([attempt(), attempt()]);
    expect(results.some((result) => result.status === "fulfilled")).toBe(true);
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason).toMatchObject({ reason: "already_invited" });
    }
    expect(await liveInvitations(email)).toHaveLength(1);
  });

  it("the data itself holds one live invitation per email and café, whatever the code above it does", async () => {
    const row = (token: string) => ({
      tenantId: tenant.id,
      email: "Raw@Invitations.example",
      role: "barista" as const,
      tokenHash: token,
      invitedBy: actor.userId,
      expiresAt: sql`now() + interval '1 hour'`,
    });
    await inCafe((tx) => tx.insert(staffInvitations).values(row("raw-1")));
    await expect(
      inCafe((tx) => tx.insert(staffInvitations).values({ ...row("raw-2"), email: "raw@invitations.example" })),
    ).rejects.toMatchObject({ cause: { code: "23505" } });
    // Once replaced (or withdrawn, or accepted) the email may be invited again.
    await db.admin
      .update(staffInvitations)
      .set({ replacedAt: sql`now()` })
      .where(eq(staffInvitations.tokenHash, "raw-1"));
    await inCafe((tx) => tx.insert(staffInvitations).values(row("raw-3")));
  });

  it("the owner withdraws a pending invitation: its link says so and accepts nothing", async () => {
    const email = "withdrawn@invitations.example";
    const { invitationId, token } = await invite(email);
    await inCafe((tx) => withdrawInvitation(tx, { tenantId: tenant.id, invitationId, actor }));
    expect(await invitationByLink(db.app, tenant.slug, token)).toEqual({
      state: "withdrawn",
      tenantName: "Café Invitations",
    });
    expect(
      await reasonOf(
        acceptInvitation(db.app, {
          tenantSlug: tenant.slug,
          token,
          signedInUserId: null,
          newAccount: { name: "Late", password: "long enough password" },
          ip: null,
        }),
      ),
    ).toBe("invitation_withdrawn");
    expect(await liveInvitations(email)).toHaveLength(0);
    const [entry] = await db.admin
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, invitationId), eq(auditLog.action, "staff.invitation_withdrawn")));
    expect(entry).toMatchObject({ action: "staff.invitation_withdrawn", actorUserId: actor.userId });
    // Withdrawing again finds nothing pending.
    expect(await reasonOf(inCafe((tx) => withdrawInvitation(tx, { tenantId: tenant.id, invitationId, actor })))).toBe(
      "invitation_not_found",
    );
  });

  it("an accepted link answers that it was accepted, and cannot be withdrawn any more", async () => {
    const { invitationId, token } = await invite("accepted@invitations.example");
    await acceptInvitation(db.app, {
      tenantSlug: tenant.slug,
      token,
      signedInUserId: null,
      newAccount: { name: "New Barista", password: "long enough password" },
      ip: null,
    });
    expect(await invitationByLink(db.app, tenant.slug, token)).toMatchObject({ state: "accepted" });
    expect(
      await reasonOf(acceptInvitation(db.app, { tenantSlug: tenant.slug, token, signedInUserId: null, ip: null })),
    ).toBe("invitation_accepted");
    expect(await reasonOf(inCafe((tx) => withdrawInvitation(tx, { tenantId: tenant.id, invitationId, actor })))).toBe(
      "invitation_accepted",
    );
  });

  it("a new account's name must be 1–100 printable characters and its password at most 200; the link stays open", async () => {
    const { token } = await invite("named@invitations.example");
    const accept = (name: string, password = "long enough password") =>
      reasonOf(
        acceptInvitation(db.app, {
          tenantSlug: tenant.slug,
          token,
          signedInUserId: null,
          newAccount: { name, password },
          ip: null,
        }),
      );
    expect(await accept("Я".repeat(10_000))).toBe("name_too_long");
    expect(await accept("x\u0000y")).toBe("name_invalid");
    expect(await accept("Ann\nAdmin")).toBe("name_invalid");
    expect(await accept("   ")).toBe("weak_password");
    expect(await accept("Ann", "p".repeat(201))).toBe("password_too_long");
    expect(await invitationByLink(db.app, tenant.slug, token)).toMatchObject({ state: "open" });
    const script = "<img src=x onerror=alert(1)>";
    expect(await accept(script)).toBe("resolved");
    const [created] = await db.admin
      .select({ name: users.name })
      .from(users)
      .where(eq(users.email, "named@invitations.example"));
    expect(created?.name).toBe(script);
  });

  it("a replaced link points to the newer one; an expired link says it expired; an unknown one is null", async () => {
    const email = "again@invitations.example";
    const first = await invite(email);
    const second = await invite(email);
    expect(await invitationByLink(db.app, tenant.slug, first.token)).toMatchObject({ state: "replaced" });
    expect(await invitationByLink(db.app, tenant.slug, second.token)).toMatchObject({ state: "open" });
    await db.admin
      .update(staffInvitations)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(staffInvitations.id, second.invitationId));
    expect(await invitationByLink(db.app, tenant.slug, second.token)).toMatchObject({ state: "expired" });
    // An expired invitation does not stand in the way of inviting the email again.
    const third = await invite(email);
    expect(await invitationByLink(db.app, tenant.slug, third.token)).toMatchObject({ state: "open" });
    expect(await invitationByLink(db.app, tenant.slug, "no-such-token")).toBeNull();
  });
});
