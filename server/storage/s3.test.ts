import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { AwsClient } from "aws4fetch";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { applyEnv, parseEnv } from "../env";
import { S3Error, type S3Options, s3Storage } from "./s3";
import { checkStorage, folderStorage, storage } from "./storage";
import { startFakeS3 } from "./testing/fake-s3";

const credentials = { accessKeyId: "ZERNOTESTKEY", secretAccessKey: "zerno-test-secret-0123456789" };
const fake = await startFakeS3({ bucket: "zerno-media", region: "ru-central1", ...credentials });
const dataDir = await mkdtemp(path.join(tmpdir(), "zerno-s3-"));
afterAll(async () => {
  await fake.close();
  await rm(dataDir, { recursive: true, force: true });
});

const options: S3Options = {
  bucket: "zerno-media",
  endpoint: fake.url,
  region: "ru-central1",
  forcePathStyle: true,
  ...credentials,
};
const bucket = s3Storage(options);

const S3_UNSET = {
  S3_BUCKET: undefined,
  S3_ENDPOINT: undefined,
  S3_REGION: undefined,
  S3_ACCESS_KEY_ID: undefined,
  S3_SECRET_ACCESS_KEY: undefined,
  S3_FORCE_PATH_STYLE: undefined,
};
afterEach(() => {
  applyEnv(S3_UNSET);
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("S3-compatible storage", () => {
  it("stores bytes with their content type and reads both back, path-style", async () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, index) => (index * 31) % 256));
    await bucket.put("menu/abc123-320.webp", bytes, "image/webp");
    expect(fake.requests.at(-1)).toMatchObject({
      method: "PUT",
      path: "/zerno-media/menu/abc123-320.webp",
      status: 200,
    });
    expect(fake.objects.get("menu/abc123-320.webp")?.contentType).toBe("image/webp");

    const stored = await bucket.get("menu/abc123-320.webp");
    expect(stored?.contentType).toBe("image/webp");
    expect(stored?.data.equals(bytes)).toBe(true);
    await bucket.put("menu/other.png", Buffer.from("png bytes"), "image/png");
    expect((await bucket.get("menu/other.png"))?.contentType).toBe("image/png");
  });

  it("a key nothing is stored under is null; a bucket that does not exist is an error", async () => {
    expect(await bucket.get("menu/never-stored-320.webp")).toBeNull();
    expect(fake.requests.at(-1)).toMatchObject({ status: 404, code: "NoSuchKey" });
    const elsewhere = s3Storage({ ...options, bucket: "no-such-bucket" });
    const error = await rejection(elsewhere.get("menu/never-stored-320.webp"));
    expect(error).toBeInstanceOf(S3Error);
    expect((error as S3Error).code).toBe("NoSuchBucket");
  });

  it("a wrong secret is refused by the store as SignatureDoesNotMatch: an error, never a missing photo", async () => {
    await bucket.put("menu/signed-160.webp", Buffer.from("real"), "image/webp");
    const forged = s3Storage({ ...options, secretAccessKey: "not-the-secret-0123456789" });
    // Started one at a time: a rejected promise nobody awaits yet would be an unhandled rejection.
    for (const attempt of [
      () => forged.get("menu/signed-160.webp"),
      () => forged.get("menu/absent-160.webp"),
      () => forged.put("menu/signed-160.webp", Buffer.from("forged"), "image/webp"),
    ]) {
      const error = await rejection(attempt());
      expect(error).toBeInstanceOf(S3Error);
      expect([(error as S3Error).status, (error as S3Error).code]).toEqual([403, "SignatureDoesNotMatch"]);
    }
    expect(fake.objects.get("menu/signed-160.webp")?.data.toString()).toBe("real");
    const unknownKey = await rejection(s3Storage({ ...options, accessKeyId: "SOMEONEELSE" }).get("menu/a.webp"));
    expect((unknownKey as S3Error).code).toBe("InvalidAccessKeyId");
  });

  it("the store checks the signed payload hash and refuses unsigned requests", async () => {
    // A correctly signed request whose body is swapped on the way.
    const signer = new AwsClient({ ...credentials, service: "s3", region: "ru-central1" });
    const signed = await signer.sign(`${fake.url}/zerno-media/menu/swapped.webp`, {
      method: "PUT",
      body: "original",
      headers: { "x-amz-content-sha256": createHash("sha256").update("original").digest("hex") },
    });
    const swapped = await fetch(signed.url, { method: "PUT", headers: signed.headers, body: "replaced" });
    expect(swapped.status).toBe(400);
    expect(await swapped.text()).toContain("XAmzContentSHA256Mismatch");
    expect(fake.objects.has("menu/swapped.webp")).toBe(false);
    // The same signed request with the body it was signed for is taken.
    const intact = await fetch(signed.url, { method: "PUT", headers: signed.headers, body: "original" });
    expect(intact.status).toBe(200);
    const anonymous = await fetch(`${fake.url}/zerno-media/menu/abc123-320.webp`);
    expect(anonymous.status).toBe(403);
  });

  it("keys are checked as in the folder store, before any request", async () => {
    const folder = folderStorage(dataDir);
    const before = fake.requests.length;
    for (const key of [
      "../escape.webp",
      "menu/../../etc/passwd.png",
      "Menu/UPPER.webp",
      "menu/x.exe",
      "/menu/a.webp",
    ]) {
      await expect(bucket.put(key, Buffer.from("x"), "image/webp")).rejects.toThrow(/storage key/);
      await expect(folder.put(key, Buffer.from("x"), "image/webp")).rejects.toThrow(/storage key/);
      expect(await bucket.get(key)).toBeNull();
      expect(await folder.get(key)).toBeNull();
    }
    expect(fake.requests.length).toBe(before);
  });

  it("virtual-hosted URLs by default, on AWS when no endpoint is given", () => {
    const aws = s3Storage({ ...options, endpoint: undefined, region: "eu-central-1", forcePathStyle: false });
    expect(aws.objectUrl("menu/a-160.webp")).toBe("https://zerno-media.s3.eu-central-1.amazonaws.com/menu/a-160.webp");
    const yandex = s3Storage({ ...options, endpoint: "https://storage.yandexcloud.net", forcePathStyle: false });
    expect(yandex.objectUrl("menu/a-160.webp")).toBe("https://zerno-media.storage.yandexcloud.net/menu/a-160.webp");
    expect(bucket.objectUrl("menu/a-160.webp")).toBe(`${fake.url}/zerno-media/menu/a-160.webp`);
  });
});

describe("choosing the store from the environment", () => {
  const s3Env = {
    S3_BUCKET: "zerno-media",
    S3_ENDPOINT: fake.url,
    S3_REGION: "ru-central1",
    S3_ACCESS_KEY_ID: credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    S3_FORCE_PATH_STYLE: "true",
  };

  it("storage() is the bucket when S3_BUCKET is set, and the DATA_DIR folder when it is not", async () => {
    applyEnv({ DATA_DIR: dataDir, ...s3Env });
    await storage().put("menu/chosen-160.webp", Buffer.from("in the bucket"), "image/webp");
    expect(fake.objects.get("menu/chosen-160.webp")?.data.toString()).toBe("in the bucket");
    expect(existsSync(path.join(dataDir, "media", "menu", "chosen-160.webp"))).toBe(false);

    applyEnv(S3_UNSET);
    await storage().put("menu/local-160.webp", Buffer.from("on the disk"), "image/webp");
    expect(await readFile(path.join(dataDir, "media", "menu", "local-160.webp"), "utf8")).toBe("on the disk");
    expect(fake.objects.has("menu/local-160.webp")).toBe(false);
    expect(await storage().get("menu/chosen-160.webp")).toBeNull();
  });

  it("half an S3 configuration stops the process with the missing variable named", () => {
    expect(() => parseEnv({ S3_BUCKET: "zerno-media" })).toThrow(
      /S3_ACCESS_KEY_ID: required with S3_BUCKET[\s\S]*S3_SECRET_ACCESS_KEY: required with S3_BUCKET/,
    );
    expect(() => parseEnv({ S3_ENDPOINT: "http://minio:9000", S3_ACCESS_KEY_ID: "k" })).toThrow(
      /S3_BUCKET: required with the other S3_\* variables/,
    );
    expect(() => parseEnv({ ...s3Env, S3_BUCKET: "Not_A_Bucket" })).toThrow(/S3_BUCKET: must be a bucket name/);
    const parsed = parseEnv(s3Env);
    expect([parsed.S3_REGION, parsed.S3_FORCE_PATH_STYLE]).toEqual(["ru-central1", true]);
    expect(parseEnv({}).S3_FORCE_PATH_STYLE).toBe(false);
  });

  it("the start-up check says when the bucket cannot be used, and is quiet when it can", async () => {
    applyEnv(s3Env);
    expect(await checkStorage()).toBeNull();
    applyEnv({ S3_SECRET_ACCESS_KEY: "a-wrong-secret-0123456789" });
    expect(await checkStorage()).toMatch(/SignatureDoesNotMatch/);
    applyEnv({ S3_SECRET_ACCESS_KEY: credentials.secretAccessKey, S3_BUCKET: "missing-bucket" });
    expect(await checkStorage()).toMatch(/NoSuchBucket/);
  });
});
