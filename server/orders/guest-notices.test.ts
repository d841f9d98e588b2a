import { execFileSync } from "node:child_process";
import { createECDH, createPublicKey, randomBytes, verify } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { Agent, createServer, type Server } from "node:https";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import webpush from "web-push";
import { withTenant } from "@/db/client";
import { emailOutbox, locations, menuCategories, orderNotices, products, pushSubscriptions } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { enrolGuest } from "../loyalty/guests";
import { loadProgram } from "../loyalty/program";
import { createTenant } from "../tenants/create";
import {
  type DeliveryOptions,
  deliverOrderNotice,
  deliverStrayOrderNotices,
  type PushConfig,
  pushEndpointAllowed,
  savePushSubscription,
} from "./guest-notices";
import { placeOrder } from "./place";
import type { OrderStatus } from "./queries";
import { transitionOrder } from "./transitions";

// http_ece (web-push's own encryption) has no types; the test decrypts with it as a browser would.
const ece = createRequire(import.meta.url)("http_ece") as {
  decrypt: (body: Buffer, params: { version: string; privateKey: unknown; authSecret: string }) => Buffer;
};

const db = await testDatabase();
/** 09:00 in Moscow on Monday 4 March 2030: far from the real clock, so the slots are deterministic. */
const morning = new Date(Date.UTC(2030, 2, 4, 6, 0));
const vapid = webpush.generateVAPIDKeys();
const push: NonNullable<PushConfig> = {
  publicKey: vapid.publicKey,
  privateKey: vapid.privateKey,
  subject: "mailto:ops@notices.test",
};
const quiet: DeliveryOptions = { email: {}, push };

let tenantId = "";
let guestId = "";
let orderCount = 0;
const GUEST_EMAIL = "guest@notices.test";

type Received = { path: string; headers: IncomingHttpHeaders; body: Buffer };
const received: Received[] = [];
let server: Server;
let base = "";

beforeAll(async () => {
  // The local push service: answers 201 like a real one, and 410 for an expired subscription.
  // A real push service speaks https: a throwaway self-signed certificate, trusted by our agent only.
  const folder = mkdtempSync(path.join(tmpdir(), "push-service-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      path.join(folder, "key.pem"),
      "-out",
      path.join(folder, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  const tls = { key: readFileSync(path.join(folder, "key.pem")), cert: readFileSync(path.join(folder, "cert.pem")) };
  push.agent = new Agent({ ca: tls.cert });
  server = createServer(tls, (request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(request.url?.startsWith("/gone") ? 410 : 201).end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const created = await db.app.transaction((tx) =>
    createTenant(tx, {
      slug: "notices-cafe",
      name: "Notices café",
      currency: "RUB",
      timezone: "Europe/Moscow",
      locale: "ru",
      locations: [{ slug: "main", name: "Зерно на Тверской", address: "Main st. 1" }],
    }),
  );
  tenantId = created.tenant.id;
  guestId = await withTenant(
    tenantId,
    async (tx) => {
      const [category] = await tx.insert(menuCategories).values({ tenantId, slug: "coffee", name: "Кофе" }).returning();
      if (!category) throw new Error("no category");
      await tx
        .insert(products)
        .values({ tenantId, categoryId: category.id, sku: "latte", name: "Латте", price: 25_000, prepMinutes: 3 });
      const guest = await enrolGuest(tx, await loadProgram(tx), {
        tenantId,
        phone: "+79261112244",
        email: GUEST_EMAIL,
        channel: "online",
        actor: { kind: "guest" },
      });
      return guest.id;
    },
    db.app,
  );
});

afterAll(async () => {
  server.close();
});

async function placeAndAccept(): Promise<{ id: string; pickupCode: string }> {
  orderCount += 1;
  return withTenant(
    tenantId,
    async (tx) => {
      const program = await loadProgram(tx);
      const [location] = await tx.select({ id: locations.id }).from(locations).limit(1);
      const { order } = await placeOrder(tx, program, {
        tenantId,
        guestId,
        locationId: location?.id ?? "",
        items: [{ productSku: "latte", quantity: 1 }],
        pickup: "asap",
        pointsToUse: 0,
        idempotencyKey: `notices-${orderCount}`,
        now: morning,
      });
      await transitionOrder(tx, program, { orderId: order.id, to: "accepted", actor: { kind: "staff" } });
      return { id: order.id, pickupCode: order.pickupCode };
    },
    db.app,
  );
}

/** One barista's tap: the move in its own transaction, then the delivery once it committed. */
async function tap(orderId: string, to: OrderStatus, reason?: string) {
  const result = await withTenant(
    tenantId,
    async (tx) => transitionOrder(tx, await loadProgram(tx), { orderId, to, reason, actor: { kind: "staff" } }),
    db.app,
  );
  return result.noticeId ? deliverOrderNotice(db.app, tenantId, result.noticeId, quiet) : null;
}

const mailsAbout = (pickupCode: string) =>
  db.admin
    .select({ subject: emailOutbox.subject, text: emailOutbox.text })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, GUEST_EMAIL), like(emailOutbox.subject, `%${pickupCode}%`)));

/** A browser's side of a subscription: its ECDH key pair and auth secret. */
function browser(path: string) {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16).toString("base64url");
  return {
    ecdh,
    auth,
    subscription: { endpoint: `${base}${path}`, keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth } },
  };
}

describe("telling the guest their order is ready", () => {
  it("emails the guest once per state change, even when two baristas tap 'ready' at once", async () => {
    const order = await placeAndAccept();
    const taps = await Promise.allSettled([tap(order.id, "ready"), tap(order.id, "ready")]);
    // One tap moves the order; the other finds it ready already (409), so owes nothing.
    expect(taps.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const mails = await mailsAbout(order.pickupCode);
    expect(mails.map((mail) => mail.subject)).toEqual([`Заказ ${order.pickupCode} готов`]);
    expect(mails[0]?.text).toContain("Зерно на Тверской");
    expect(mails[0]?.text).toContain(`/notices-cafe/orders/${order.id}`);
    // Picking it up tells the guest nothing new (they are at the counter).
    await tap(order.id, "picked_up");
    expect(await mailsAbout(order.pickupCode)).toHaveLength(1);
  });

  it("a notice owed once is delivered once, whoever races to send it (the request and the sweeper)", async () => {
    const order = await placeAndAccept();
    const noticeId = await withTenant(
      tenantId,
      async (tx) =>
        (await transitionOrder(tx, await loadProgram(tx), { orderId: order.id, to: "ready", actor: { kind: "staff" } }))
          .noticeId,
      db.app,
    );
    if (!noticeId) throw new Error("no notice owed");
    const senders = await Promise.all(
      Array.from({ length: 4 }, () => deliverOrderNotice(db.app, tenantId, noticeId, quiet)),
    );
    expect(senders.filter((sent) => sent !== null)).toEqual([{ email: true, pushed: 0 }]);
    expect(await mailsAbout(order.pickupCode)).toHaveLength(1);
  });

  it("tells the guest when the café cancels, not when the guest cancels", async () => {
    const byCafe = await placeAndAccept();
    await tap(byCafe.id, "cancelled", "Закончилось молоко");
    expect((await mailsAbout(byCafe.pickupCode)).map((mail) => mail.subject)).toEqual([
      `Заказ ${byCafe.pickupCode} отменён кафе`,
    ]);
    expect((await mailsAbout(byCafe.pickupCode))[0]?.text).toContain("Закончилось молоко");

    orderCount += 1;
    const own = await withTenant(
      tenantId,
      async (tx) => {
        const program = await loadProgram(tx);
        const [location] = await tx.select({ id: locations.id }).from(locations).limit(1);
        const { order } = await placeOrder(tx, program, {
          tenantId,
          guestId,
          locationId: location?.id ?? "",
          items: [{ productSku: "latte", quantity: 1 }],
          pickup: "asap",
          pointsToUse: 0,
          idempotencyKey: `notices-${orderCount}`,
          now: morning,
        });
        return transitionOrder(tx, program, { orderId: order.id, to: "cancelled", actor: { kind: "guest", guestId } });
      },
      db.app,
    );
    expect(own.noticeId).toBeNull();
  });

  it("pushes to the guest's browser once: VAPID-signed, aes128gcm, and the payload decrypts", async () => {
    const phone = browser("/push/phone");
    await withTenant(
      tenantId,
      (tx) => savePushSubscription(tx, { tenantId, guestId, subscription: phone.subscription }),
      db.app,
    );
    received.length = 0;
    const order = await placeAndAccept();
    const taps = await Promise.allSettled([tap(order.id, "ready"), tap(order.id, "ready")]);
    expect(taps.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []))).toEqual([
      { email: true, pushed: 1 },
    ]);
    expect(received).toHaveLength(1);
    const [delivery] = received;
    if (!delivery) throw new Error("nothing pushed");
    expect(delivery.path).toBe("/push/phone");
    expect(delivery.headers["content-encoding"]).toBe("aes128gcm");
    expect(delivery.headers.urgency).toBe("high");

    // Authorization: vapid t=<ES256 JWT for the push service's origin>, k=<our public key>.
    const match = /^vapid t=([^,]+), k=(.+)$/.exec(delivery.headers.authorization ?? "");
    expect(match?.[2]).toBe(vapid.publicKey);
    const [head, claims, signature] = (match?.[1] ?? "").split(".");
    expect(JSON.parse(Buffer.from(head ?? "", "base64url").toString())).toMatchObject({ alg: "ES256" });
    expect(JSON.parse(Buffer.from(claims ?? "", "base64url").toString())).toMatchObject({
      aud: base,
      sub: push.subject,
    });
    const raw = Buffer.from(vapid.publicKey, "base64url");
    const key = createPublicKey({
      key: {
        kty: "EC",
        crv: "P-256",
        x: raw.subarray(1, 33).toString("base64url"),
        y: raw.subarray(33).toString("base64url"),
      },
      format: "jwk",
    });
    const signed = verify(
      "sha256",
      Buffer.from(`${head}.${claims}`),
      { key, dsaEncoding: "ieee-p1363" },
      Buffer.from(signature ?? "", "base64url"),
    );
    expect(signed).toBe(true);

    const payload = JSON.parse(
      ece.decrypt(delivery.body, { version: "aes128gcm", privateKey: phone.ecdh, authSecret: phone.auth }).toString(),
    );
    expect(payload).toMatchObject({
      title: `Заказ ${order.pickupCode} готов`,
      url: expect.stringContaining(`/notices-cafe/orders/${order.id}`),
      tag: `order-${order.id}`,
    });
  });

  it("forgets a subscription the push service says is gone (410)", async () => {
    const gone = browser("/gone/old-laptop");
    await withTenant(
      tenantId,
      (tx) => savePushSubscription(tx, { tenantId, guestId, subscription: gone.subscription }),
      db.app,
    );
    const order = await placeAndAccept();
    expect(await tap(order.id, "ready")).toEqual({ email: true, pushed: 1 });
    const left = await withTenant(
      tenantId,
      (tx) => tx.select({ endpoint: pushSubscriptions.endpoint }).from(pushSubscriptions),
      db.app,
    );
    expect(left.map((row) => row.endpoint)).toEqual([`${base}/push/phone`]);
  });

  it("the sweeper delivers a notice its server never sent, and nothing twice", async () => {
    const order = await placeAndAccept();
    const noticeId = await withTenant(
      tenantId,
      async (tx) =>
        (await transitionOrder(tx, await loadProgram(tx), { orderId: order.id, to: "ready", actor: { kind: "staff" } }))
          .noticeId,
      db.app,
    );
    // As if the server had stopped 30 seconds ago, right after the commit.
    await withTenant(
      tenantId,
      (tx) =>
        tx
          .update(orderNotices)
          .set({ createdAt: new Date(Date.now() - 30_000) })
          .where(eq(orderNotices.id, noticeId ?? "")),
      db.app,
    );
    expect(await deliverStrayOrderNotices(db.app, quiet)).toBe(1);
    expect(await deliverStrayOrderNotices(db.app, quiet)).toBe(0);
    expect(await mailsAbout(order.pickupCode)).toHaveLength(1);
  });

  it("keeps only https push endpoints", () => {
    expect(pushEndpointAllowed("https://fcm.googleapis.com/fcm/send/abc")).toBe(true);
    expect(pushEndpointAllowed("http://169.254.169.254/latest")).toBe(false);
    expect(pushEndpointAllowed("file:///etc/passwd")).toBe(false);
    expect(pushEndpointAllowed("not a url")).toBe(false);
  });
});
