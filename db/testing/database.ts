import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, inject } from "vitest";
import { deriveAppUrl } from "../app-role";
import { type Database, openDatabase } from "../client";

export type TestDatabase = {
  /** Connected as the application role (no BYPASSRLS): what the app sees. */
  app: Database;
  /** Connected as the superuser: for setup and for checking what RLS hides. */
  admin: Database;
  adminUrl: string;
  appUrl: string;
};

/**
 * A fresh database for the calling test file, cloned from the migrated template, dropped after
 * the file's tests. Call once at module level: `const db = await testDatabase();`.
 */
export async function testDatabase(): Promise<TestDatabase> {
  const serverUrl = inject("testServerUrl");
  const template = inject("templateDatabase");
  const name = `${template.replace("_tpl_", "_f_")}_${randomBytes(4).toString("hex")}`;
  const server = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await server.unsafe(`create database "${name}" template "${template}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const adminUrl = url.toString();
  const appUrl = deriveAppUrl(adminUrl, inject("appDbPassword"));
  const admin = openDatabase(adminUrl, { max: 4 });
  const app = openDatabase(appUrl, { max: 20 });
  afterAll(async () => {
    await Promise.all([admin.client.end(), app.client.end()]);
    await server.unsafe(`drop database if exists "${name}" with (force)`);
    await server.end();
  });
  return { app: app.db, admin: admin.db, adminUrl, appUrl };
}
