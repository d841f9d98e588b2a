// Hostile values for the fuzz suites: what a careless client, a broken integration or an attacker
// sends. Plain data, no randomness: a failure names the value and is reproduced by running again.

/** The script payloads a stored value must never run from (each sets window.__xss when it does). */
export const SCRIPT_PAYLOADS = [
  "<script>window.__xss=1</script>",
  '"><img src=x onerror="window.__xss=1">',
  "'><svg onload=window.__xss=1>",
  "javascript:window.__xss=1",
  '<a href="javascript:window.__xss=1">x</a>',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  "{{constructor.constructor('window.__xss=1')()}}",
  "</textarea><script>window.__xss=1</script>",
];

/** One megabyte of text: past every limit the app sets. */
export const ONE_MB = "A".repeat(1024 * 1024);

/** Strings every text field should take or refuse cleanly, never store broken or crash on. */
export const NASTY_STRINGS: { label: string; value: string }[] = [
  ...SCRIPT_PAYLOADS.map((value, index) => ({ label: `script#${index}`, value })),
  { label: "nul", value: "a\u0000b" },
  { label: "nul-only", value: "\u0000" },
  { label: "control", value: "\u0001\u0007\u001b[31m\u007f" },
  { label: "lone-surrogate", value: "x\ud800y" },
  { label: "reversed-surrogates", value: "\udc00\ud800" },
  { label: "rtl-override", value: "\u202egnp.exe" },
  { label: "zero-width", value: "\u200b\u200c\u200d\ufeff" },
  { label: "combining", value: `Z${"\u0336\u0337\u0338".repeat(200)}` },
  { label: "emoji", value: "👩‍👩‍👧‍👦☕️🇷🇺" },
  { label: "astral", value: "𝕏𝔂𝔃" },
  { label: "whitespace", value: " \t\n\r\u00a0\u2028\u2029 " },
  { label: "sql", value: "' OR 1=1; DROP TABLE guests; --" },
  { label: "crlf", value: "a\r\nSet-Cookie: x=1\r\n\r\nb" },
  { label: "percent", value: "%00%ff%2e%2e%2f%s%n%x" },
  { label: "path", value: "../../../../etc/passwd" },
  { label: "csv-formula", value: '=HYPERLINK("http://evil.example","x")' },
  { label: "json", value: '{"__proto__":{"polluted":1}}' },
  { label: "long-10k", value: "Ж".repeat(10_000) },
  { label: "empty", value: "" },
];

/** Values of the wrong kind for any field. */
export const WRONG_KINDS: { label: string; value: unknown }[] = [
  { label: "null", value: null },
  { label: "true", value: true },
  { label: "zero", value: 0 },
  { label: "array", value: [] },
  { label: "array-of-strings", value: ["a", "b"] },
  { label: "object", value: {} },
  {
    label: "proto-object",
    value: JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}'),
  },
  { label: "deep-array", value: deepArray(200) },
  { label: "deep-object", value: deepObject(200) },
];

/** Numbers at and past every edge a field could have. */
export const NASTY_NUMBERS: { label: string; value: unknown }[] = [
  { label: "negative", value: -1 },
  { label: "fraction", value: 0.5 },
  { label: "int32-max+1", value: 2 ** 31 },
  { label: "int64-max", value: 2 ** 63 },
  { label: "unsafe-int", value: 2 ** 53 + 2 },
  { label: "huge", value: 1e308 },
  { label: "tiny", value: -1e308 },
  { label: "min-positive", value: 5e-324 },
  { label: "numeric-string", value: "1" },
  { label: "hex-string", value: "0x10" },
];

/** Strings for fields that have a format (uuid, email, date, datetime): edge cases of the format. */
export const FORMAT_EDGES: Record<string, string[]> = {
  uuid: [
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF",
    "00000000-0000-4000-8000-00000000000",
    "00000000-0000-4000-8000-000000000000\u0000",
  ],
  email: [
    `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(60)}`,
    "a@b",
    '"a b"@example.com',
    "guest@пример.рф",
    "guest@example.com\u0000",
    "guest+<script>@example.com",
  ],
  date: ["2026-02-30", "0000-01-01", "9999-12-31", "2026-13-01", "+275760-09-13", "2026-1-1"],
  "date-time": [
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59+14:00",
    "2026-11-22T25:00:00+03:00",
    "2026-11-22T08:15:00+99:00",
    "2026-11-22T08:15:00.123456789Z",
    "2026-11-22",
  ],
};

export function deepArray(depth: number): unknown {
  let value: unknown = [];
  for (let level = 0; level < depth; level++) value = [value];
  return value;
}

export function deepObject(depth: number): unknown {
  let value: unknown = {};
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

/** Whole request bodies that are not what any JSON endpoint expects. */
export const RAW_BODIES: { label: string; body: string }[] = [
  { label: "empty", body: "" },
  { label: "truncated", body: '{"a":' },
  { label: "not-json", body: "not json at all" },
  { label: "trailing-comma", body: '{"a":1,}' },
  { label: "bom", body: '\ufeff{"a":1}' },
  { label: "duplicate-keys", body: '{"a":1,"a":"x"}' },
  { label: "null", body: "null" },
  { label: "number", body: "12345678901234567890" },
  { label: "string", body: '"<script>window.__xss=1</script>"' },
  { label: "array", body: "[1,2,3]" },
  { label: "nan", body: '{"a":NaN}' },
  { label: "proto", body: '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}' },
  { label: "deep-100k", body: `${"[".repeat(100_000)}${"]".repeat(100_000)}` },
  { label: "deep-object-10k", body: `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}` },
  { label: "one-mb-string", body: JSON.stringify({ a: ONE_MB }) },
  { label: "binary", body: "\u0000\u0001\u0002\u00ff\ufffd" },
];

/** Values for one segment of a URL path (already encoded where they must be). */
export const PATH_SEGMENTS: { label: string; segment: string }[] = [
  { label: "traversal", segment: "..%2F..%2F..%2Fetc%2Fpasswd" },
  { label: "dot-dot", segment: "%2e%2e" },
  { label: "nul", segment: "%00" },
  { label: "bad-utf8", segment: "%ff" },
  { label: "bad-escape", segment: "%zz" },
  { label: "script", segment: encodeURIComponent("<script>window.__xss=1</script>") },
  { label: "long", segment: "a".repeat(4000) },
  { label: "unicode", segment: encodeURIComponent("кофе☕") },
  { label: "uuid-nil", segment: "00000000-0000-0000-0000-000000000000" },
  { label: "quote", segment: encodeURIComponent("' OR '1'='1") },
];
