import { z } from "zod";
import { deriveAppUrl } from "./app-role";

// The variables db/ needs, read by db/ itself (db/ never imports server/). server/env.ts spreads
// this shape into the app's whole configuration, so they are validated with the rest at start.

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
  .optional();

/** The app role's password outside production; refused in production (server/env.ts). */
export const DEV_APP_DB_PASSWORD = "zerno_app_dev_password";

export const databaseEnvShape = {
  /** Server with the right to migrate (superuser or owner with BYPASSRLS and CREATEROLE). Unset: embedded PostgreSQL. */
  DATABASE_URL: postgresUrl,
  /** The app's own connection as a role without BYPASSRLS; derived from DATABASE_URL when unset. */
  APP_DATABASE_URL: postgresUrl,
  /** Password given to the `zerno_app` role when the app derives APP_DATABASE_URL. */
  APP_DB_PASSWORD: z.string().min(8).default(DEV_APP_DB_PASSWORD),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Set when PostgreSQL sits behind PgBouncer in transaction mode. */
  DATABASE_PGBOUNCER: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
};

const databaseEnvSchema = z.object(databaseEnvShape);
export type DatabaseConfig = z.infer<typeof databaseEnvSchema>;

/** A variable with a value the app cannot use; the message names every bad one. */
export class EnvError extends Error {}

/** Unset and empty variables alike count as not given. */
export function givenVariables(source: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ""),
  );
}

export function envErrorOf(issues: readonly z.core.$ZodIssue[]): EnvError {
  const lines = issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  return new EnvError(`Invalid environment configuration:\n${lines.join("\n")}`);
}

/** The database variables of an environment (process.env by default). */
export function databaseConfig(source: Record<string, string | undefined> = process.env): DatabaseConfig {
  const result = databaseEnvSchema.safeParse(givenVariables(source));
  if (!result.success) throw envErrorOf(result.error.issues);
  return result.data;
}

/** The application's database URL (role without BYPASSRLS); requires DATABASE_URL or APP_DATABASE_URL. */
export function appDatabaseUrl(config: DatabaseConfig = databaseConfig()): string {
  if (config.APP_DATABASE_URL) return config.APP_DATABASE_URL;
  if (!config.DATABASE_URL) {
    throw new EnvError(
      "Invalid environment configuration:\n  DATABASE_URL: required by the app server (npm run demo / npm run dev start an embedded PostgreSQL and set it)",
    );
  }
  return deriveAppUrl(config.DATABASE_URL, config.APP_DB_PASSWORD);
}
