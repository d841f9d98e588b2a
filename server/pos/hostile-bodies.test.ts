// Over a thousand seeded malformed or hostile requests across every POS endpoint: each must be answered 4xx in
// the contract's error shape (never 5xx, never a stack trace, SQL or file path), and none may write anything.
// Run: npx vitest run server/pos/hostile-bodies.test.ts
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { testDatabase } from "@/db/testing/database";
import { createPosKeys, type Random, seededRandom } from "../ops/pos-load";
import { createPosTenant, type PosReply, posClient, receiptBody } from "./testing";

const db = await testDatabase();

/** Fewer than the 100 requests a key may send per second, so a 429 never hides an answer. */
const REQUESTS_PER_KEY = 80;
const SEED = 20261122;

type Hostile = {
  label: string;
  method: string;
  path: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** The statuses the contract allows for this request. */
  statuses: readonly number[];
};

/** What the setup wrote, for requests aimed at real rows. */
type Fixture = { guestId: string; cardCode: string; phone: string; receiptId: string; refundId: string; total: number };

let cafe: Awaited<ReturnType<typeof createPosTenant>>;
let fixture: Fixture;
let rowsBefore: Record<string, number>;
let tills: ReturnType<typeof posClient>[] = [];
let sent = 0;

beforeAll(async () => {
  cafe = await createPosTenant(db.app, "hostile-cafe");
  const setup = posClient(db.app, cafe.key);
  const phone = "+79161110022";
  const enrolled = await setup<{ guest: { id: string; cardCode: string } }>("POST", "/guests", {
    phone,
    consent: true,
  });
  const total = 30_000;
  await setup("POST", "/receipts", receiptBody("REAL-1", total, { guestId: enrolled.body.guest.id }));
  await setup("POST", "/receipts/REAL-1/refunds", { externalRefundId: "RF-REAL-1", amount: 100 });
  fixture = {
    guestId: enrolled.body.guest.id,
    cardCode: enrolled.body.guest.cardCode,
    phone,
    receiptId: "REAL-1",
    refundId: "RF-REAL-1",
    total,
  };
  const created = await createPosKeys(db.app, {
    tenantId: cafe.tenantId,
    locations: ["main"],
    count: 16,
    name: "Hostile till",
  });
  tills = created.map((till) => posClient(db.app, till.key));
  rowsBefore = await tenantRows(cafe.tenantId);
});

/** Sends through a till that has not used up its rate yet. */
function send(hostile: Hostile): Promise<PosReply> {
  const till = tills[Math.floor(sent / REQUESTS_PER_KEY)];
  sent += 1;
  if (!till) throw new Error("Out of POS keys: make more in beforeAll");
  return till(hostile.method, hostile.path, hostile.body, { rawBody: hostile.rawBody, headers: hostile.headers });
}

async function sendAll(requests: readonly Hostile[]): Promise<string[]> {
  const failures: string[] = [];
  for (const [index, hostile] of requests.entries()) {
    const reply = await send(hostile);
    for (const problem of problemsWith(hostile, reply)) failures.push(`#${index} ${hostile.label}: ${problem}`);
  }
  return failures;
}

// ---------------------------------------------------------------------------------------------
// What every answer must look like
// ---------------------------------------------------------------------------------------------

const LEAKS: readonly [string, RegExp][] = [
  ["a stack frame", /\bat .+:\d+:\d+/],
  ["a file path", /node_modules|file:\/\/|\/work\/|\.tsx?\b/],
  ["SQL or a driver error", /Failed query|PostgresError|invalid input syntax|violates|\bselect\b[\s\S]+\bfrom\b/i],
];

function problemsWith(hostile: Hostile, reply: PosReply): string[] {
  const problems: string[] = [];
  if (!hostile.statuses.includes(reply.status)) {
    problems.push(`status ${reply.status}, expected ${hostile.statuses.join("/")}: ${excerpt(reply.body)}`);
  }
  if (reply.status < 400 || reply.status >= 500) problems.push(`status ${reply.status} is not a 4xx`);
  if (!/^application\/json/.test(reply.headers.get("content-type") ?? "")) problems.push("answer is not JSON");
  problems.push(...errorShapeProblems(reply));
  const text = JSON.stringify(reply.body);
  for (const [what, pattern] of LEAKS)
    if (pattern.test(text)) problems.push(`body shows ${what}: ${excerpt(reply.body)}`);
  return problems;
}

/** Exactly `{"error": {"code", "message", "details"?}}`; for 400, details is a list of {path, message}. */
function errorShapeProblems(reply: PosReply): string[] {
  const body = reply.body as { error?: Record<string, unknown> };
  if (!isPlainObject(body) || !sameKeys(body, ["error"]) || !isPlainObject(body.error)) {
    return [`not the contract's error body: ${excerpt(body)}`];
  }
  const { code, message, details } = body.error;
  const problems: string[] = [];
  if (!Object.keys(body.error).every((key) => ["code", "message", "details"].includes(key))) {
    problems.push(`extra error fields: ${Object.keys(body.error).join(", ")}`);
  }
  if (typeof code !== "string" || !/^[a-z]+(_[a-z]+)*$/.test(code)) problems.push(`code ${String(code)}`);
  if (typeof message !== "string" || message.length === 0) problems.push("no message");
  if (reply.status === 400) {
    const listed =
      Array.isArray(details) &&
      details.length > 0 &&
      details.every(
        (detail) =>
          isPlainObject(detail) &&
          sameKeys(detail, ["message", "path"]) &&
          typeof detail.path === "string" &&
          typeof detail.message === "string",
      );
    if (!listed) problems.push(`400 details are not a list of {path, message}: ${excerpt(details)}`);
  }
  return problems;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sameKeys(value: Record<string, unknown>, keys: string[]): boolean {
  return Object.keys(value).sort().join() === keys.join();
}

function excerpt(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).slice(0, 300);
}

/** Rows of the tenant that a POS request could write (keys and their audit entries are the test's own). */
async function tenantRows(tenantId: string): Promise<Record<string, number>> {
  const [row] = await db.admin.execute<Record<string, number>>(sql`
    select
      (select count(*) from receipts where tenant_id = ${tenantId})::int as receipts,
      (select count(*) from receipt_lines where tenant_id = ${tenantId})::int as receipt_lines,
      (select count(*) from refunds where tenant_id = ${tenantId})::int as refunds,
      (select count(*) from redemptions where tenant_id = ${tenantId})::int as redemptions,
      (select count(*) from guests where tenant_id = ${tenantId})::int as guests,
      (select count(*) from guest_consents where tenant_id = ${tenantId})::int as guest_consents,
      (select count(*) from ledger_entries where tenant_id = ${tenantId})::int as ledger_entries,
      (select coalesce(sum(balance), 0) from guests where tenant_id = ${tenantId})::int as balances,
      (select count(*) from audit_log where tenant_id = ${tenantId} and action <> 'pos_key.create')::int as audit`);
  if (!row) throw new Error("no counts");
  return row;
}

// ---------------------------------------------------------------------------------------------
// Values no field accepts
// ---------------------------------------------------------------------------------------------

const HUGE = "ж".repeat(100_000);
const NOT_JSON_NUMBERS = ["100", "NaN", "Infinity", "-Infinity", "1e308", "", null, true, {}, [], [1], { $gt: 0 }];
const BAD_MONEY = [-1, 0.5, 100.25, 1e308, 2 ** 53, 2 ** 53 + 2, 1_000_000_001, -(2 ** 31), ...NOT_JSON_NUMBERS];
const BAD_POINTS = [0, -1, 1.5, 1e308, 2 ** 53, 100_000_001, ...NOT_JSON_NUMBERS];
const BAD_REFUND_AMOUNTS = [0, -1, 0.5, 1e308, 2 ** 53, 1_000_000_001, ...NOT_JSON_NUMBERS];
const BAD_QUANTITIES = [0, -1, -0.001, 0.0001, 0.0004, 1e-10, 1.2345, 2.0005, 100_000.5, 1e308, 2 ** 53, "1", null, []];
const NOT_STRINGS = [5, 0, -1, null, true, {}, [], ["a"], { $ne: "" }];
/** PostgreSQL cannot store a NUL character in text. */
const WITH_NUL = "nul\u0000byte";
const badText = (max: number) => ["", "x".repeat(max + 1), HUGE, WITH_NUL, ...NOT_STRINGS];
const BAD_UUIDS = [
  "not-a-uuid",
  "",
  "123",
  "00000000-0000-0000-0000-00000000000g",
  `${randomUUIDFrom(1)}x`,
  randomUUIDFrom(2).replaceAll("-", ""),
  "'; drop table guests; --",
  "{{guestId}}",
  HUGE,
  ...NOT_STRINGS,
];
const BAD_DATES = [
  "2026-13-01T08:15:00+03:00",
  "2026-02-30T08:15:00+03:00",
  "2026-11-31T08:15:00+03:00",
  "2026-11-22T25:00:00+03:00",
  "2026-11-22T08:61:00+03:00",
  "2026-11-22T08:15:00+99:99",
  "0000-01-01T00:00:00Z",
  "1999-12-31T23:59:59+03:00",
  "2999-01-01T00:00:00Z",
  "2026-11-22T08:15:00+3",
  "2026-11-22T08:15:00",
  "2026-11-22 08:15:00+03:00",
  "2026-11-22",
  "22.11.2026 08:15",
  "yesterday",
  "now()",
  1795458862,
  HUGE,
  ...NOT_STRINGS,
];
const BAD_PHONES = [
  "12",
  "",
  "abcdefgh",
  "+7 000 000-00-00",
  "+7 916 123",
  "8 (916) 123-45-67-89-00",
  HUGE,
  79161234567,
  null,
  {},
  [],
];
const BAD_EMAILS = ["not-an-email", "a@", "@b.ru", `${"x".repeat(250)}@b.ru`, HUGE, 5, null, []];
const BAD_CONSENTS = [false, "true", 1, 0, null, "yes", [], {}];
const BAD_FISCAL = [
  "x",
  null,
  [],
  {},
  { fn: "123", fd: "1", fp: "1" },
  { fn: "73804407000000011", fd: "1", fp: "1" },
  { fn: "abcdefghijklmnop", fd: "1", fp: "1" },
  { fn: 7380440700000001, fd: "1", fp: "1" },
  { fn: "7380440700000001", fd: "", fp: "1" },
  { fn: "7380440700000001", fd: "12345678901", fp: "1" },
  { fn: "7380440700000001", fd: "1", fp: "12a" },
];
const BAD_GUEST_REFS = ["x", null, [], {}, { identifier: "" }, { identifier: HUGE }, { identifier: 5 }, 5];
/** Fields a sloppy or malicious client adds; the body stays invalid otherwise, so they must not help it. */
const UNKNOWN_FIELDS: readonly Record<string, unknown>[] = [
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  { tenantId: "00000000-0000-4000-8000-000000000000" },
  { pointsEarned: 1_000_000, balance: 1e9 },
  { $where: "1 == 1" },
  { isAdmin: true, role: "owner" },
];

function randomUUIDFrom(seed: number): string {
  const random = seededRandom(seed);
  const hex = () => random.int(0, 15).toString(16);
  const run = (length: number) => Array.from({ length }, hex).join("");
  return `${run(8)}-${run(4)}-4${run(3)}-8${run(3)}-${run(12)}`;
}

// ---------------------------------------------------------------------------------------------
// Generators: a valid body broken in 1–3 places
// ---------------------------------------------------------------------------------------------

type FieldSpec = { name: string; required: boolean; invalid: readonly unknown[] };
type Endpoint = {
  name: string;
  path: (random: Random) => string;
  valid: (random: Random) => Record<string, unknown>;
  fields: readonly FieldSpec[];
  /** Fields that hold receipt lines, broken line by line as well. */
  lineFields?: readonly string[];
};

const LINE_FIELDS: readonly FieldSpec[] = [
  { name: "sku", required: true, invalid: badText(64) },
  { name: "name", required: true, invalid: badText(200) },
  { name: "quantity", required: true, invalid: BAD_QUANTITIES },
  { name: "unitPrice", required: true, invalid: BAD_MONEY },
  { name: "amount", required: true, invalid: BAD_MONEY },
  { name: "category", required: false, invalid: badText(64) },
];

function line(amount: number) {
  return { sku: "latte", name: "Латте", quantity: 1, unitPrice: amount, amount, category: "coffee" };
}

const BAD_LINE_LISTS = ["x", null, {}, [null], [[]], ["latte"], Array.from({ length: 501 }, () => line(100))];

function endpoints(): readonly Endpoint[] {
  return [
    {
      name: "enrol",
      path: () => "/guests",
      valid: (random) => ({ phone: `+7925${random.digits(7)}`, name: "Ева", email: "eva@example.com", consent: true }),
      fields: [
        { name: "phone", required: true, invalid: BAD_PHONES },
        { name: "name", required: false, invalid: badText(100) },
        { name: "email", required: false, invalid: BAD_EMAILS },
        { name: "consent", required: true, invalid: BAD_CONSENTS },
      ],
    },
    {
      name: "identify",
      path: () => "/guests/identify",
      valid: () => ({ identifier: fixture.cardCode, basket: [line(25_000), line(5_000)] }),
      fields: [
        { name: "identifier", required: true, invalid: badText(200) },
        { name: "basket", required: false, invalid: BAD_LINE_LISTS },
      ],
      lineFields: ["basket"],
    },
    {
      name: "hold",
      path: () => "/redemptions",
      valid: () => ({ guestId: fixture.guestId, points: 10, checkTotal: 30_000, externalCheckId: "CHK-1" }),
      fields: [
        { name: "guestId", required: true, invalid: BAD_UUIDS },
        { name: "points", required: true, invalid: BAD_POINTS },
        { name: "checkTotal", required: true, invalid: BAD_MONEY },
        { name: "externalCheckId", required: false, invalid: badText(128) },
      ],
    },
    {
      name: "receipt",
      path: () => "/receipts",
      valid: (random) => ({
        ...receiptBody(`H-${random.digits(8)}`, 30_000, { guestId: fixture.guestId }),
        lines: [line(10_000), line(15_000), line(5_000)],
        fiscal: { fn: "7380440700000001", fd: "12345", fp: "1234567890" },
      }),
      fields: [
        { name: "externalId", required: true, invalid: badText(128) },
        { name: "occurredAt", required: true, invalid: BAD_DATES },
        { name: "lines", required: true, invalid: [...BAD_LINE_LISTS, []] },
        { name: "total", required: true, invalid: [...BAD_MONEY, 30_001, 29_999] },
        { name: "guestId", required: false, invalid: BAD_UUIDS },
        { name: "guest", required: false, invalid: [...BAD_GUEST_REFS, { identifier: fixture.cardCode }] },
        { name: "redemptionId", required: false, invalid: BAD_UUIDS },
        { name: "fiscal", required: false, invalid: BAD_FISCAL },
      ],
      lineFields: ["lines"],
    },
    {
      name: "refund",
      path: () => `/receipts/${fixture.receiptId}/refunds`,
      valid: (random) => ({ externalRefundId: `HRF-${random.digits(8)}`, amount: 100 }),
      fields: [
        { name: "externalRefundId", required: true, invalid: badText(128) },
        { name: "amount", required: true, invalid: BAD_REFUND_AMOUNTS },
      ],
    },
  ];
}

/** Breaks one thing: a field set to a value it never accepts, a required field removed, or a line broken. */
function breakOnce(random: Random, endpoint: Endpoint, body: Record<string, unknown>): string {
  const lineField = endpoint.lineFields && random.chance(0.35) ? random.pick(endpoint.lineFields) : undefined;
  const lines = lineField ? body[lineField] : undefined;
  if (lineField && Array.isArray(lines) && lines.length > 0) {
    const index = random.int(0, lines.length - 1);
    const brokenLine = { ...(lines[index] as Record<string, unknown>) };
    const field = random.pick(LINE_FIELDS);
    const what = setOrDelete(random, brokenLine, field);
    body[lineField] = lines.map((original, at) => (at === index ? brokenLine : original));
    return `${lineField}.${index}.${what}`;
  }
  const field = random.pick(endpoint.fields);
  return setOrDelete(random, body, field);
}

function setOrDelete(random: Random, target: Record<string, unknown>, field: FieldSpec): string {
  if (field.required && random.chance(0.2)) {
    delete target[field.name];
    return `${field.name} missing`;
  }
  const value = random.pick(field.invalid);
  target[field.name] = value;
  return `${field.name}=${excerpt(value).slice(0, 40)}`;
}

function brokenBodies(random: Random, count: number): Hostile[] {
  const all = endpoints();
  return Array.from({ length: count }, () => {
    const endpoint = random.pick(all);
    const body = endpoint.valid(random);
    const breaks = Array.from({ length: random.int(1, 3) }, () => breakOnce(random, endpoint, body));
    const extra = random.chance(0.3) ? random.pick(UNKNOWN_FIELDS) : {};
    return {
      label: `${endpoint.name} with ${breaks.join(", ")}${Object.keys(extra).length ? " and unknown fields" : ""}`,
      method: "POST",
      path: endpoint.path(random),
      body: { ...extra, ...body },
      statuses: [400],
    };
  });
}

/** Bodies that are not an object at all. */
function wrongShapes(random: Random, count: number): Hostile[] {
  const nested = (depth: number): unknown =>
    depth === 0 ? "x" : { a: nested(depth - 1), b: [nested(depth - 1 > 2 ? 2 : 0)] };
  const shapes: readonly [string, unknown][] = [
    ["null", null],
    ["an empty array", []],
    ["an array of valid bodies", [{ phone: "+79161234567", consent: true }]],
    ["a string", "phone=+79161234567&consent=true"],
    ["a number", 42],
    ["true", true],
    ["an empty object", {}],
    ["nested garbage", nested(12)],
  ];
  const all = endpoints();
  return Array.from({ length: count }, () => {
    const [what, body] = random.pick(shapes);
    const endpoint = random.pick(all);
    return {
      label: `${endpoint.name} with ${what}`,
      method: "POST",
      path: endpoint.path(random),
      body,
      statuses: [400],
    };
  });
}

/** Text that is not JSON (or is JSON of no use), or a body above the 1 MB limit. */
function notJson(random: Random, count: number): Hostile[] {
  const texts: readonly [string, string][] = [
    ["an empty body", ""],
    ["blanks", "   \n\t"],
    ["an unclosed object", '{"phone": "+79161234567", "consent": true'],
    ["single quotes", "{'phone': '+79161234567', 'consent': true}"],
    ["a trailing comma", '{"identifier": "1234567890",}'],
    ["NaN", '{"guestId": "x", "points": NaN, "checkTotal": 100}'],
    ["Infinity", '{"amount": Infinity, "externalRefundId": "X"}'],
    ["1e400", '{"externalRefundId": "HRF-1", "amount": 1e400}'],
    ["a bare 1e400", "1e400"],
    ["undefined", "undefined"],
    ["a NUL byte", "\u0000"],
    ["a byte-order mark before broken JSON", "\uFEFF{"],
    ["a half literal", "tru"],
    ["an unterminated string", '"unterminated'],
    ["a JavaScript expression", "({phone: require('child_process')})"],
    ["XML", "<receipt><total>1</total></receipt>"],
    ["a body over 1 MB", JSON.stringify({ phone: "+79161234567", consent: true, name: "x".repeat(1_100_000) })],
    ["100 000 unclosed brackets", "[".repeat(100_000)],
    ["JSON of 5 000 nested arrays", `${"[".repeat(5_000)}${"]".repeat(5_000)}`],
  ];
  const all = endpoints();
  return Array.from({ length: count }, () => {
    const [what, rawBody] = random.pick(texts);
    const endpoint = random.pick(all);
    return {
      label: `${endpoint.name} with ${what}`,
      method: "POST",
      path: endpoint.path(random),
      rawBody,
      statuses: [400],
    };
  });
}

/** Valid bodies that would write, sent without the JSON content type: refused before anything is read. */
function wrongContentTypes(random: Random, count: number): Hostile[] {
  const types = [
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=zerno",
    "application/xml",
    "application/jsonp",
    "application/json-seq",
    "text/json",
    "",
  ];
  const all = endpoints();
  return Array.from({ length: count }, () => {
    const endpoint = random.pick(all);
    const type = random.pick(types);
    return {
      label: `valid ${endpoint.name} as "${type}"`,
      method: "POST",
      path: endpoint.path(random),
      rawBody: JSON.stringify(endpoint.valid(random)),
      headers: { "content-type": type },
      statuses: [400],
    };
  });
}

/** Hostile ids in the path, unknown routes and methods. */
function hostilePaths(random: Random, count: number): Hostile[] {
  const unknownId = encodeURIComponent("../../etc/passwd");
  const cases: readonly Omit<Hostile, "label">[] = [
    ...BAD_UUIDS.filter((id) => typeof id === "string" && id !== "").map((id) => ({
      method: "DELETE",
      path: `/redemptions/${encodeURIComponent(id as string)}`,
      // No hold can have an id that is not a UUID: 404, as for any unknown id.
      statuses: [404],
    })),
    { method: "DELETE", path: `/redemptions/${randomUUIDFrom(3)}`, statuses: [404] },
    { method: "GET", path: `/receipts/${"x".repeat(129)}`, statuses: [404] },
    { method: "GET", path: `/receipts/${encodeURIComponent(HUGE.slice(0, 2_000))}`, statuses: [404] },
    { method: "GET", path: `/receipts/${unknownId}`, statuses: [404] },
    { method: "GET", path: `/receipts/${encodeURIComponent("'; drop table receipts; --")}`, statuses: [404] },
    { method: "GET", path: `/receipts/${encodeURIComponent("REAL-1 ")}`, statuses: [404] },
    { method: "GET", path: `/receipts/${encodeURIComponent("чек №1")}`, statuses: [404] },
    { method: "GET", path: "/receipts/*", statuses: [404] },
    { method: "GET", path: "/receipts/a%00b", statuses: [404] },
    { method: "GET", path: "/receipts/%E0%A4%A", statuses: [404] },
    { method: "DELETE", path: "/redemptions/%ZZ", statuses: [404] },
    {
      method: "POST",
      path: "/receipts/%E0%A4%A/refunds",
      body: { externalRefundId: "HRF-X", amount: 100 },
      statuses: [404],
    },
    {
      method: "POST",
      path: `/receipts/${unknownId}/refunds`,
      body: { externalRefundId: "HRF-X", amount: 100, externalId: fixture.receiptId },
      statuses: [404],
    },
    {
      method: "POST",
      path: `/receipts/${"x".repeat(129)}/refunds`,
      body: { externalRefundId: "HRF-X", amount: 100 },
      statuses: [404],
    },
    { method: "PUT", path: "/receipts", body: receiptBody("H-PUT", 100), statuses: [404] },
    { method: "PATCH", path: "/guests", body: { phone: "+79161234567", consent: true }, statuses: [404] },
    { method: "POST", path: "/program", body: {}, statuses: [404] },
    { method: "GET", path: "/redemptions", statuses: [404] },
    { method: "GET", path: "/receipts", statuses: [404] },
    { method: "DELETE", path: `/receipts/${fixture.receiptId}`, statuses: [404] },
    { method: "GET", path: "/guests/identify", statuses: [404] },
    { method: "POST", path: `/receipts/${fixture.receiptId}/refunds/extra`, body: {}, statuses: [404] },
    { method: "GET", path: "/PROGRAM", statuses: [404] },
    { method: "GET", path: "/program/", statuses: [404] },
    { method: "GET", path: "//program", statuses: [404] },
    { method: "GET", path: "/", statuses: [404] },
    { method: "GET", path: "/openapi.json/../../admin", statuses: [404] },
  ];
  return Array.from({ length: count }, () => {
    const hostile = random.pick(cases);
    return { ...hostile, label: `${hostile.method} ${hostile.path.slice(0, 60)}` };
  });
}

/** Well-formed requests that a business rule refuses: 404, 409 or 422, and still nothing written. */
function refusedByRules(random: Random, count: number): Hostile[] {
  const { guestId, cardCode, phone, receiptId, refundId, total } = fixture;
  const stranger = randomUUIDFrom(4);
  const cases: readonly Hostile[] = [
    {
      label: "an unknown card",
      method: "POST",
      path: "/guests/identify",
      body: { identifier: "0000000000" },
      statuses: [404],
    },
    {
      label: "a query as identifier",
      method: "POST",
      path: "/guests/identify",
      body: { identifier: "' OR '1'='1" },
      statuses: [404],
    },
    {
      label: "a wildcard identifier",
      method: "POST",
      path: "/guests/identify",
      body: { identifier: "%" },
      statuses: [404],
    },
    {
      label: "a QR of nobody",
      method: "POST",
      path: "/guests/identify",
      body: { identifier: `zq1.${stranger}.000000` },
      statuses: [404],
    },
    {
      label: "a QR-shaped code whose id is not a UUID",
      method: "POST",
      path: "/guests/identify",
      body: { identifier: `zq1.${"-".repeat(36)}.123456` },
      statuses: [404],
    },
    {
      label: "a stale QR",
      method: "POST",
      path: "/guests/identify",
      body: { identifier: `zq1.${guestId}.000000` },
      statuses: [404],
    },
    {
      label: "an enrolled phone again",
      method: "POST",
      path: "/guests",
      body: { phone: `8${phone.slice(2)}`, consent: true },
      statuses: [422],
    },
    {
      label: "a hold for nobody",
      method: "POST",
      path: "/redemptions",
      body: { guestId: stranger, points: 1, checkTotal: 100_000 },
      statuses: [404],
    },
    {
      label: "a hold over the cap",
      method: "POST",
      path: "/redemptions",
      body: { guestId, points: 100, checkTotal: 100 },
      statuses: [422],
    },
    {
      label: "a hold over the balance",
      method: "POST",
      path: "/redemptions",
      body: { guestId, points: 100_000, checkTotal: 1_000_000_000 },
      statuses: [422],
    },
    {
      label: "a receipt for nobody",
      method: "POST",
      path: "/receipts",
      body: receiptBody(`H-${random.digits(6)}`, 100, { guestId: stranger }),
      statuses: [404],
    },
    {
      label: "a receipt by an unknown card",
      method: "POST",
      path: "/receipts",
      body: receiptBody(`H-${random.digits(6)}`, 100, { guest: { identifier: "0000000000" } }),
      statuses: [404],
    },
    {
      label: "a receipt committing no hold",
      method: "POST",
      path: "/receipts",
      body: receiptBody(`H-${random.digits(6)}`, 100, { guestId, redemptionId: stranger }),
      statuses: [404],
    },
    {
      label: "a receipt naming guest and guestId",
      method: "POST",
      path: "/receipts",
      body: receiptBody(`H-${random.digits(6)}`, 100, { guestId, guest: { identifier: cardCode } }),
      statuses: [400],
    },
    {
      label: "a reused externalId",
      method: "POST",
      path: "/receipts",
      body: receiptBody(receiptId, total + 100, { guestId }),
      statuses: [409],
    },
    {
      label: "a refund of nothing",
      method: "POST",
      path: `/receipts/H-NONE/refunds`,
      body: { externalRefundId: "HRF-N", amount: 1 },
      statuses: [404],
    },
    {
      label: "a refund over the check",
      method: "POST",
      path: `/receipts/${receiptId}/refunds`,
      body: { externalRefundId: `HRF-${random.digits(6)}`, amount: total },
      statuses: [422],
    },
    {
      label: "a reused refund id",
      method: "POST",
      path: `/receipts/${receiptId}/refunds`,
      body: { externalRefundId: refundId, amount: 200 },
      statuses: [409],
    },
  ];
  return Array.from({ length: count }, () => random.pick(cases));
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

describe("hostile POS requests", () => {
  const random = seededRandom(SEED);

  it("answers 600 bodies broken in 1–3 fields (wrong types, missing fields, huge numbers, bad ids and dates) with 400", async () => {
    expect(await sendAll(brokenBodies(random, 600))).toEqual([]);
  });

  it("answers 100 bodies that are not an object (null, arrays, primitives, nested garbage) with 400", async () => {
    expect(await sendAll(wrongShapes(random, 100))).toEqual([]);
  });

  it("answers 120 bodies that are not JSON or exceed 1 MB with 400", async () => {
    expect(await sendAll(notJson(random, 120))).toEqual([]);
  });

  it("answers 80 valid bodies sent with another content type with 400", async () => {
    expect(await sendAll(wrongContentTypes(random, 80))).toEqual([]);
  });

  it("answers 100 hostile path ids, unknown routes and methods with 400 or 404", async () => {
    expect(await sendAll(hostilePaths(random, 100))).toEqual([]);
  });

  it("answers 60 well-formed requests that business rules refuse with 404, 409 or 422", async () => {
    expect(await sendAll(refusedByRules(random, 60))).toEqual([]);
  });

  it("wrote nothing: no receipt, line, refund, hold, guest, consent, ledger entry, balance or audit change", async () => {
    expect(sent).toBeGreaterThanOrEqual(1_000);
    expect(await tenantRows(cafe.tenantId)).toEqual(rowsBefore);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

// Inputs that once reached PostgreSQL and failed there with a 500; each is now a 4xx. A tenant of their own,
// since a regression would write.
describe("inputs the database would refuse are answered before it", () => {
  let pos: ReturnType<typeof posClient>;
  beforeAll(async () => {
    const other = await createPosTenant(db.app, "hostile-defects");
    pos = posClient(db.app, other.key);
  });

  it("answers a NUL character in any text field with 400, or 404 in a path", async () => {
    const replies = await Promise.all([
      pos("POST", "/receipts", receiptBody("NUL\u0000", 100)),
      pos("POST", "/guests/identify", { identifier: "12\u000034" }),
      pos("POST", "/guests", { phone: "+79161239876", name: "a\u0000b", consent: true }),
      pos("GET", "/receipts/a%00b"),
    ]);
    expect(replies.map((reply) => reply.status)).toEqual([400, 400, 400, 404]);
  });

  it("answers a QR-shaped identifier whose id is not a UUID with 404", async () => {
    const reply = await pos("POST", "/guests/identify", { identifier: `zq1.${"-".repeat(36)}.123456` });
    expect(reply.status).toBe(404);
  });

  it("refuses an occurredAt in year 0000 with 400", async () => {
    const reply = await pos("POST", "/receipts", receiptBody("YEAR-0", 100, { occurredAt: "0000-01-01T00:00:00Z" }));
    expect(reply.status).toBe(400);
  });

  it("answers a malformed percent-escape in the path with 404", async () => {
    const reply = await pos("GET", "/receipts/%E0%A4%A");
    expect(reply.status).toBe(404);
  });

  it("refuses a quantity below 0.001 with 400", async () => {
    const reply = await pos("POST", "/receipts", {
      ...receiptBody("TINY-QTY", 100),
      lines: [{ sku: "tea", name: "Чай", quantity: 1e-10, unitPrice: 100, amount: 100 }],
    });
    expect(reply.status).toBe(400);
  });
});
