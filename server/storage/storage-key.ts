/**
 * What every storage backend agrees on (storage.ts picks one): the interface and which keys exist.
 */
export interface BlobStorage {
  /** Stores `data` under `key`, replacing nothing visible until it is complete. */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The stored bytes, or null when nothing is stored under `key`. */
  get(key: string): Promise<{ data: Buffer; contentType: string } | null>;
}

/** Keys are paths of lower-case words: `menu/<hex>-<width>.webp`; nothing that climbs out of the folder. */
const KEY = /^[a-z0-9]+(?:\/[a-z0-9][a-z0-9_-]*)*\.(webp|jpg|png)$/;

export function isStorageKey(key: string): boolean {
  return KEY.test(key) && !key.includes("..");
}
