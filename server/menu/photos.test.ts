import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { GET as media } from "@/app/media/[...key]/route";
import { applyEnv } from "../env";
import { AppError } from "../errors";
import { PHOTO_WIDTHS, photoStorageKey, photoUrl } from "../storage/photo-urls";
import { folderStorage, storage } from "../storage/storage";
import { startFakeS3 } from "../storage/testing/fake-s3";
import { MAX_PHOTO_BYTES, sniffImageType, storeProductPhoto } from "./photos";

const dataDir = await mkdtemp(path.join(tmpdir(), "zerno-photos-"));
applyEnv({ DATA_DIR: dataDir });
afterAll(() => rm(dataDir, { recursive: true, force: true }));

/** A real photo-like JPEG: a gradient, wider than tall, as a phone takes them. */
const jpeg = (width = 1200, height = 800) =>
  sharp({ create: { width, height, channels: 3, background: { r: 180, g: 120, b: 60 } } })
    .composite([
      {
        input: Buffer.from(
          `<svg width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${height / 3}" fill="#fff"/></svg>`,
        ),
      },
    ])
    .jpeg({ quality: 90 })
    .toBuffer();

async function reason(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.reason;
    throw error;
  }
  return "accepted";
}

describe("menu photos", () => {
  it("a JPEG is stored as square WebP in every width, under its content's hash, once", async () => {
    const bytes = await jpeg();
    const { key, type } = await storeProductPhoto(storage(), bytes);
    expect(type).toBe("jpeg");
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    for (const width of PHOTO_WIDTHS) {
      const stored = await storage().get(photoStorageKey(key, width));
      if (!stored) throw new Error(`no ${width}`);
      const meta = await sharp(stored.data).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["webp", width, width]);
    }
    // The same photo again: the same key (nothing new to cache).
    expect((await storeProductPhoto(storage(), bytes)).key).toBe(key);
  });

  it("PNG and WebP are taken too, by what the bytes are", async () => {
    const png = await sharp(await jpeg(400, 400))
      .png()
      .toBuffer();
    const webp = await sharp(await jpeg(400, 400))
      .webp()
      .toBuffer();
    expect(sniffImageType(png)).toBe("png");
    expect(sniffImageType(webp)).toBe("webp");
    expect((await storeProductPhoto(storage(), png)).type).toBe("png");
  });

  it("a text file named photo.jpg is refused: the type is read from the content, not the name", async () => {
    const text = Buffer.from("This is not a photo, whatever the file is called: photo.jpg\n");
    expect(await reason(storeProductPhoto(storage(), text))).toBe("photo_not_image");
  });

  it("a real image over 10 MB is refused before it is decoded", async () => {
    // Noise does not compress: an uncompressed 2000×2000 PNG is about 12 MB.
    const huge = await sharp({
      create: {
        width: 2000,
        height: 2000,
        channels: 3,
        background: "#888",
        noise: { type: "gaussian", mean: 128, sigma: 60 },
      },
    })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(huge.length).toBeGreaterThan(MAX_PHOTO_BYTES);
    expect(sniffImageType(huge)).toBe("png");
    expect(await reason(storeProductPhoto(storage(), huge))).toBe("photo_too_large");
  });

  it("a file that starts like a JPEG but is damaged is refused as unreadable; an empty one as empty", async () => {
    const damaged = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
    expect(await reason(storeProductPhoto(storage(), damaged))).toBe("photo_unreadable");
    expect(await reason(storeProductPhoto(storage(), Buffer.alloc(0)))).toBe("photo_empty");
  });

  it("photos are served with a year's immutable caching; unknown or climbing keys are 404", async () => {
    const { key } = await storeProductPhoto(storage(), await jpeg(640, 480));
    const url = photoUrl(key, 320);
    const answer = await media(new Request(`http://localhost${url}`), {
      params: Promise.resolve({ key: url.replace("/media/", "").split("/") }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("image/webp");
    expect(answer.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await sharp(Buffer.from(await answer.arrayBuffer())).metadata()).width).toBe(320);
    for (const parts of [
      ["menu", "nothing-320.webp"],
      ["..", "..", "etc", "passwd"],
      ["menu", "..", "x.webp"],
    ]) {
      const missing = await media(new Request("http://localhost/media/x"), { params: Promise.resolve({ key: parts }) });
      expect(missing.status).toBe(404);
    }
    await expect(folderStorage(dataDir).put("../escape.webp", Buffer.from("x"), "image/webp")).rejects.toThrow(
      /storage key/,
    );
  });

  it("with S3_* set, a photo goes to the bucket (not DATA_DIR) and the media route serves it from there", async () => {
    const credentials = { accessKeyId: "PHOTOSKEY", secretAccessKey: "photos-test-secret-0123456789" };
    const bucket = await startFakeS3({ bucket: "cafe-photos", region: "us-east-1", ...credentials });
    try {
      applyEnv({
        S3_BUCKET: "cafe-photos",
        S3_ENDPOINT: bucket.url,
        S3_ACCESS_KEY_ID: credentials.accessKeyId,
        S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        S3_FORCE_PATH_STYLE: "true",
      });
      // A photo of its own size, so its key is not one an earlier test left in the folder.
      const { key } = await storeProductPhoto(storage(), await jpeg(900, 700));
      for (const width of PHOTO_WIDTHS) {
        expect(bucket.objects.get(photoStorageKey(key, width))?.contentType).toBe("image/webp");
      }
      expect(await folderStorage(path.join(dataDir, "media")).get(photoStorageKey(key, 640))).toBeNull();

      const url = photoUrl(key, 640);
      const answer = await media(new Request(`http://localhost${url}`), {
        params: Promise.resolve({ key: url.replace("/media/", "").split("/") }),
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toBe("image/webp");
      expect(answer.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const served = Buffer.from(await answer.arrayBuffer());
      expect(served.equals(bucket.objects.get(photoStorageKey(key, 640))?.data ?? Buffer.alloc(0))).toBe(true);
      expect((await sharp(served).metadata()).width).toBe(640);
      const missing = await media(new Request("http://localhost/media/x"), {
        params: Promise.resolve({ key: ["menu", "nothing-640.webp"] }),
      });
      expect(missing.status).toBe(404);
    } finally {
      applyEnv({
        S3_BUCKET: undefined,
        S3_ENDPOINT: undefined,
        S3_ACCESS_KEY_ID: undefined,
        S3_SECRET_ACCESS_KEY: undefined,
        S3_FORCE_PATH_STYLE: undefined,
      });
      await bucket.close();
    }
  });
});
