import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local S3-compatible server for the tests and `npm run s3:local`: one bucket, kept in memory,
 * path-style URLs (`/<bucket>/<key>`), and only what Zerno uses — PutObject, GetObject,
 * HeadObject, HeadBucket. Like S3 it checks the AWS Signature V4 of every request against the
 * configured secret (written here from AWS's description, not with the client's signer, so a
 * client that signs wrongly is refused: 403 SignatureDoesNotMatch), and the body against its
 * signed SHA-256.
 */
export type FakeS3Options = {
  port?: number;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
};

export type FakeS3Object = { data: Buffer; contentType: string };

export type FakeS3 = {
  url: string;
  /** Stored objects by key. */
  objects: Map<string, FakeS3Object>;
  /** Every request, oldest first, with the status answered ("PUT /photos/menu/a.webp" 200). */
  requests: { method: string; path: string; status: number; code?: string }[];
  close(): Promise<void>;
};

/** How far a request's X-Amz-Date may be from now, as S3 allows. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const sha256Hex = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, text: string) => createHmac("sha256", key).update(text).digest();

/** RFC 3986 encoding, as SigV4 wants it: everything but A–Z a–z 0–9 - _ . ~ is %XX. */
const uriEncode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

function xmlError(code: string, message: string) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

type Refusal = { status: number; code: string; message: string };

/** Checks a request's `Authorization: AWS4-HMAC-SHA256 …` header; null when it is right. */
function verifySignature(
  request: IncomingMessage,
  rawPath: string,
  rawQuery: string,
  body: Buffer,
  options: FakeS3Options,
): Refusal | null {
  const denied = (code: string, message: string, status = 403): Refusal => ({ status, code, message });
  const authorization = request.headers.authorization;
  if (!authorization) return denied("AccessDenied", "Anonymous access is not allowed");
  const parsed =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!parsed) return denied("AuthorizationHeaderMalformed", "The authorization header is malformed", 400);
  const [accessKeyId, scopeDate, region, service, signedHeaderList, signature] = parsed.slice(1) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (accessKeyId !== options.accessKeyId) {
    return denied("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
  }
  if (region !== options.region || service !== "s3") {
    return denied(
      "AuthorizationHeaderMalformed",
      `The region or service of the scope is wrong; expecting '${options.region}'`,
      400,
    );
  }
  const amzDate = String(request.headers["x-amz-date"] ?? "");
  const dateMatch = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!dateMatch || amzDate.slice(0, 8) !== scopeDate) {
    return denied("AccessDenied", "X-Amz-Date is missing or does not match the credential scope");
  }
  const [, y, mo, d, h, mi, s] = dateMatch.map(Number) as number[];
  if (Math.abs(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s) - Date.now()) > MAX_SKEW_MS) {
    return denied("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
  }
  const payloadHash = String(request.headers["x-amz-content-sha256"] ?? "");
  if (!payloadHash)
    return denied("InvalidRequest", "Missing required header for this request: x-amz-content-sha256", 400);
  if (payloadHash !== "UNSIGNED-PAYLOAD" && payloadHash !== sha256Hex(body)) {
    return denied(
      "XAmzContentSHA256Mismatch",
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      400,
    );
  }
  const signedHeaders = signedHeaderList.split(";");
  if (!signedHeaders.includes("host") || !signedHeaders.includes("x-amz-date")) {
    return denied("AccessDenied", "host and x-amz-date must be signed");
  }
  // The canonical request (AWS: "Create a canonical request for Signature Version 4").
  const canonicalUri = rawPath
    .split("/")
    .map((segment) => uriEncode(decodeURIComponent(segment)))
    .join("/");
  const canonicalQuery = [...new URLSearchParams(rawQuery)]
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
  const headerValue = (name: string) => {
    const value = request.headers[name];
    return (Array.isArray(value) ? value.join(",") : (value ?? "")).trim().replace(/\s+/g, " ");
  };
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${headerValue(name)}\n`).join("");
  const canonicalRequest = [
    request.method,
    canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    signedHeaderList,
    payloadHash,
  ].join("\n");
  const scope = `${scopeDate}/${region}/s3/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${options.secretAccessKey}`, scopeDate), region), "s3"), "aws4_request");
  const expected = hmac(signingKey, stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) {
    return denied(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    );
  }
  return null;
}

export async function startFakeS3(options: FakeS3Options): Promise<FakeS3> {
  const objects = new Map<string, FakeS3Object>();
  const requests: FakeS3["requests"] = [];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const [rawPath = "/", rawQuery = ""] = (request.url ?? "/").split("?", 2);
    const method = request.method ?? "GET";
    const answer = (status: number, headers: Record<string, string> = {}, payload?: Buffer | string, code?: string) => {
      requests.push({ method, path: rawPath, status, ...(code ? { code } : {}) });
      response.writeHead(status, { "x-amz-request-id": randomBytes(8).toString("hex"), ...headers });
      response.end(method === "HEAD" ? undefined : payload);
    };
    const fail = ({ status, code, message }: Refusal) =>
      answer(status, { "content-type": "application/xml" }, xmlError(code, message), code);

    const refusal = verifySignature(request, rawPath, rawQuery, body, options);
    if (refusal) return fail(refusal);

    const [bucket, ...keyParts] = rawPath.slice(1).split("/").map(decodeURIComponent);
    const key = keyParts.join("/");
    if (bucket !== options.bucket) {
      return fail({ status: 404, code: "NoSuchBucket", message: "The specified bucket does not exist" });
    }
    if (!key) {
      if (method === "HEAD") return answer(200);
      return fail({ status: 501, code: "NotImplemented", message: "Only HeadBucket is served on a bucket" });
    }
    if (method === "PUT") {
      const contentType = String(request.headers["content-type"] ?? "binary/octet-stream");
      objects.set(key, { data: body, contentType });
      return answer(200, { etag: `"${createHash("md5").update(body).digest("hex")}"` });
    }
    if (method === "GET" || method === "HEAD") {
      const stored = objects.get(key);
      if (!stored) return fail({ status: 404, code: "NoSuchKey", message: "The specified key does not exist." });
      return answer(
        200,
        { "content-type": stored.contentType, "content-length": String(stored.data.length) },
        stored.data,
      );
    }
    return fail({ status: 501, code: "NotImplemented", message: `${method} is not served here` });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { "content-type": "application/xml" });
      response.end(xmlError("InternalError", String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
