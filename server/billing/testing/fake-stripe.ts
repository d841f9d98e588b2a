import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

/**
 * A local Stripe-compatible server for the tests, the e2e run and `npm run stripe:local`. It answers
 * only the API calls Zerno makes (customers, checkout and billing-portal sessions, subscriptions,
 * invoices) in Stripe's shapes, with the real SDK pointed at it (`STRIPE_API_BASE`), and serves a
 * tiny hosted Checkout and Portal page. Changes are announced to `webhookUrl` as events signed the
 * way Stripe signs them (`Stripe-Signature: t=…,v1=…`).
 */
export type FakeStripeOptions = {
  port?: number;
  /** Where events are delivered (the app's /api/stripe/webhook); none: events are only kept. */
  webhookUrl?: string;
  webhookSecret: string;
};

type Json = Record<string, unknown>;

export type FakeStripeEvent = { id: string; type: string; data: { object: Json } };

export type FakeStripe = {
  url: string;
  /** Every API request received, oldest first ("GET /v1/subscriptions"). */
  requests: { method: string; path: string; body: Json }[];
  customers: Map<string, Json>;
  sessions: Map<string, Json>;
  subscriptions: Map<string, Json>;
  invoices: Map<string, Json>;
  /** Every event made, delivered or not. */
  events: FakeStripeEvent[];
  /** Pays an open checkout session: creates the subscription and its paid invoice, sends the events. */
  completeCheckout(
    sessionId: string,
    options?: { status?: "active" | "trialing"; deliver?: boolean },
  ): Promise<{
    subscription: Json;
    events: FakeStripeEvent[];
  }>;
  /** Changes a subscription as Stripe would (status, cancel…); returns the `customer.subscription.*` event. */
  updateSubscription(id: string, patch: Json, options?: { deliver?: boolean }): Promise<FakeStripeEvent>;
  /** Makes an event (not delivered); `deliver` sends one. */
  makeEvent(type: string, object: Json): FakeStripeEvent;
  /** The body and `Stripe-Signature` header of a delivery, signed at `timestamp` (seconds). */
  sign(event: FakeStripeEvent, options?: { timestamp?: number; secret?: string }): { body: string; signature: string };
  deliver(event: FakeStripeEvent): Promise<number>;
  close(): Promise<void>;
};

const id = (prefix: string) => `${prefix}_${randomBytes(10).toString("hex")}`;
const now = () => Math.floor(Date.now() / 1000);
const DAY = 24 * 3600;

/** Stripe's form encoding (`line_items[0][price]=…`) back into objects and arrays. */
export function parseStripeForm(encoded: string): Json {
  const result: Json = {};
  for (const [key, value] of new URLSearchParams(encoded)) {
    const path = key.split(/\[|\]\[|\]/).filter((part) => part !== "");
    let node: Record<string, unknown> = result;
    path.forEach((part, index) => {
      const last = index === path.length - 1;
      if (last) {
        node[part] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(path[index + 1] ?? "");
      node[part] ??= nextIsIndex ? [] : {};
      node = node[part] as Record<string, unknown>;
    });
  }
  return result;
}

const list = (url: string, data: Json[]) => ({ object: "list", url, has_more: false, data });

function stripeError(res: ServerResponse, status: number, message: string, code = "resource_missing") {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { type: "invalid_request_error", code, message } }));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

function page(title: string, body: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1f1a17}button{font:inherit;padding:.7rem 1.2rem;border-radius:.5rem;border:0;background:#3b2a20;color:#fff;cursor:pointer;margin:.3rem 0}</style>
</head><body><main>${body}</main></body></html>`;
}

export async function startFakeStripe(options: FakeStripeOptions): Promise<FakeStripe> {
  const signer = new Stripe("sk_test_fake_signer");
  const customers = new Map<string, Json>();
  const sessions = new Map<string, Json>();
  const subscriptions = new Map<string, Json>();
  const invoices = new Map<string, Json>();
  const idempotent = new Map<string, Json>();
  const prices = new Map<string, Json>();
  const events: FakeStripeEvent[] = [];
  const requests: FakeStripe["requests"] = [];
  let base = "";

  function makeEvent(type: string, object: Json): FakeStripeEvent {
    const event = {
      id: id("evt"),
      object: "event",
      type,
      api_version: Stripe.API_VERSION,
      created: now(),
      livemode: false,
      data: { object: structuredClone(object) },
    };
    events.push(event);
    return event;
  }

  function sign(event: FakeStripeEvent, signOptions: { timestamp?: number; secret?: string } = {}) {
    const body = JSON.stringify(event);
    const signature = signer.webhooks.generateTestHeaderString({
      payload: body,
      secret: signOptions.secret ?? options.webhookSecret,
      timestamp: signOptions.timestamp ?? now(),
    });
    return { body, signature };
  }

  async function deliver(event: FakeStripeEvent): Promise<number> {
    if (!options.webhookUrl) return 0;
    const { body, signature } = sign(event);
    const response = await fetch(options.webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signature },
      body,
    });
    await response.text();
    return response.status;
  }

  function priceOf(item: Json): Json {
    if (typeof item.price === "string") {
      return (
        prices.get(item.price) ?? {
          id: item.price,
          object: "price",
          currency: "rub",
          unit_amount: 0,
          recurring: { interval: "month", interval_count: 1 },
          metadata: {},
        }
      );
    }
    const data = (item.price_data ?? {}) as Json;
    const recurring = (data.recurring ?? {}) as Json;
    const price = {
      id: id("price"),
      object: "price",
      currency: data.currency ?? "rub",
      unit_amount: Number(data.unit_amount ?? 0),
      recurring: { interval: recurring.interval ?? "month", interval_count: 1 },
      metadata: {},
    };
    prices.set(price.id, price);
    return price;
  }

  function periodEnd(interval: unknown) {
    return now() + (interval === "year" ? 365 : 30) * DAY;
  }

  async function completeCheckout(
    sessionId: string,
    completeOptions: { status?: "active" | "trialing"; deliver?: boolean } = {},
  ) {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`no checkout session ${sessionId}`);
    if (session.status === "complete") {
      return { subscription: subscriptions.get(String(session.subscription)) as Json, events: [] };
    }
    const lineItems = session.__line_items as Json[];
    const first = lineItems[0] ?? {};
    const price = priceOf(first);
    const quantity = Number(first.quantity ?? 1);
    const subscriptionData = (session.__subscription_data ?? {}) as Json;
    const status = completeOptions.status ?? "active";
    const subscription: Json = {
      id: id("sub"),
      object: "subscription",
      customer: session.customer,
      status,
      cancel_at_period_end: false,
      canceled_at: null,
      trial_end: status === "trialing" ? now() + 14 * DAY : null,
      metadata: (subscriptionData.metadata ?? {}) as Json,
      created: now(),
      items: {
        object: "list",
        has_more: false,
        data: [
          {
            id: id("si"),
            object: "subscription_item",
            quantity,
            current_period_start: now(),
            current_period_end: periodEnd((price.recurring as Json).interval),
            price,
          },
        ],
      },
    };
    subscriptions.set(String(subscription.id), subscription);
    const invoice: Json = {
      id: id("in"),
      object: "invoice",
      customer: session.customer,
      subscription: subscription.id,
      number: `ZERNO-${String(invoices.size + 1).padStart(4, "0")}`,
      status: "paid",
      total: Number(price.unit_amount) * quantity,
      amount_paid: Number(price.unit_amount) * quantity,
      currency: price.currency,
      created: now(),
      hosted_invoice_url: `${base}/invoices/${invoices.size + 1}`,
    };
    invoices.set(String(invoice.id), invoice);
    Object.assign(session, { status: "complete", payment_status: "paid", subscription: subscription.id });
    const made = [
      makeEvent("checkout.session.completed", publicSession(session)),
      makeEvent("customer.subscription.created", subscription),
      makeEvent("invoice.paid", invoice),
    ];
    if (completeOptions.deliver !== false) for (const event of made) await deliver(event);
    return { subscription, events: made };
  }

  async function updateSubscription(subscriptionId: string, patch: Json, updateOptions: { deliver?: boolean } = {}) {
    const subscription = subscriptions.get(subscriptionId);
    if (!subscription) throw new Error(`no subscription ${subscriptionId}`);
    Object.assign(subscription, patch);
    const type = subscription.status === "canceled" ? "customer.subscription.deleted" : "customer.subscription.updated";
    const event = makeEvent(type, subscription);
    if (updateOptions.deliver !== false) await deliver(event);
    return event;
  }

  const publicSession = (session: Json) =>
    Object.fromEntries(Object.entries(session).filter(([key]) => !key.startsWith("__")));

  async function api(req: IncomingMessage, res: ServerResponse, path: string, body: Json, query: Json) {
    const send = (value: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    if (!req.headers.authorization?.startsWith("Bearer sk_")) {
      return stripeError(res, 401, "Invalid API Key provided", "api_key_invalid");
    }
    const key = req.headers["idempotency-key"];
    const idempotencyKey = `${path}:${Array.isArray(key) ? key[0] : (key ?? "")}`;
    if (req.method === "POST" && key && idempotent.has(idempotencyKey)) return send(idempotent.get(idempotencyKey));
    const remember = (value: Json) => {
      if (req.method === "POST" && key) idempotent.set(idempotencyKey, value);
      send(value);
    };
    const sessionPath = path.match(/^\/v1\/checkout\/sessions\/([\w-]+)$/);
    const subscriptionPath = path.match(/^\/v1\/subscriptions\/([\w-]+)$/);
    if (req.method === "POST" && path === "/v1/customers") {
      const customer = {
        id: id("cus"),
        object: "customer",
        email: body.email ?? null,
        name: body.name ?? null,
        metadata: body.metadata ?? {},
        created: now(),
      };
      customers.set(customer.id, customer);
      return remember(customer);
    }
    if (req.method === "POST" && path === "/v1/checkout/sessions") {
      if (!customers.has(String(body.customer))) return stripeError(res, 400, `No such customer: '${body.customer}'`);
      const sessionId = id("cs_test");
      const session: Json = {
        id: sessionId,
        object: "checkout.session",
        mode: body.mode,
        customer: body.customer,
        client_reference_id: body.client_reference_id ?? null,
        metadata: body.metadata ?? {},
        status: "open",
        payment_status: "unpaid",
        subscription: null,
        success_url: body.success_url,
        cancel_url: body.cancel_url,
        url: `${base}/checkout/${sessionId}`,
        __line_items: body.line_items ?? [],
        __subscription_data: body.subscription_data ?? {},
      };
      sessions.set(sessionId, session);
      return remember(publicSession(session));
    }
    if (req.method === "GET" && sessionPath) {
      const session = sessions.get(sessionPath[1] ?? "");
      return session ? send(publicSession(session)) : stripeError(res, 404, "No such checkout session");
    }
    if (req.method === "POST" && path === "/v1/billing_portal/sessions") {
      if (!customers.has(String(body.customer))) return stripeError(res, 400, `No such customer: '${body.customer}'`);
      const portalId = id("bps");
      const portal = {
        id: portalId,
        object: "billing_portal.session",
        customer: body.customer,
        return_url: body.return_url,
        url: `${base}/portal/${portalId}?customer=${body.customer}&return_url=${encodeURIComponent(String(body.return_url))}`,
      };
      return remember(portal);
    }
    if (req.method === "GET" && path === "/v1/subscriptions") {
      const found = [...subscriptions.values()]
        .filter((s) => s.customer === query.customer)
        .filter((s) => query.status === "all" || (query.status ? s.status === query.status : s.status !== "canceled"))
        .sort((a, b) => Number(b.created) - Number(a.created));
      return send(list("/v1/subscriptions", found.slice(0, Number(query.limit ?? 10))));
    }
    if (subscriptionPath) {
      const subscription = subscriptions.get(subscriptionPath[1] ?? "");
      if (!subscription) return stripeError(res, 404, "No such subscription");
      if (req.method === "GET") return send(subscription);
      if (req.method === "POST") {
        const items = (subscription.items as { data: Json[] }).data;
        for (const change of (body.items ?? []) as Json[]) {
          const item = items.find((candidate) => candidate.id === change.id);
          if (!item) return stripeError(res, 400, `No such subscription item: '${change.id}'`);
          if (change.quantity !== undefined) item.quantity = Number(change.quantity);
        }
        if (body.cancel_at_period_end !== undefined) {
          subscription.cancel_at_period_end = body.cancel_at_period_end === "true";
        }
        // Stripe answers first and delivers the event later, as the real one does.
        const event = makeEvent("customer.subscription.updated", subscription);
        setImmediate(() => void deliver(event).catch(() => {}));
        return remember(subscription);
      }
    }
    if (req.method === "GET" && path === "/v1/invoices") {
      const found = [...invoices.values()]
        .filter((invoice) => invoice.customer === query.customer)
        .sort((a, b) => Number(b.created) - Number(a.created));
      return send(list("/v1/invoices", found.slice(0, Number(query.limit ?? 10))));
    }
    return stripeError(res, 404, `Unrecognized request URL (${req.method}: ${path})`);
  }

  /** The hosted pages a browser sees: Checkout (pay) and the Portal (cancel, back). */
  async function hosted(req: IncomingMessage, res: ServerResponse, url: URL, form: URLSearchParams) {
    const html = (status: number, content: string) => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
      res.end(content);
    };
    const redirect = (location: string) => {
      res.writeHead(303, { location });
      res.end();
    };
    let match = url.pathname.match(/^\/checkout\/([\w-]+)$/);
    if (match) {
      const session = sessions.get(match[1] ?? "");
      if (!session) return html(404, page("Not found", "<h1>No such checkout session</h1>"));
      if (req.method === "POST") {
        await completeCheckout(String(session.id));
        return redirect(String(session.success_url).replace("{CHECKOUT_SESSION_ID}", String(session.id)));
      }
      const items = session.__line_items as Json[];
      const description = items
        .map((item) => {
          const price = priceOf(item);
          return `${item.quantity} × ${(Number(price.unit_amount) / 100).toFixed(2)} ${String(price.currency).toUpperCase()} / ${(price.recurring as Json).interval}`;
        })
        .join(", ");
      return html(
        200,
        page(
          "Checkout (local Stripe)",
          `<h1>Checkout</h1><p>Local Stripe-compatible server: no card is charged.</p><p>${escapeHtml(description)}</p>
<form method="post"><button type="submit">Pay</button></form>
<p><a href="${escapeHtml(String(session.cancel_url))}">Back</a></p>`,
        ),
      );
    }
    match = url.pathname.match(/^\/portal\/([\w-]+)$/);
    if (match) {
      const customer = url.searchParams.get("customer") ?? "";
      const returnUrl = url.searchParams.get("return_url") ?? "/";
      const live = [...subscriptions.values()].find((s) => s.customer === customer && s.status !== "canceled");
      if (req.method === "POST" && live && form.get("action") === "cancel") {
        await updateSubscription(String(live.id), { status: "canceled", canceled_at: now() });
        return redirect(returnUrl);
      }
      return html(
        200,
        page(
          "Billing portal (local Stripe)",
          `<h1>Billing portal</h1><p>${live ? `Subscription ${escapeHtml(String(live.id))}: ${escapeHtml(String(live.status))}` : "No subscription"}</p>
${live ? `<form method="post"><input type="hidden" name="action" value="cancel"><button type="submit">Cancel subscription</button></form>` : ""}
<p><a href="${escapeHtml(returnUrl)}">Return</a></p>`,
        ),
      );
    }
    return html(404, page("Not found", "<h1>Not found</h1>"));
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://fake");
      const raw = await readBody(req);
      if (url.pathname === "/health") {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end('{"status":"ok"}');
      }
      if (url.pathname.startsWith("/v1/")) {
        const body = parseStripeForm(raw);
        requests.push({ method: req.method ?? "", path: url.pathname, body });
        return await api(req, res, url.pathname, body, parseStripeForm(url.search.slice(1)));
      }
      return await hosted(req, res, url, new URLSearchParams(raw));
    } catch (error) {
      stripeError(res, 500, error instanceof Error ? error.message : String(error), "api_error");
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    requests,
    customers,
    sessions,
    subscriptions,
    invoices,
    events,
    completeCheckout,
    updateSubscription,
    makeEvent,
    sign,
    deliver,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
