import { createHash } from "node:crypto";
import sharp, { type Sharp } from "sharp";
import { AppError } from "../errors";
import { PHOTO_WIDTHS, photoStorageKey } from "../storage/photo-urls";
import type { BlobStorage } from "../storage/storage";

/** The largest upload taken, in bytes (a phone's photo is 2–6 MB). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** Decoding stops beyond this many pixels: a small file can claim a huge canvas (a "pixel bomb"). */
const MAX_INPUT_PIXELS = 50_000_000;

export type PhotoType = "jpeg" | "png" | "webp" | "gif";

/**
 * The image type the bytes themselves say (their magic numbers), whatever the file is called:
 * a text file named photo.jpg is not a JPEG. Null for anything else.
 */
export function sniffImageType(bytes: Uint8Array): PhotoType | null {
  const starts = (...prefix: number[]) => prefix.every((byte, index) => bytes[index] === byte);
  const ascii = (from: number, text: string) =>
    [...text].every((char, index) => bytes[from + index] === char.charCodeAt(0));
  if (starts(0xff, 0xd8, 0xff)) return "jpeg";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return "webp";
  if (ascii(0, "GIF87a") || ascii(0, "GIF89a")) return "gif";
  return null;
}

const refuse = (reason: string, message: string) =>
  new AppError("unprocessable", message, reason, [{ path: "photo", message }]);

/**
 * Checks an uploaded photo (≤ 10 MB, a JPEG, PNG, WebP or GIF by its content), turns it upright,
 * crops it square and stores it as WebP in each of `PHOTO_WIDTHS`, under a key made of its
 * content's hash: the same photo uploaded twice is stored once, and a URL never changes meaning,
 * so it can be cached for ever. Returns the key.
 */
export async function storeProductPhoto(store: BlobStorage, bytes: Buffer): Promise<{ key: string; type: PhotoType }> {
  if (bytes.length === 0) throw refuse("photo_empty", "The file is empty");
  if (bytes.length > MAX_PHOTO_BYTES) throw refuse("photo_too_large", "The photo is larger than 10 MB");
  const type = sniffImageType(bytes);
  if (!type) throw refuse("photo_not_image", "The file is not a JPEG, PNG, WebP or GIF image");
  const key = createHash("sha256").update(bytes).digest("hex").slice(0, 40);
  let source: Sharp;
  try {
    // `rotate()` applies the camera's orientation, so a phone photo is not shown on its side.
    source = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, animated: false }).rotate();
    const { width, height } = await source.metadata();
    if (!width || !height) throw new Error("no dimensions");
  } catch {
    throw refuse("photo_unreadable", "The image cannot be read (damaged, or too many pixels)");
  }
  try {
    const encoded = await Promise.all(
      PHOTO_WIDTHS.map(async (width) => ({
        width,
        data: await source
          .clone()
          .resize({ width, height: width, fit: "cover", position: "attention", withoutEnlargement: false })
          .webp({ quality: 80 })
          .toBuffer(),
      })),
    );
    for (const { width, data } of encoded) await store.put(photoStorageKey(key, width), data, "image/webp");
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw refuse("photo_unreadable", "The image cannot be read (damaged, or too many pixels)");
  }
  return { key, type };
}
