import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { databaseConfig } from "../config";
import { type EmbeddedServer, startEmbeddedPostgres } from "../embedded";
import { migrateDatabase } from "../migrate";

declare module "vitest" {
  export interface ProvidedContext {
    /** Admin URL of the test server, on its `postgres` maintenance database. */
    testServerUrl: string;
    /** A migrated database that each test file clones (CREATE DATABASE … TEMPLATE). */
    templateDatabase: string;
    appDbPassword: string;
  }
}

/**
 * Tests run on a real PostgreSQL: DATABASE_URL's server when set, otherwise an embedded one in a
 * throw-away directory. The migrations are applied once to a template database; each test file
 * gets its own copy, so files run in parallel without seeing each other's rows.
 */
export default async function setup(project: TestProject) {
  const config = databaseConfig();
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  let embedded: EmbeddedServer | undefined;
  let dataDir: string | undefined;
  let serverUrl: string;
  if (config.DATABASE_URL) {
    const url = new URL(config.DATABASE_URL);
    url.pathname = "/postgres";
    serverUrl = url.toString();
  } else {
    dataDir = path.join(os.tmpdir(), `zerno-test-pg-${runId}`);
    embedded = await startEmbeddedPostgres(dataDir, { database: "postgres" });
    serverUrl = embedded.adminUrl;
  }
  const templateDatabase = `zerno_test_tpl_${runId}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${templateDatabase}"`);
  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${templateDatabase}`;
  await migrateDatabase(templateUrl.toString(), config.APP_DB_PASSWORD);

  project.provide("testServerUrl", serverUrl);
  project.provide("templateDatabase", templateDatabase);
  project.provide("appDbPassword", config.APP_DB_PASSWORD);

  return async () => {
    const leftovers = await admin`select datname from pg_database where datname like ${`zerno_test_%${runId}%`}`;
    for (const { datname } of leftovers) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    await admin.end();
    if (embedded) await embedded.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
