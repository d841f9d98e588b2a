import { z } from "zod";
import { APP_ROLE, deriveAppUrl } from "../db/app-role";
import {
  appDatabaseUrl,
  DEV_APP_DB_PASSWORD,
  databaseEnvShape,
  EnvError,
  envErrorOf,
  givenVariables,
} from "../db/config";

/**
 * The one module that reads process.env (create-t3-app style). Everything else imports typed
 * config from here. Validation runs on first use and at start (instrumentation.ts, the CLI);
 * a bad value stops the process with a message naming the variable.
 */
/** A JSON object in a variable (PLAN_PRICES, STRIPE_PRICES). */
const jsonObject = <T extends z.ZodType>(shape: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON object" });
        return z.NEVER;
      }
    })
    .pipe(shape)
    .optional();

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // DATABASE_URL, APP_DATABASE_URL, APP_DB_PASSWORD, DATABASE_POOL_SIZE, DATABASE_PGBOUNCER: db/ reads them itself.
  ...databaseEnvShape,
  /** Where the embedded PostgreSQL keeps its data when DATABASE_URL is unset. */
  DATA_DIR: z.string().default(".data"),
  /**
   * Proxies in front of the app that append to X-Forwarded-For (a load balancer: 1). The client
   * address is the entry that many hops from the right; anything further left is the client's say.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(1),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Set by `npm start -- --workers N` for its workers (the microcache's own renders); not for operators. */
  MICROCACHE_BYPASS_TOKEN: z.string().min(16).optional(),
  /** Processes `npm start` runs on the one port (node:cluster); `--workers N` says the same. */
  WEB_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Where `next build` writes and the server reads the build (parallel builds on one checkout). */
  NEXT_DIST_DIR: z.string().default(".next"),
  /** The Chromium `npm run bench:web` drives (Debian's by default). */
  CHROME_PATH: z.string().default("/usr/bin/chromium"),
  /** Public base URL, used in links sent by email; http://localhost:PORT when unset. */
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Encrypts TOTP secrets at rest (AES-256-GCM, key derived from it). Required in production. */
  TOTP_ENCRYPTION_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  /** Auth.js signing secret. Required in production. */
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Resend API key. Unset: mail is only written to the dev outbox (/dev/outbox). */
  RESEND_API_KEY: z.string().optional(),
  /** Resend API base URL (a local fake in tests); Resend's public API when unset. */
  RESEND_BASE_URL: z.url().optional(),
  /** Campaign sends to Resend per second at most (its default account limit is 2). */
  RESEND_RATE_PER_SECOND: z.coerce.number().positive().optional(),
  /** Signing secret of the Resend webhook endpoint (/api/webhooks/resend), "whsec_…"; unset: the endpoint answers 404. */
  RESEND_WEBHOOK_SECRET: z.string().min(8).optional(),
  /** Sender of every platform email; in production an address on a domain verified in Resend. */
  EMAIL_FROM: z.string().min(3).default("Зерно <no-reply@zerno.local>"),
  /**
   * Shows unsent mail at /dev/outbox when RESEND_API_KEY is unset. Always on outside production;
   * in production only when asked (the demo does), since the page shows sign-in and reset links.
   */
  /** Stripe secret key. Unset: billing is off (every café active, no plan limits), as self-hosting needs. */
  STRIPE_SECRET_KEY: z.string().min(3).optional(),
  /** Signing secret of the webhook endpoint (/api/stripe/webhook). */
  STRIPE_WEBHOOK_SECRET: z.string().min(3).optional(),
  /** Another Stripe-compatible API (the local server of `npm run stripe:local`, the tests'). */
  STRIPE_API_BASE: z.url().optional(),
  /** Stripe price ids: {"pro.RUB.month": "price_…", …}; a missing one is sent as inline price data. */
  STRIPE_PRICES: jsonObject(
    z.record(
      z.string().regex(/^(start|pro|chain)\.(RUB|EUR)\.(month|year)$/, "keys are <plan>.<RUB|EUR>.<month|year>"),
      z.string().min(1),
    ),
  ),
  /** Monthly price per location in minor units: {"pro.RUB": 299000, …} over the built-in ones. */
  PLAN_PRICES: jsonObject(
    z.record(
      z.string().regex(/^(start|pro|chain)\.(RUB|EUR)$/, "keys are <plan>.<RUB|EUR>"),
      z.number().int().positive(),
    ),
  ),
  /**
   * A daily backup into DATA_DIR/backups (server/ops/backup.ts). Unset: on in the demo launcher,
   * off in production (`npm start`), where the operator backs up the server (cron, WAL archiving).
   */
  BACKUP_DAILY: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true" || v === "1")),
  /** Folder of a pg_dump/pg_restore as new as the server (backups in PostgreSQL's custom format). */
  PG_BIN_DIR: z.string().optional(),
  /** How many daily backups stay in DATA_DIR/backups. */
  BACKUP_KEEP: z.coerce.number().int().min(1).max(365).default(7),
  EMAIL_OUTBOX_PAGE: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true" || v === "1")),
  /** Web Push (VAPID) key pair, base64url (`npx web-push generate-vapid-keys`). Unset: no push, email only. */
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{80,100}$/, "must be a base64url P-256 public key")
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{40,50}$/, "must be a base64url P-256 private key")
    .optional(),
  /** Who push services may contact about our pushes: a mailto: or https: URL. */
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)\S+$/, "must be a mailto: or https: URL")
    .default("mailto:no-reply@zerno.local"),
  /** An S3-compatible bucket for uploaded files (menu photos). Unset: the folder DATA_DIR/media. */
  S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      "must be a bucket name (3–63 lower-case letters, digits, dots, hyphens)",
    )
    .optional(),
  /** The store's API (MinIO, Yandex Object Storage, R2…); AWS S3 in S3_REGION when unset. */
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint host>/<key>` (MinIO and most self-hosted stores). */
  S3_FORCE_PATH_STYLE: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
});

const DEV_ONLY_SECRET = "zerno-development-only-secret-do-not-use-in-production";

/** Secrets may be left unset outside production only (they then fall back to fixed dev values). */
const withSecrets = envSchema.superRefine((config, ctx) => {
  // Half an S3 configuration would quietly keep photos on the local disk, or fail on the first upload.
  if (config.S3_BUCKET) {
    for (const key of ["S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
      if (!config[key]) ctx.addIssue({ code: "custom", path: [key], message: "required with S3_BUCKET" });
    }
  } else if (config.S3_ENDPOINT || config.S3_ACCESS_KEY_ID || config.S3_SECRET_ACCESS_KEY) {
    ctx.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "required with the other S3_* variables" });
  }
  // One half of a VAPID pair signs nothing a push service accepts.
  if (Boolean(config.VAPID_PUBLIC_KEY) !== Boolean(config.VAPID_PRIVATE_KEY)) {
    const missing = config.VAPID_PUBLIC_KEY ? "VAPID_PRIVATE_KEY" : "VAPID_PUBLIC_KEY";
    ctx.addIssue({ code: "custom", path: [missing], message: "required with the other VAPID key" });
  }
  if (config.NODE_ENV !== "production") return;
  for (const key of ["TOTP_ENCRYPTION_KEY", "AUTH_SECRET"] as const) {
    if (!config[key]) ctx.addIssue({ code: "custom", path: [key], message: "required in production" });
  }
  // The app role may read every tenant once it sets app.tenant_id: its password must not be public.
  if (config.STRIPE_SECRET_KEY && !config.STRIPE_WEBHOOK_SECRET) {
    ctx.addIssue({
      code: "custom",
      path: ["STRIPE_WEBHOOK_SECRET"],
      message: "required with STRIPE_SECRET_KEY in production",
    });
  }
  if (!config.APP_DATABASE_URL && config.APP_DB_PASSWORD === DEV_APP_DB_PASSWORD) {
    ctx.addIssue({
      code: "custom",
      path: ["APP_DB_PASSWORD"],
      message: "set a password of your own (or APP_DATABASE_URL) in production",
    });
  }
});

export function totpEncryptionKey(config: Env = env()): string {
  return config.TOTP_ENCRYPTION_KEY ?? DEV_ONLY_SECRET;
}

export function authSecret(config: Env = env()): string {
  return config.AUTH_SECRET ?? DEV_ONLY_SECRET;
}

export type Env = z.infer<typeof withSecrets>;

let cached: Env | undefined;

/** Parses an environment (process.env by default); throws EnvError naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = withSecrets.safeParse(givenVariables(source));
  if (!result.success) throw envErrorOf(result.error.issues);
  return result.data;
}

/**
 * Sets variables for this process and the processes it starts (the demo launcher uses it for
 * the database URLs and generated secrets it owns; `undefined` unsets one), and forgets the
 * cached parse.
 */
export function applyEnv(values: Record<string, string | undefined>): Env {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  cached = undefined;
  return env();
}

export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

// The database's own facts and settings (db/ never reads this module); re-exported for callers here.
export { APP_ROLE, appDatabaseUrl, DEV_APP_DB_PASSWORD, deriveAppUrl, EnvError };

/** Billing is on when a Stripe key is configured; off, every café is active with no limits. */
export function billingEnabled(config: Env = env()): boolean {
  return Boolean(config.STRIPE_SECRET_KEY);
}

/** Whether the dev outbox page may show mail (never when mail really goes out). */
export function outboxPageEnabled(config: Env = env()): boolean {
  if (config.RESEND_API_KEY) return false;
  return config.EMAIL_OUTBOX_PAGE ?? config.NODE_ENV !== "production";
}

/** The base of links in emails: PUBLIC_URL, or this server on localhost. */
export function publicUrl(config: Env = env()): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, "");
}

/**
 * The environment for a process this one starts: this process's variables (as applyEnv left
 * them) with `values` on top and the `without` ones removed.
 */
export function childProcessEnv(
  values: Record<string, string> = {},
  options: { without?: string[] } = {},
): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !options.without?.includes(name)),
  );
  // NODE_ENV is inherited like any other variable (the type insists on it being named).
  return { ...inherited, ...values } as NodeJS.ProcessEnv;
}

/** The VAPID keys of Web Push, or null when push is not configured (guests then get email only). */
export function vapidKeys(config: Env = env()): { publicKey: string; privateKey: string; subject: string } | null {
  return config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY
    ? { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY, subject: config.VAPID_SUBJECT }
    : null;
}
