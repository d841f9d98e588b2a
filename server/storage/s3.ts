import { createHash } from "node:crypto";
import { AwsClient } from "aws4fetch";
import { type BlobStorage, isStorageKey } from "./storage-key";

export type S3Options = {
  bucket: string;
  /** The store's API base (`https://storage.yandexcloud.net`, `http://minio:9000`); AWS S3 in `region` when unset. */
  endpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `<endpoint>/<bucket>/<key>` rather than `<bucket>.<endpoint host>/<key>`. */
  forcePathStyle: boolean;
  /** Milliseconds one request may take (retries included). */
  timeoutMs?: number;
};

/** An answer of the store other than success or a missing key: its S3 error code, HTTP status and message. */
export class S3Error extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(`S3 ${status} ${code}: ${message}`);
    this.name = "S3Error";
  }
}

const sha256Hex = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");

/** S3 answers errors as `<Error><Code>NoSuchKey</Code><Message>…</Message></Error>`. */
async function s3Error(response: Response): Promise<S3Error> {
  const body = await response.text().catch(() => "");
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? `Http${response.status}`;
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? response.statusText;
  return new S3Error(code, response.status, message);
}

/**
 * A bucket of an S3-compatible store (AWS S3, MinIO, Yandex Object Storage, Cloudflare R2…).
 * Requests are signed with AWS Signature V4 by `aws4fetch`, the payload's SHA-256 included, so the
 * store refuses bytes changed on the way.
 */
export function s3Storage(options: S3Options): BlobStorage & { objectUrl(key: string): string } {
  // retries: aws4fetch repeats 5xx and 429 answers (re-signed); a couple is enough for a photo.
  const client = new AwsClient({
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    service: "s3",
    region: options.region,
    retries: 2,
  });
  const endpoint = new URL(options.endpoint ?? `https://s3.${options.region}.amazonaws.com`);
  const base = endpoint.pathname.replace(/\/$/, "");
  const objectUrl = (key: string) => {
    // Keys are checked lower-case words and slashes (isStorageKey): nothing in them needs encoding.
    if (options.forcePathStyle) return `${endpoint.origin}${base}/${options.bucket}/${key}`;
    return `${endpoint.protocol}//${options.bucket}.${endpoint.host}${base}/${key}`;
  };
  const timeout = () => AbortSignal.timeout(options.timeoutMs ?? 20_000);
  return {
    objectUrl,
    async put(key, data, contentType) {
      if (!isStorageKey(key)) throw new Error(`Not a storage key: ${key}`);
      const response = await client.fetch(objectUrl(key), {
        method: "PUT",
        body: new Uint8Array(data),
        headers: { "content-type": contentType, "x-amz-content-sha256": sha256Hex(data) },
        signal: timeout(),
      });
      if (!response.ok) throw await s3Error(response);
      await response.body?.cancel();
    },
    async get(key) {
      if (!isStorageKey(key)) return null;
      const response = await client.fetch(objectUrl(key), {
        method: "GET",
        headers: { "x-amz-content-sha256": sha256Hex("") },
        signal: timeout(),
      });
      if (response.ok) {
        const data = Buffer.from(await response.arrayBuffer());
        return { data, contentType: response.headers.get("content-type") ?? "application/octet-stream" };
      }
      const error = await s3Error(response);
      // Only a missing object is "nothing stored"; a missing bucket or a refused key is a fault.
      if (error.code === "NoSuchKey") return null;
      throw error;
    },
  };
}
