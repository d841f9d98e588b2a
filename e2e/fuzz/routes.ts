// Hostile requests for every route handler under app/ (route.ts files). ROUTE_CASES has one entry
// per route file; routeFiles() lists them from the tree, so a new route without cases fails the run.
import { createHmac } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import type { FuzzRequest } from "./harness";
import type { KnownIds } from "./schema";
import { NASTY_STRINGS, ONE_MB, PATH_SEGMENTS, RAW_BODIES, SCRIPT_PAYLOADS } from "./values";

/** What the cases need: who is signed in, the café and its rows, the server's address. */
export type FuzzContext = {
  origin: string;
  slug: string;
  staffCookie: string;
  guestCookie: string;
  posKey: string;
  ids: KnownIds;
  webhookSecret: string;
};

export type FuzzCase = { label: string; request: FuzzRequest };

/** Every route handler file under app/, as its path without `/route.ts` (`api/health`). */
export function routeFiles(appDir = path.resolve("app")): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^route\.(ts|tsx|js)$/.test(entry.name))
        found.push(path.relative(appDir, dir).split(path.sep).join("/"));
    }
  };
  walk(appDir);
  return found.sort();
}

const sameOrigin = (ctx: FuzzContext) => ({ origin: ctx.origin, "sec-fetch-site": "same-origin" });

/** The same request under each hostile value of one path segment. */
function segmentCases(label: string, build: (segment: string) => FuzzRequest): FuzzCase[] {
  return PATH_SEGMENTS.map(({ label: kind, segment }) => ({ label: `${label}:${kind}`, request: build(segment) }));
}

/** A POST with each raw body, and a few hostile content types. */
function bodyCases(label: string, request: Omit<FuzzRequest, "body">): FuzzCase[] {
  return [
    ...RAW_BODIES.map(({ label: kind, body }) => ({
      label: `${label}:${kind}`,
      request: { ...request, body, headers: { "content-type": "application/json", ...request.headers } },
    })),
    ...["text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "image/svg+xml"].map(
      (type) => ({
        label: `${label}:type=${type}`,
        request: { ...request, body: "a=1&<script>=2", headers: { ...request.headers, "content-type": type } },
      }),
    ),
  ];
}

/** A body with no declared length (chunked), of `bytes` bytes. */
export function chunkedBody(bytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const size = Math.min(64 * 1024, bytes - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(0x41));
    },
  });
}

function signStripe(body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

/** Stripe events with a valid signature whose content is broken: only the app's parsing stands between them and the database. */
function signedWebhookCases(ctx: FuzzContext): FuzzCase[] {
  const events: { label: string; body: string }[] = [
    ...RAW_BODIES.filter(({ label }) => label !== "one-mb-string").map(({ label, body }) => ({ label, body })),
    { label: "no-data", body: JSON.stringify({ id: "evt_fuzz_1", type: "customer.subscription.updated" }) },
    { label: "no-id", body: JSON.stringify({ type: "invoice.paid", data: { object: { customer: "cus_x" } } }) },
    { label: "object-null", body: JSON.stringify({ id: "evt_fuzz_2", type: "invoice.paid", data: { object: null } }) },
    { label: "id-number", body: JSON.stringify({ id: 12, type: "invoice.paid", data: { object: {} } }) },
    { label: "id-nul", body: JSON.stringify({ id: "evt_\u0000", type: "invoice.paid", data: { object: {} } }) },
    {
      label: "id-1MB",
      body: JSON.stringify({ id: `evt_${"x".repeat(100_000)}`, type: "invoice.paid", data: { object: {} } }),
    },
    { label: "type-array", body: JSON.stringify({ id: "evt_fuzz_3", type: ["invoice.paid"], data: { object: {} } }) },
    ...[
      "customer.subscription.updated",
      "invoice.paid",
      "invoice.payment_failed",
      "checkout.session.completed",
    ].flatMap((type, index) =>
      [
        { customer: "cus_\u0000" },
        { customer: { id: "cus_\u0000" } },
        { customer: "x".repeat(10_000) },
        { customer: SCRIPT_PAYLOADS[0] },
        { customer: 12 },
        { customer: "cus_fuzz_unknown", client_reference_id: ctx.ids.tenantId ?? "x" },
        { customer: "cus_fuzz_unknown", client_reference_id: "00000000-0000-0000-0000-000000000000" },
        { customer: "cus_fuzz_unknown", client_reference_id: "\u0000" },
      ].map((object, variant) => ({
        label: `${type}#${variant}`,
        body: JSON.stringify({ id: `evt_fuzz_${index}_${variant}_${Date.now()}`, type, data: { object } }),
      })),
    ),
  ];
  return events.map(({ label, body }) => ({
    label: `webhook:signed:${label}`,
    request: {
      method: "POST",
      path: "/api/stripe/webhook",
      headers: { "content-type": "application/json", "stripe-signature": signStripe(body, ctx.webhookSecret) },
      body,
      errorFormat: "json",
    },
  }));
}

const MAGIC_LINK_QUERIES = [
  "token=x&email=a%40b.c",
  "token=&email=",
  `token=${"a".repeat(5000)}&email=a%40b.c`,
  "token=%00&email=%00",
  "token=%ff&email=%ff",
  `callbackUrl=${encodeURIComponent("javascript:window.__xss=1")}&token=x&email=a%40b.c`,
  `callbackUrl=${encodeURIComponent("//evil.example")}&token=x&email=a%40b.c`,
  "email=a%40b.c",
  "token[]=1&token[]=2",
];

/** The cases of each route file (key: its folder under app/). */
export const ROUTE_CASES: Record<string, (ctx: FuzzContext) => FuzzCase[]> = {
  "[tenant]/me/export": (ctx) => [
    ...segmentCases("export:tenant", (segment) => ({
      method: "POST",
      path: `/${segment}/me/export`,
      headers: { ...sameOrigin(ctx), cookie: ctx.guestCookie },
    })),
    {
      label: "export:cross-site",
      request: {
        method: "POST",
        path: `/${ctx.slug}/me/export`,
        headers: { origin: "https://evil.example", cookie: ctx.guestCookie },
      },
    },
    {
      label: "export:signed-out",
      request: { method: "POST", path: `/${ctx.slug}/me/export`, headers: sameOrigin(ctx) },
    },
    {
      label: "export:staff-cookie",
      request: {
        method: "POST",
        path: `/${ctx.slug}/me/export`,
        headers: { ...sameOrigin(ctx), cookie: ctx.staffCookie },
      },
    },
    { label: "export:get", request: { path: `/${ctx.slug}/me/export`, headers: { cookie: ctx.guestCookie } } },
    {
      label: "export:origin-garbage",
      request: {
        method: "POST",
        path: `/${ctx.slug}/me/export`,
        headers: { origin: "http://[::", cookie: ctx.guestCookie },
      },
    },
    ...bodyCases("export:body", {
      method: "POST",
      path: `/${ctx.slug}/me/export`,
      headers: { ...sameOrigin(ctx), cookie: ctx.guestCookie },
    }),
  ],

  "[tenant]/unsubscribe/one-click": (ctx) => [
    ...segmentCases("one-click:tenant", (segment) => ({
      method: "POST",
      path: `/${segment}/unsubscribe/one-click?token=x`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    })),
    ...bodyCases("one-click:body", {
      method: "POST",
      path: `/${ctx.slug}/unsubscribe/one-click?token=x`,
      errorFormat: "json",
    }),
    ...[
      "token=x",
      "token=",
      `token=${"a".repeat(5000)}`,
      "token=%00&send=%00",
      "token=%ff&send=%ff",
      "token=x&send=not-a-uuid",
      `token=x.y.z&send=${"9".repeat(400)}`,
      "token[]=1&token[]=2",
      "",
    ].flatMap((query, index) => [
      {
        label: `one-click:query#${index}`,
        request: {
          method: "POST",
          path: `/${ctx.slug}/unsubscribe/one-click?${query}`,
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "List-Unsubscribe=One-Click",
          errorFormat: "json" as const,
        },
      },
      { label: `one-click:get#${index}`, request: { path: `/${ctx.slug}/unsubscribe/one-click?${query}` } },
    ]),
  ],

  "api/auth/[...nextauth]": (ctx) => [
    ...[
      "session",
      "csrf",
      "providers",
      "signin",
      "signout",
      "error",
      "callback/staff",
      "callback/credentials",
      "nope",
      "%ff",
      "..%2F..",
      "verify-request",
      "webauthn-options",
    ].flatMap((action) => [
      {
        label: `auth:get:${action}`,
        request: {
          path: `/api/auth/${action}?error=${encodeURIComponent(SCRIPT_PAYLOADS[1] ?? "")}&callbackUrl=${encodeURIComponent("javascript:alert(1)")}`,
        },
      },
      {
        label: `auth:post:${action}`,
        request: {
          method: "POST",
          path: `/api/auth/${action}`,
          headers: { "content-type": "application/x-www-form-urlencoded", cookie: ctx.staffCookie },
          body: `csrfToken=x&email=%00&password=x&ticket=${"a".repeat(5000)}`,
        },
      },
    ]),
    ...bodyCases("auth:callback", { method: "POST", path: "/api/auth/callback/staff" }),
    {
      label: "auth:session:bad-cookie",
      request: {
        path: "/api/auth/session",
        headers: { cookie: `authjs.session-token=${"x".repeat(3000)}; __Secure-authjs.session-token=%ff` },
      },
    },
  ],

  "api/guest-auth/[...nextauth]": (ctx) => [
    ...MAGIC_LINK_QUERIES.map((query, index) => ({
      label: `guest-auth:callback#${index}`,
      request: { path: `/api/guest-auth/callback/resend?${query}` },
    })),
    ...["session", "csrf", "signin", "signout", "callback/nope", "%ff", "providers"].flatMap((action) => [
      {
        label: `guest-auth:get:${action}`,
        request: { path: `/api/guest-auth/${action}`, headers: { cookie: ctx.guestCookie } },
      },
      {
        label: `guest-auth:post:${action}`,
        request: { method: "POST", path: `/api/guest-auth/${action}`, body: "email=a@b.c" },
      },
    ]),
    {
      label: "guest-auth:bad-cookie",
      request: {
        path: "/api/guest-auth/session",
        headers: { cookie: `zerno-guest.session-token=${"%ff".repeat(500)}` },
      },
    },
  ],

  "api/health": () => [
    { label: "health:query", request: { path: `/api/health?${"a=%ff&".repeat(200)}` } },
    { label: "health:post", request: { method: "POST", path: "/api/health", body: ONE_MB } },
    { label: "health:delete", request: { method: "DELETE", path: "/api/health" } },
  ],

  "api/orders/guest-stream/[tenant]/[orderId]": (ctx) => [
    ...segmentCases("guest-stream:order", (segment) => ({
      path: `/api/orders/guest-stream/${ctx.slug}/${segment}`,
      headers: { cookie: ctx.guestCookie },
      stream: true,
    })),
    ...segmentCases("guest-stream:tenant", (segment) => ({
      path: `/api/orders/guest-stream/${segment}/${ctx.ids.orderId}`,
      headers: { cookie: ctx.guestCookie },
      stream: true,
    })),
    {
      label: "guest-stream:signed-out",
      request: { path: `/api/orders/guest-stream/${ctx.slug}/${ctx.ids.orderId}`, stream: true },
    },
    {
      label: "guest-stream:last-event-id",
      request: {
        path: `/api/orders/guest-stream/${ctx.slug}/${ctx.ids.orderId}`,
        headers: { cookie: ctx.guestCookie, "last-event-id": "%00".repeat(100) },
        stream: true,
      },
    },
  ],

  "api/orders/stream/[tenant]": (ctx) => [
    ...segmentCases("stream:tenant", (segment) => ({
      path: `/api/orders/stream/${segment}`,
      headers: { cookie: ctx.staffCookie },
      stream: true,
    })),
    { label: "stream:signed-out", request: { path: `/api/orders/stream/${ctx.slug}`, stream: true } },
    {
      label: "stream:guest-cookie",
      request: { path: `/api/orders/stream/${ctx.slug}`, headers: { cookie: ctx.guestCookie }, stream: true },
    },
    {
      label: "stream:last-event-id",
      request: {
        path: `/api/orders/stream/${ctx.slug}?since=${"9".repeat(400)}`,
        headers: { cookie: ctx.staffCookie, "last-event-id": "-1e308" },
        stream: true,
      },
    },
  ],

  // The POS routes' own cases are generated from the `pos` router (pos.ts); these are the transport's.
  "api/pos/v1/[...path]": (ctx) => [
    ...["GET", "POST", "PUT", "PATCH", "DELETE"].flatMap((method) =>
      [
        "/api/pos/v1/nope",
        "/api/pos/v1/guests/%ff",
        "/api/pos/v1/guests/%2e%2e%2fprogram",
        `/api/pos/v1/${"a/".repeat(500)}`,
      ].map((target) => ({
        label: `pos:unknown:${method}:${target.slice(12, 40)}`,
        request: {
          method,
          path: target,
          headers: { authorization: `Bearer ${ctx.posKey}` },
          errorFormat: "pos" as const,
        },
      })),
    ),
  ],
  "api/pos/v1/openapi.json": () => [
    { label: "openapi:get", request: { path: "/api/pos/v1/openapi.json?x=%ff" } },
    ...["POST", "PUT", "DELETE", "PATCH"].map((method) => ({
      label: `openapi:${method}`,
      request: {
        method,
        path: "/api/pos/v1/openapi.json",
        body: method === "DELETE" ? undefined : "{",
        errorFormat: "pos" as const,
      },
    })),
  ],
  "api/pos/v1": (ctx) =>
    ["GET", "POST", "DELETE"].map((method) => ({
      label: `pos:root:${method}`,
      request: {
        method,
        path: "/api/pos/v1",
        headers: { authorization: `Bearer ${ctx.posKey}` },
        errorFormat: "pos" as const,
      },
    })),

  // The e2e server has no RESEND_WEBHOOK_SECRET: every call is refused before its signature is read.
  "api/webhooks/resend": () => [
    ...bodyCases("resend:unsigned", { method: "POST", path: "/api/webhooks/resend", errorFormat: "json" }),
    ...["", "v1,AAAA", `v1,${"a".repeat(8000)}`, "v1,%ff v2,<script>"].map((signature, index) => ({
      label: `resend:bad-signature#${index}`,
      request: {
        method: "POST",
        path: "/api/webhooks/resend",
        headers: {
          "content-type": "application/json",
          "svix-id": index === 0 ? "" : `msg_${"x".repeat(index * 100)}`,
          "svix-timestamp": index === 1 ? "-1" : "9".repeat(30),
          "svix-signature": signature,
        },
        body: '{"type":"email.bounced","data":{"email_id":"<script>"}}',
        errorFormat: "json" as const,
      },
    })),
  ],

  "api/stripe/webhook": (ctx) => [
    ...bodyCases("webhook:unsigned", { method: "POST", path: "/api/stripe/webhook", errorFormat: "json" }),
    ...[
      "",
      "t=1,v1=00",
      `t=${"9".repeat(400)},v1=${"a".repeat(64)}`,
      "v1=,t=",
      "t=%ff",
      "x".repeat(8000),
      "t=1,v0=abc,v1=abc,v1=abc",
    ].map((signature, index) => ({
      label: `webhook:bad-signature#${index}`,
      request: {
        method: "POST",
        path: "/api/stripe/webhook",
        headers: { "stripe-signature": signature, "content-type": "application/json" },
        body: '{"id":"evt_x","type":"invoice.paid","data":{"object":{}}}',
        errorFormat: "json" as const,
      },
    })),
    {
      label: "webhook:stale-signature",
      request: {
        method: "POST",
        path: "/api/stripe/webhook",
        headers: { "stripe-signature": signStripe("{}", ctx.webhookSecret, 1_000_000_000) },
        body: "{}",
        errorFormat: "json",
      },
    },
    ...signedWebhookCases(ctx),
    { label: "webhook:get", request: { path: "/api/stripe/webhook" } },
  ],

  // tRPC's cases are generated from the routers (trpc.ts); these are the transport's.
  "api/trpc/[trpc]": (ctx) => [
    // A path the server cannot decode is answered before routing (the app's 400 page).
    ...segmentCases("trpc:path", (segment) => ({
      path: `/api/trpc/${segment}`,
      headers: { "x-zerno-tenant": ctx.slug },
      errorFormat: /%(ff|zz)/.test(segment) ? "any" : "trpc",
    })),
    {
      label: "trpc:batch-over-limit",
      request: {
        path: `/api/trpc/${Array(11).fill("shop.menu").join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [i, {}]))))}`,
        headers: { "x-zerno-tenant": ctx.slug },
      },
    },
    {
      label: "trpc:batch-1000",
      request: {
        path: `/api/trpc/${Array(1000).fill("shop.menu").join(",")}?batch=1`,
        headers: { "x-zerno-tenant": ctx.slug },
      },
    },
    {
      label: "trpc:batch-bad-keys",
      request: {
        path: `/api/trpc/shop.menu?batch=1&input=${encodeURIComponent('{"__proto__":{},"x":{},"-1":{}}')}`,
        headers: { "x-zerno-tenant": ctx.slug },
      },
    },
    {
      label: "trpc:batch-not-object",
      request: {
        path: `/api/trpc/shop.menu?batch=1&input=${encodeURIComponent("[1,2]")}`,
        headers: { "x-zerno-tenant": ctx.slug },
      },
    },
    {
      label: "trpc:batch-post-mixed",
      request: {
        method: "POST",
        path: "/api/trpc/shop.menu,guest.enrol?batch=1",
        headers: { "x-zerno-tenant": ctx.slug, "content-type": "application/json" },
        body: '{"0":{},"1":{}}',
      },
    },
    { label: "trpc:empty-path", request: { path: "/api/trpc/", headers: { "x-zerno-tenant": ctx.slug } } },
    { label: "trpc:commas", request: { path: "/api/trpc/,,,", headers: { "x-zerno-tenant": ctx.slug } } },
    ...["PUT", "DELETE", "PATCH", "OPTIONS"].map((method) => ({
      label: `trpc:${method}`,
      request: { method, path: "/api/trpc/shop.menu", headers: { "x-zerno-tenant": ctx.slug } },
    })),
    ...[ONE_MB.slice(0, 8000), "../../demo", "\u00ff\u00fe", "%00", "demo,north", ""].map((tenant, index) => ({
      label: `trpc:tenant-header#${index}`,
      request: {
        path: `/api/trpc/shop.menu?input=${encodeURIComponent("{}")}`,
        headers: { "x-zerno-tenant": tenant },
        errorFormat: "trpc" as const,
      },
    })),
    {
      label: "trpc:query-string-1MB",
      request: { path: `/api/trpc/shop.menu?input=${"%7B".repeat(100_000)}`, headers: { "x-zerno-tenant": ctx.slug } },
    },
  ],

  "dashboard/[tenant]/export/[id]": (ctx) => [
    ...segmentCases("archive:id", (segment) => ({
      path: `/dashboard/${ctx.slug}/export/${segment}`,
      headers: { cookie: ctx.staffCookie },
    })),
    ...segmentCases("archive:tenant", (segment) => ({
      path: `/dashboard/${segment}/export/${ctx.ids.exportId ?? "x"}`,
      headers: { cookie: ctx.staffCookie },
    })),
    { label: "archive:signed-out", request: { path: `/dashboard/${ctx.slug}/export/${ctx.ids.exportId ?? "x"}` } },
    {
      label: "archive:guest",
      request: {
        path: `/dashboard/${ctx.slug}/export/${ctx.ids.exportId ?? "x"}`,
        headers: { cookie: ctx.guestCookie },
      },
    },
  ],

  "dashboard/[tenant]/guests/export": (ctx) => [
    ...segmentCases("guests-csv:tenant", (segment) => ({
      method: "POST",
      path: `/dashboard/${segment}/guests/export`,
      headers: { ...sameOrigin(ctx), cookie: ctx.staffCookie },
    })),
    {
      label: "guests-csv:cross-site",
      request: {
        method: "POST",
        path: `/dashboard/${ctx.slug}/guests/export`,
        headers: { origin: "null", cookie: ctx.staffCookie },
      },
    },
    {
      label: "guests-csv:guest",
      request: {
        method: "POST",
        path: `/dashboard/${ctx.slug}/guests/export`,
        headers: { ...sameOrigin(ctx), cookie: ctx.guestCookie },
      },
    },
    {
      label: "guests-csv:signed-out",
      request: { method: "POST", path: `/dashboard/${ctx.slug}/guests/export`, headers: sameOrigin(ctx) },
    },
    ...bodyCases("guests-csv:body", {
      method: "POST",
      path: `/dashboard/${ctx.slug}/guests/export`,
      headers: { ...sameOrigin(ctx), cookie: ctx.staffCookie },
    }),
  ],

  "dashboard/[tenant]/guests/import/upload": (ctx) => {
    const post = (label: string, body: BodyInit | null, headers: Record<string, string> = {}): FuzzCase => ({
      label: `guest-upload:${label}`,
      request: {
        method: "POST",
        path: `/dashboard/${ctx.slug}/guests/import/upload`,
        headers: { ...sameOrigin(ctx), cookie: ctx.staffCookie, ...headers },
        body,
        errorFormat: "json",
      },
    });
    const scriptCells = SCRIPT_PAYLOADS.map(
      (payload, index) =>
        `"${payload.replace(/"/g, '""')}",+7916555${String(index).padStart(4, "0")},fuzz${index}@e2e.test,${index}`,
    ).join("\n");
    return [
      post("csv-with-scripts", `name,phone,email,points\n${scriptCells}\n`, { "x-file-name": "guests.csv" }),
      post(
        "nasty-cells",
        `name,phone\n${NASTY_STRINGS.map(({ value }) => JSON.stringify(value.slice(0, 200))).join(",\n")}`,
        { "x-file-name": "nasty.csv" },
      ),
      post("binary", new Uint8Array([0, 1, 2, 255, 254, 0x50, 0x4b, 3, 4]), { "x-file-name": "guests.xlsx" }),
      post("fake-xlsx", "PK\u0003\u0004not really a zip", { "x-file-name": "guests.xlsx" }),
      post("empty", "", { "x-file-name": "guests.csv" }),
      post("name-nul", "a,b\n1,2", { "x-file-name": "%00%ff" }),
      post("name-long", "a,b\n1,2", { "x-file-name": encodeURIComponent("Ж".repeat(5000)) }),
      post("name-bad-escape", "a,b\n1,2", { "x-file-name": "%E0%A4%A" }),
      post("name-script", "a,b\n1,2", { "x-file-name": encodeURIComponent(SCRIPT_PAYLOADS[1] ?? "") }),
      post("chunked-11MB", chunkedBody(11 * 1024 * 1024)),
      post("quotes-unbalanced", `name,phone\n"${"a".repeat(50_000)}\n`),
      post("many-columns", `${Array.from({ length: 5000 }, (_, i) => `c${i}`).join(",")}\n`),
      {
        label: "guest-upload:cross-site",
        request: {
          method: "POST",
          path: `/dashboard/${ctx.slug}/guests/import/upload`,
          headers: { origin: "https://evil.example", cookie: ctx.staffCookie },
          body: "a,b",
        },
      },
      {
        label: "guest-upload:signed-out",
        request: {
          method: "POST",
          path: `/dashboard/${ctx.slug}/guests/import/upload`,
          headers: sameOrigin(ctx),
          body: "a,b",
          errorFormat: "json",
        },
      },
      ...segmentCases("guest-upload:tenant", (segment) => ({
        method: "POST",
        path: `/dashboard/${segment}/guests/import/upload`,
        headers: { ...sameOrigin(ctx), cookie: ctx.staffCookie },
        body: "a,b",
      })),
    ];
  },

  "dashboard/[tenant]/menu/photo": (ctx) => {
    const post = (label: string, form: () => BodyInit | null, headers: Record<string, string> = {}): FuzzCase => ({
      label: `photo:${label}`,
      request: {
        method: "POST",
        path: `/dashboard/${ctx.slug}/menu/photo`,
        headers: { ...sameOrigin(ctx), cookie: ctx.staffCookie, ...headers },
        body: form(),
        errorFormat: "json",
      },
    });
    const withPhoto =
      (bytes: BlobPart, type: string, productId = ctx.ids.productId ?? "x") =>
      () => {
        const form = new FormData();
        form.set("productId", productId);
        form.set("photo", new Blob([bytes], { type }), "photo");
        return form;
      };
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__xss=1"><script>window.__xss=1</script></svg>';
    return [
      post("svg-script", withPhoto(svg, "image/svg+xml")),
      post("html-as-png", withPhoto("<html><script>window.__xss=1</script></html>", "image/png")),
      post(
        "truncated-png",
        withPhoto(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), "image/png"),
      ),
      post("truncated-jpeg", withPhoto(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]), "image/jpeg")),
      post(
        "gif-bomb-header",
        withPhoto(new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0xff, 0xff, 0xff, 0xff, 0, 0, 0]), "image/gif"),
      ),
      post("empty-file", withPhoto(new Uint8Array(0), "image/png")),
      post("product-nul", withPhoto(svg, "image/png", "\u0000")),
      post("product-script", withPhoto(svg, "image/png", SCRIPT_PAYLOADS[0] ?? "")),
      post("product-long", withPhoto(new Uint8Array([1]), "image/png", "x".repeat(100_000))),
      post("no-photo-field", () => {
        const form = new FormData();
        form.set("productId", ctx.ids.productId ?? "x");
        form.set("photo", "not a file");
        return form;
      }),
      post("not-multipart", () => "productId=x&photo=y", { "content-type": "application/x-www-form-urlencoded" }),
      post("broken-multipart", () => '--x\r\nContent-Disposition: form-data; name="photo"; filename="a"\r\n\r\nabc', {
        "content-type": "multipart/form-data; boundary=x",
      }),
      post("multipart-no-boundary", () => "abc", { "content-type": "multipart/form-data" }),
      post("too-large", withPhoto(new Uint8Array(12 * 1024 * 1024), "image/png")),
      post("chunked", () => chunkedBody(1024), { "content-type": "multipart/form-data; boundary=x" }),
      ...bodyCases("photo:body", {
        method: "POST",
        path: `/dashboard/${ctx.slug}/menu/photo`,
        headers: { ...sameOrigin(ctx), cookie: ctx.staffCookie },
      }),
      {
        label: "photo:signed-out",
        request: {
          method: "POST",
          path: `/dashboard/${ctx.slug}/menu/photo`,
          headers: sameOrigin(ctx),
          body: withPhoto(svg, "image/png")(),
          errorFormat: "json",
        },
      },
      {
        label: "photo:cross-site",
        request: {
          method: "POST",
          path: `/dashboard/${ctx.slug}/menu/photo`,
          headers: { origin: "https://evil.example", cookie: ctx.staffCookie },
          body: withPhoto(svg, "image/png")(),
        },
      },
      ...segmentCases("photo:tenant", (segment) => ({
        method: "POST",
        path: `/dashboard/${segment}/menu/photo`,
        headers: { ...sameOrigin(ctx), cookie: ctx.staffCookie },
        body: withPhoto(svg, "image/png")(),
      })),
    ];
  },

  "media/[...key]": () => [
    ...segmentCases("media", (segment) => ({ path: `/media/menu/${segment}` })),
    ...[
      "..%2F..%2F.data%2Fsecrets.json",
      "menu/../../package.json",
      "menu/%2e%2e/%2e%2e/package.json",
      `menu/${"a".repeat(40)}-999999999.webp`,
      "menu/a.svg",
      "%00",
      "menu/x.webp%00.png",
    ].map((key) => ({
      label: `media:key:${key.slice(0, 24)}`,
      request: { path: `/media/${key}` },
    })),
  ],
};
