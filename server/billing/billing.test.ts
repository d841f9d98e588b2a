import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { POST as webhookRoute } from "@/app/api/stripe/webhook/route";
import { type Tx, withTenant } from "@/db/client";
import { auditLog, memberships, stripeEvents, subscriptions, users } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { applyEnv } from "../env";
import { AppError } from "../errors";
import { inviteStaff } from "../staff/invitations";
import { createTenant } from "../tenants/create";
import { addLocation, archiveLocation } from "../tenants/locations";
import type { TenantSummary } from "../tenants/queries";
import { tenantsReport } from "../tenants/report";
import { confirmCheckout, openPortal, startCheckout, syncLocationQuantity } from "./checkout";
import { accessOf, assertCanAddLocation, assertFeature, tenantBilling } from "./entitlements";
import { stripeProvider } from "./stripe";
import { type FakeStripeEvent, startFakeStripe } from "./testing/fake-stripe";

const db = await testDatabase();
const stripe = await startFakeStripe({ webhookSecret: "whsec_billing_test" });
const BILLING_ON = {
  APP_DATABASE_URL: db.appUrl,
  STRIPE_SECRET_KEY: "sk_test_billing",
  STRIPE_WEBHOOK_SECRET: "whsec_billing_test",
  STRIPE_API_BASE: stripe.url,
};
applyEnv(BILLING_ON);
afterAll(async () => {
  await stripe.close();
  await (globalThis as { zernoDb?: { client: { end: () => Promise<void> } } }).zernoDb?.client.end();
});
beforeEach(() => {
  applyEnv(BILLING_ON);
});

type Cafe = { tenant: TenantSummary; ownerId: string; ownerEmail: string; locationIds: string[] };

async function cafe(options: { plan?: "start" | "pro" | "chain"; locations?: number } = {}): Promise<Cafe> {
  const slug = `bill-${randomUUID().slice(0, 8)}`;
  const { tenant, locations } = await db.app.transaction((tx) =>
    createTenant(tx, {
      slug,
      name: `Café ${slug}`,
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      locations: Array.from({ length: options.locations ?? 1 }, (_, i) => ({
        slug: `loc-${i + 1}`,
        name: `Location ${i + 1}`,
        address: `${i + 1} Main Street`,
      })),
    }),
  );
  if (options.plan) {
    await db.admin.update(subscriptions).set({ plan: options.plan }).where(eq(subscriptions.tenantId, tenant.id));
  }
  const ownerEmail = `owner@${slug}.example`;
  const [owner] = await db.app.insert(users).values({ email: ownerEmail }).returning({ id: users.id });
  if (!owner) throw new Error("no owner");
  await in_(tenant, (tx) => tx.insert(memberships).values({ tenantId: tenant.id, userId: owner.id, role: "owner" }));
  return { tenant, ownerId: owner.id, ownerEmail, locationIds: locations.map((location) => location.id) };
}

const in_ = <T>(tenant: { id: string }, work: (tx: Tx) => Promise<T>) => withTenant(tenant.id, work, db.app);

const stored = async (tenantId: string) => {
  const [row] = await db.admin.select().from(subscriptions).where(eq(subscriptions.tenantId, tenantId));
  if (!row) throw new Error("no subscription row");
  return row;
};

/** Starts and pays a checkout (events kept, not delivered), then returns to the success page. */
async function subscribe(c: Cafe, plan: "start" | "pro" | "chain" = "pro") {
  const provider = stripeProvider();
  const { url } = await in_(c.tenant, (tx) =>
    startCheckout(db.app, tx, provider, {
      tenant: c.tenant,
      plan,
      interval: "month",
      actor: { userId: c.ownerId, email: c.ownerEmail, ip: null },
    }),
  );
  const sessionId = url.split("/").pop() ?? "";
  const paid = await stripe.completeCheckout(sessionId, { deliver: false });
  return { sessionId, ...paid };
}

/** Posts an event to the webhook route as Stripe would (signed now unless told otherwise). */
async function deliver(event: FakeStripeEvent, options: { signature?: string | null; timestamp?: number } = {}) {
  const signed = stripe.sign(event, { timestamp: options.timestamp });
  const headers = new Headers({ "content-type": "application/json" });
  const signature = options.signature === undefined ? signed.signature : options.signature;
  if (signature !== null) headers.set("stripe-signature", signature);
  const response = await webhookRoute(
    new Request("http://localhost/api/stripe/webhook", { method: "POST", headers, body: signed.body }),
  );
  return { status: response.status, body: (await response.json()) as { outcome?: string } };
}

describe("Checkout", () => {
  it("makes one customer per café even for two checkouts at once, bills every active location, and the return page makes the plan live before any webhook", async () => {
    const c = await cafe({ locations: 2 });
    const provider = stripeProvider();
    const start = () =>
      in_(c.tenant, (tx) =>
        startCheckout(db.app, tx, provider, {
          tenant: c.tenant,
          plan: "pro",
          interval: "year",
          actor: { userId: c.ownerId, email: c.ownerEmail, ip: null },
        }),
      );
    const [first, second] = await Promise.all([start(), start()]);
    const customers = [...stripe.customers.values()].filter(
      (customer) => (customer.metadata as { tenant_id?: string }).tenant_id === c.tenant.id,
    );
    expect(customers).toHaveLength(1);
    const sessionId = first.url.split("/").pop() ?? "";
    expect(second.url).not.toBe(first.url);
    const session = stripe.sessions.get(sessionId);
    expect(session?.customer).toBe(customers[0]?.id);
    expect(session?.client_reference_id).toBe(c.tenant.id);
    expect((session?.__line_items as { quantity: string }[] | undefined)?.[0]?.quantity).toBe("2");
    expect((await stored(c.tenant.id)).status).toBe("trialing");

    // Not paid yet: the return page changes nothing.
    expect(await in_(c.tenant, (tx) => confirmCheckout(tx, provider, { tenant: c.tenant, sessionId }))).toBe("pending");
    await stripe.completeCheckout(sessionId, { deliver: false });
    expect(await in_(c.tenant, (tx) => confirmCheckout(tx, provider, { tenant: c.tenant, sessionId }))).toBe("synced");
    const row = await stored(c.tenant.id);
    expect(row).toMatchObject({ status: "active", plan: "pro", quantity: 2, billingInterval: "year" });
    expect(row.currentPeriodEnd?.getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
  });

  it("a customer the provider no longer knows (deleted in its dashboard) is made again, once, for Checkout and the portal", async () => {
    const c = await cafe();
    const provider = stripeProvider();
    const actor = { userId: c.ownerId, email: c.ownerEmail, ip: null };
    await db.admin
      .update(subscriptions)
      .set({ provider: "stripe", providerCustomerId: "cus_deleted_at_stripe" })
      .where(eq(subscriptions.tenantId, c.tenant.id));
    const portals = await Promise.all([
      openPortal(db.app, provider, { tenant: c.tenant, actor }),
      openPortal(db.app, provider, { tenant: c.tenant, actor }),
    ]);
    const replacement = (await stored(c.tenant.id)).providerCustomerId;
    expect(replacement).not.toBe("cus_deleted_at_stripe");
    expect(stripe.customers.has(replacement ?? "")).toBe(true);
    for (const portal of portals) expect(portal.url).toContain(`customer=${replacement}`);
    const made = [...stripe.customers.values()].filter(
      (customer) => (customer.metadata as { tenant_id?: string }).tenant_id === c.tenant.id,
    );
    expect(made).toHaveLength(1);
    const audited = await db.admin
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, c.tenant.id), eq(auditLog.action, "billing.customer_replaced")));
    expect(audited).toHaveLength(1);
    // Checkout the same way.
    await db.admin
      .update(subscriptions)
      .set({ providerCustomerId: "cus_gone_again" })
      .where(eq(subscriptions.tenantId, c.tenant.id));
    const { url } = await in_(c.tenant, (tx) =>
      startCheckout(db.app, tx, provider, { tenant: c.tenant, plan: "pro", interval: "month", actor }),
    );
    const session = stripe.sessions.get(url.split("/").pop() ?? "");
    expect(session?.customer).toBe((await stored(c.tenant.id)).providerCustomerId);
    expect(session?.customer).not.toBe("cus_gone_again");
  });

  it("refuses a plan smaller than the café (Start for two locations), naming the plan that fits", async () => {
    const c = await cafe({ locations: 2 });
    const refusal = await in_(c.tenant, (tx) =>
      startCheckout(db.app, tx, stripeProvider(), {
        tenant: c.tenant,
        plan: "start",
        interval: "month",
        actor: { userId: c.ownerId, email: c.ownerEmail, ip: null },
      }),
    ).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ reason: "plan_too_small", details: { allowedBy: "pro" } });
  });

  it("refuses a second Checkout while the café's subscription is live (a plan change goes through the portal)", async () => {
    const c = await cafe();
    const { sessionId } = await subscribe(c);
    await in_(c.tenant, (tx) => confirmCheckout(tx, stripeProvider(), { tenant: c.tenant, sessionId }));
    const again = await in_(c.tenant, (tx) =>
      startCheckout(db.app, tx, stripeProvider(), {
        tenant: c.tenant,
        plan: "chain",
        interval: "month",
        actor: { userId: c.ownerId, email: c.ownerEmail, ip: null },
      }),
    ).catch((error: unknown) => error);
    expect(again).toMatchObject({ reason: "subscription_exists" });
    expect(
      [...stripe.subscriptions.values()].filter((s) => s.customer === stripe.sessions.get(sessionId)?.customer),
    ).toHaveLength(1);
  });

  it("a return page naming another café's session changes nothing", async () => {
    const mine = await cafe();
    const theirs = await cafe();
    const { sessionId } = await subscribe(theirs);
    const outcome = await in_(mine.tenant, (tx) =>
      confirmCheckout(tx, stripeProvider(), { tenant: mine.tenant, sessionId }),
    );
    expect(outcome).toBe("pending");
    expect((await stored(mine.tenant.id)).status).toBe("trialing");
  });
});

describe("the webhook", () => {
  it("refuses a missing or wrong signature and one older than 300 s with 400, changing nothing", async () => {
    const c = await cafe();
    const { events } = await subscribe(c);
    const completed = events.find((event) => event.type === "checkout.session.completed");
    if (!completed) throw new Error("no event");
    const before = await stored(c.tenant.id);
    const wrongSecret = stripe.sign(completed, { secret: "whsec_someone_else" }).signature;
    const replies = [
      await deliver(completed, { signature: null }),
      await deliver(completed, { signature: "t=1,v1=deadbeef" }),
      await deliver(completed, { signature: wrongSecret }),
      await deliver(completed, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
    ];
    expect(replies.map((reply) => reply.status)).toEqual([400, 400, 400, 400]);
    expect(await stored(c.tenant.id)).toEqual(before);
    const [seen] = await db.admin.select().from(stripeEvents).where(eq(stripeEvents.id, completed.id));
    expect(seen).toBeUndefined();
    // Signed within the tolerance it applies.
    expect(await deliver(completed, { timestamp: Math.floor(Date.now() / 1000) - 250 })).toMatchObject({
      status: 200,
      body: { outcome: "applied" },
    });
    expect((await stored(c.tenant.id)).status).toBe("active");
  });

  it("applies the same event delivered 5 times at once exactly once", async () => {
    const c = await cafe();
    const { events } = await subscribe(c);
    const paid = events.find((event) => event.type === "invoice.paid");
    if (!paid) throw new Error("no event");
    const listsBefore = stripe.requests.filter((request) => request.path === "/v1/subscriptions").length;
    const replies = await Promise.all(Array.from({ length: 5 }, () => deliver(paid)));
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 200]);
    expect(replies.map((reply) => reply.body.outcome).sort()).toEqual([
      "applied",
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
    ]);
    // Stripe was asked once; the café's log says "invoice paid" once.
    expect(stripe.requests.filter((request) => request.path === "/v1/subscriptions").length - listsBefore).toBe(1);
    const audited = await db.admin
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, c.tenant.id), eq(auditLog.action, "billing.invoice_paid")));
    expect(audited).toHaveLength(1);
    expect((await stored(c.tenant.id)).status).toBe("active");
  });

  it("subscription.updated arriving before checkout.session.completed ends in Stripe's state", async () => {
    const c = await cafe();
    const { events, subscription } = await subscribe(c);
    const completed = events.find((event) => event.type === "checkout.session.completed");
    if (!completed) throw new Error("no event");
    const updated = await stripe.updateSubscription(
      String(subscription.id),
      { status: "past_due" },
      { deliver: false },
    );
    expect((await deliver(updated)).body.outcome).toBe("applied");
    expect((await deliver(completed)).body.outcome).toBe("applied");
    const row = await stored(c.tenant.id);
    expect(row.status).toBe("past_due");
    expect(row.pastDueSince).not.toBeNull();
    expect(row.providerSubscriptionId).toBe(subscription.id);
    expect(await in_(c.tenant, (tx) => tenantBilling(tx))).toMatchObject({ access: "grace" });
  });

  it("deleted, then a late updated: the café stays canceled", async () => {
    const c = await cafe();
    const { subscription, events } = await subscribe(c);
    for (const event of events) await deliver(event);
    const stale = stripe.makeEvent("customer.subscription.updated", { ...subscription, status: "active" });
    const deleted = await stripe.updateSubscription(
      String(subscription.id),
      { status: "canceled" },
      { deliver: false },
    );
    expect((await deliver(deleted)).body.outcome).toBe("applied");
    expect((await deliver(stale)).body.outcome).toBe("applied");
    expect((await stored(c.tenant.id)).status).toBe("canceled");
    expect(await in_(c.tenant, (tx) => tenantBilling(tx))).toMatchObject({ access: "read_only" });
  });

  it("answers 200 to an event type it does not handle, and to a customer it does not know", async () => {
    const unknownType = stripe.makeEvent("customer.tax_id.created", { id: "txi_1", customer: "cus_x" });
    expect(await deliver(unknownType)).toMatchObject({ status: 200, body: { outcome: "ignored" } });
    const stranger = stripe.makeEvent("invoice.paid", { id: "in_1", customer: "cus_nobody" });
    expect(await deliver(stranger)).toMatchObject({ status: 200, body: { outcome: "unknown_customer" } });
  });

  it("answers 404 while billing is off", async () => {
    applyEnv({ STRIPE_SECRET_KEY: undefined });
    const event = stripe.makeEvent("invoice.paid", { id: "in_2", customer: "cus_x" });
    expect((await deliver(event)).status).toBe(404);
  });
});

describe("entitlements in the domain", () => {
  it("Start: a second location is refused by the domain function, naming Pro", async () => {
    const c = await cafe({ plan: "start" });
    const actor = { userId: c.ownerId, ip: null };
    const refusal = await in_(c.tenant, (tx) =>
      addLocation(tx, {
        tenantId: c.tenant.id,
        slug: "second",
        name: "Second",
        address: "2",
        timezone: "Europe/Moscow",
        actor,
      }),
    ).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: "forbidden", reason: "plan_limit", details: { allowedBy: "pro", limit: 1 } });
    // With billing off every café is unlimited.
    applyEnv({ STRIPE_SECRET_KEY: undefined });
    await in_(c.tenant, (tx) =>
      addLocation(tx, {
        tenantId: c.tenant.id,
        slug: "second",
        name: "Second",
        address: "2",
        timezone: "Europe/Moscow",
        actor,
      }),
    );
  });

  it("Start: the 4th staff seat (members and open invitations) is refused; inviting the same email again is not a new seat", async () => {
    const c = await cafe({ plan: "start" });
    const actor = { userId: c.ownerId, ip: null };
    const invite = (email: string) =>
      in_(c.tenant, (tx) => inviteStaff(tx, { tenant: c.tenant, email, role: "manager", locationIds: [], actor }));
    await invite("one@example.com");
    await invite("two@example.com");
    await invite("two@example.com");
    const refusal = await invite("three@example.com").catch((error: unknown) => error);
    expect(refusal).toMatchObject({ reason: "plan_limit", details: { what: "staff", allowedBy: "pro", limit: 3 } });
  });

  it("a location opened while another one for the last place is not yet committed waits for it, then is refused", async () => {
    const c = await cafe({ plan: "pro", locations: 4 });
    const actor = { userId: c.ownerId, ip: null };
    const add = (tx: Tx, slug: string) =>
      addLocation(tx, { tenantId: c.tenant.id, slug, name: slug, address: "5", timezone: "Europe/Moscow", actor });
    let commitFirst = () => {};
    const firstMayCommit = new Promise<void>((resolve) => {
      commitFirst = resolve;
    });
    let firstAdded = () => {};
    const added = new Promise<void>((resolve) => {
      firstAdded = resolve;
    });
    const first = in_(c.tenant, async (tx) => {
      await add(tx, "fifth-a");
      firstAdded();
      await firstMayCommit;
    });
    await added;
    const second = in_(c.tenant, (tx) => add(tx, "fifth-b")).then(
      () => "opened",
      (error: unknown) => (error as AppError).reason,
    );
    // Without the lock the second would count 4 (the first is uncommitted) and open a sixth.
    await new Promise((resolve) => setTimeout(resolve, 300));
    commitFirst();
    await first;
    expect(await second).toBe("plan_limit");
  });

  it("Start has no online storefront: placing an order is refused; Pro has it", async () => {
    const start = await cafe({ plan: "start" });
    await expect(in_(start.tenant, (tx) => assertFeature(tx, "storefront"))).rejects.toMatchObject({
      reason: "plan_limit",
      details: { what: "storefront", allowedBy: "pro" },
    });
    const pro = await cafe({ plan: "pro" });
    await in_(pro.tenant, (tx) => assertFeature(tx, "storefront"));
  });

  it("read-only after the trial: no new location either", async () => {
    const c = await cafe({ plan: "chain" });
    await db.admin
      .update(subscriptions)
      .set({ trialEndsAt: new Date(Date.now() - 1000) })
      .where(eq(subscriptions.tenantId, c.tenant.id));
    await expect(in_(c.tenant, (tx) => assertCanAddLocation(tx))).rejects.toMatchObject({
      code: "payment_required",
      reason: "subscription_inactive",
    });
  });

  it("access: past_due works 7 days, then read-only; an incomplete first payment keeps a running trial", () => {
    const now = new Date("2026-12-07T12:00:00Z");
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    const row = (status: string, extra: { trialEndsAt?: Date | null; pastDueSince?: Date | null } = {}) =>
      accessOf({ status: status as "active", trialEndsAt: null, pastDueSince: null, ...extra }, now);
    expect(row("active")).toBe("active");
    expect(row("past_due", { pastDueSince: daysAgo(6.9) })).toBe("grace");
    expect(row("past_due", { pastDueSince: daysAgo(7.01) })).toBe("read_only");
    expect(row("trialing", { trialEndsAt: daysAgo(-1) })).toBe("active");
    expect(row("trialing", { trialEndsAt: daysAgo(0.001) })).toBe("read_only");
    expect(row("incomplete", { trialEndsAt: daysAgo(-3) })).toBe("active");
    expect(row("incomplete")).toBe("read_only");
    expect(row("unpaid")).toBe("read_only");
    expect(row("canceled")).toBe("read_only");
  });
});

describe("locations and the billed quantity", () => {
  it("adding and archiving a location changes the subscription's quantity at Stripe and in the café's row", async () => {
    const c = await cafe({ locations: 1 });
    const { subscription, events } = await subscribe(c);
    for (const event of events) await deliver(event);
    const provider = stripeProvider();
    const actor = { userId: c.ownerId, ip: null };
    const added = await in_(c.tenant, (tx) =>
      addLocation(tx, {
        tenantId: c.tenant.id,
        slug: "second",
        name: "Second",
        address: "2",
        timezone: "Europe/Moscow",
        actor,
      }),
    );
    await syncLocationQuantity(db.app, provider, c.tenant.id);
    const item = () =>
      (stripe.subscriptions.get(String(subscription.id))?.items as { data: { quantity: number }[] } | undefined)
        ?.data[0];
    expect(item()?.quantity).toBe(2);
    expect((await stored(c.tenant.id)).quantity).toBe(2);
    await in_(c.tenant, (tx) => archiveLocation(tx, { tenantId: c.tenant.id, locationId: added.id, actor }));
    await syncLocationQuantity(db.app, provider, c.tenant.id);
    expect(item()?.quantity).toBe(1);
    expect((await stored(c.tenant.id)).quantity).toBe(1);
    const [{ n } = { n: 0 }] = await db.admin.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where tenant_id = ${c.tenant.id} and action = 'billing.subscription_changed'`,
    );
    expect(n).toBeGreaterThanOrEqual(3);
  });

  it("the last open location cannot be archived", async () => {
    const c = await cafe({ locations: 1 });
    const refusal = await in_(c.tenant, (tx) =>
      archiveLocation(tx, {
        tenantId: c.tenant.id,
        locationId: c.locationIds[0] ?? "",
        actor: { userId: c.ownerId, ip: null },
      }),
    ).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ reason: "last_location" });
  });
});

describe("the operator's tenant list", () => {
  it("shows each café's plan, status, access, open locations and last receipt", async () => {
    const paying = await cafe({ locations: 2 });
    const { events } = await subscribe(paying, "pro");
    for (const event of events) await deliver(event);
    const lapsed = await cafe({ plan: "start" });
    await db.admin
      .update(subscriptions)
      .set({ trialEndsAt: new Date(Date.now() - 1000) })
      .where(eq(subscriptions.tenantId, lapsed.tenant.id));
    const rows = await tenantsReport(db.admin);
    expect(rows.find((row) => row.slug === paying.tenant.slug)).toMatchObject({
      plan: "pro",
      status: "active",
      access: "active",
      locations: 2,
      lastReceiptAt: null,
    });
    expect(rows.find((row) => row.slug === lapsed.tenant.slug)).toMatchObject({
      plan: "start",
      status: "trialing",
      access: "read_only",
      locations: 1,
    });
  });
});
