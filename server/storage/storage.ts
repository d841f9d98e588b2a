import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Env, env } from "../env";
import { s3Storage } from "./s3";
import { type BlobStorage, isStorageKey } from "./storage-key";

export { type BlobStorage, isStorageKey } from "./storage-key";

const CONTENT_TYPES: Record<string, string> = { webp: "image/webp", jpg: "image/jpeg", png: "image/png" };

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

/** The bucket the `S3_*` variables name, or null when S3_BUCKET is unset (env.ts insists on the keys with it). */
export function s3StorageFromEnv(config: Env = env()) {
  if (!config.S3_BUCKET || !config.S3_ACCESS_KEY_ID || !config.S3_SECRET_ACCESS_KEY) return null;
  return s3Storage({
    bucket: config.S3_BUCKET,
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  });
}

let configured: { for: Env; storage: BlobStorage } | null = null;

/**
 * The app's storage: an S3-compatible bucket when S3_BUCKET is set (several app servers then
 * share it), otherwise the folder `<DATA_DIR>/media`. Made again when the environment changes.
 */
export function storage(): BlobStorage {
  const config = env();
  if (configured?.for !== config) {
    configured = {
      for: config,
      storage: s3StorageFromEnv(config) ?? folderStorage(path.resolve(config.DATA_DIR, "media")),
    };
  }
  return configured.storage;
}

/**
 * Asks the configured store for an object that does not exist, at start: a wrong key, a missing
 * bucket or an unreachable endpoint shows in the log before the first upload fails. Cheap: one
 * GET. Resolves to null when the store answered as expected, else to what went wrong.
 */
export async function checkStorage(store: BlobStorage = storage()): Promise<string | null> {
  try {
    await store.get("menu/zerno-storage-check.webp");
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
