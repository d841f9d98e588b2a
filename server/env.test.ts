import { describe, expect, it } from "vitest";
import webpush from "web-push";
import { appDatabaseUrl, deriveAppUrl, EnvError, parseEnv, vapidKeys } from "./env";

describe("environment validation", () => {
  it("names every bad variable in one message", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://nope", PORT: "99999" })).toThrow(EnvError);
    try {
      parseEnv({ DATABASE_URL: "mysql://nope", PORT: "99999" });
    } catch (error) {
      expect((error as Error).message).toContain("DATABASE_URL");
      expect((error as Error).message).toContain("PORT");
    }
  });

  it("requires the secrets in production and only there", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://x@h/db" })).toThrow(
      /TOTP_ENCRYPTION_KEY: required in production[\s\S]*AUTH_SECRET: required in production/,
    );
    expect(parseEnv({ NODE_ENV: "development" }).PORT).toBe(3000);
  });

  it("takes a VAPID key pair whole or not at all", () => {
    const pair = webpush.generateVAPIDKeys();
    expect(vapidKeys(parseEnv({ VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: pair.privateKey }))).toEqual({
      ...pair,
      subject: "mailto:no-reply@zerno.local",
    });
    expect(vapidKeys(parseEnv({}))).toBeNull();
    expect(() => parseEnv({ VAPID_PUBLIC_KEY: pair.publicKey })).toThrow(/VAPID_PRIVATE_KEY/);
    expect(() =>
      parseEnv({ ...{ VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: pair.privateKey }, VAPID_SUBJECT: "ops" }),
    ).toThrow(/VAPID_SUBJECT/);
  });

  it("treats empty variables as unset", () => {
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it("connects the app as the zerno_app role on the same server and database", () => {
    const url = new URL(deriveAppUrl("postgres://admin:secret@db.internal:6543/zerno?sslmode=require", "app-pass-123"));
    expect(url.username).toBe("zerno_app");
    expect(url.password).toBe("app-pass-123");
    expect(url.host).toBe("db.internal:6543");
    expect(url.pathname).toBe("/zerno");
    expect(url.searchParams.get("sslmode")).toBe("require");
  });

  it("refuses to start the app server without a database", () => {
    expect(() => appDatabaseUrl(parseEnv({}))).toThrow(/DATABASE_URL: required/);
    expect(appDatabaseUrl(parseEnv({ APP_DATABASE_URL: "postgres://a:b@h/d" }))).toBe("postgres://a:b@h/d");
  });
});
