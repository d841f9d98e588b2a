import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "../env";

/**
 * Where uploaded files (menu photos) live. The default keeps them in a folder under DATA_DIR;
 * another backend (an S3-compatible bucket) implements the same three calls — see README,
 * "Photos and storage".
 */
export interface BlobStorage {
  /** Stores `data` under `key`, replacing nothing visible until it is complete. */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The stored bytes, or null when nothing is stored under `key`. */
  get(key: string): Promise<{ data: Buffer; contentType: string } | null>;
}

/** Keys are paths of lower-case words: `menu/<hex>-<width>.webp`; nothing that climbs out of the folder. */
const KEY = /^[a-z0-9]+(?:\/[a-z0-9][a-z0-9_-]*)*\.(webp|jpg|png)$/;
const CONTENT_TYPES: Record<string, string> = { webp: "image/webp", jpg: "image/jpeg", png: "image/png" };

export function isStorageKey(key: string): boolean {
  return KEY.test(key) && !key.includes("..");
}

/** A folder store: one file per key under `root` (written to a temporary name, then renamed). */
export function folderStorage(root: string): BlobStorage {
  const fileOf = (key: string) => {
    if (!isStorageKey(key)) throw new Error(`Not a storage key: ${key}`);
    return path.join(root, ...key.split("/"));
  };
  return {
    async put(key, data) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      // A reader never sees half a file: the bytes land under a temporary name first.
      const temporary = `${file}.${randomUUID()}.tmp`;
      await writeFile(temporary, data);
      await rename(temporary, file);
    },
    async get(key) {
      if (!isStorageKey(key)) return null;
      try {
        const data = await readFile(fileOf(key));
        return { data, contentType: CONTENT_TYPES[key.split(".").pop() ?? ""] ?? "application/octet-stream" };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}

let configured: BlobStorage | null = null;

/** The app's storage: the folder `<DATA_DIR>/media`. */
export function storage(): BlobStorage {
  configured ??= folderStorage(path.resolve(env().DATA_DIR, "media"));
  return configured;
}
