// Sends hostile requests to a running server and keeps the score per surface: how many were sent,
// which answered 5xx (or not at all), and which answered an error that is not the surface's format.

export type FuzzRequest = {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: BodyInit | null;
  /** What the answer must look like when it is an error (besides never being a 5xx). */
  errorFormat?: "pos" | "trpc" | "json" | "any";
  /** Server-sent events: only the status is read, then the stream is dropped. */
  stream?: boolean;
};

/**
 * The address the fuzz traffic comes from, as a load balancer in front of the app writes it
 * (X-Forwarded-For, one trusted hop): its own key in every per-address rate limit, so the
 * thousands of hostile calls never use up the limits the other specs' sign-ins count against.
 */
export const FUZZ_CLIENT_ADDRESS = "198.51.100.57";

/** A request's X-Forwarded-For with the fuzz address appended (the hop the server trusts). */
export function forwardedFor(given?: string): string {
  return given ? `${given}, ${FUZZ_CLIENT_ADDRESS}` : FUZZ_CLIENT_ADDRESS;
}

export type Finding = { surface: string; label: string; status: number | "no answer"; detail: string };

const STACK_TRACE = /\n\s+at [\w.<>]+ \(|node_modules\/|webpack-internal/;

/** The error body a surface promises (POS-API.md's for the POS, tRPC's shape for tRPC). */
function formatProblem(format: FuzzRequest["errorFormat"], status: number, type: string, text: string): string | null {
  if (STACK_TRACE.test(text)) return "a stack trace in the answer";
  // 413 and 431 may come from Node's HTTP server itself, before the app sees the request.
  if (!format || format === "any" || status < 400 || status === 413 || status === 431) return null;
  if (!type.includes("application/json")) return `not JSON (${type || "no content-type"})`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "a body that is not JSON";
  }
  const error = (body as { error?: unknown }).error;
  if (format === "pos") {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    if (typeof code !== "string" || !/^[a-z_]+$/.test(code) || typeof message !== "string" || !message) {
      return `not {"error":{"code","message"}}: ${text.slice(0, 120)}`;
    }
  } else if (format === "trpc") {
    const { message, data } = (error ?? {}) as { message?: unknown; data?: { code?: unknown; httpStatus?: unknown } };
    if (typeof message !== "string" || typeof data?.code !== "string" || data.httpStatus !== status) {
      return `not tRPC's error shape: ${text.slice(0, 120)}`;
    }
  } else if (format === "json" && error === undefined) {
    return `no "error" field: ${text.slice(0, 120)}`;
  }
  return null;
}

export class Fuzzer {
  readonly sent = new Map<string, number>();
  readonly serverErrors = new Map<string, number>();
  readonly findings: Finding[] = [];
  private counter = 0;

  constructor(
    readonly baseUrl: string,
    readonly runId = `fuzz-${Date.now().toString(36)}`,
  ) {}

  /** Sends one request; a 5xx, no answer or a broken error body is recorded as a finding. */
  async send(surface: string, label: string, request: FuzzRequest): Promise<number | null> {
    const requestId = `${this.runId}-${++this.counter}`;
    this.sent.set(surface, (this.sent.get(surface) ?? 0) + 1);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    try {
      const response = await fetch(new URL(request.path, this.baseUrl), {
        method: request.method ?? "GET",
        headers: {
          "x-request-id": requestId,
          ...request.headers,
          "x-forwarded-for": forwardedFor(request.headers?.["x-forwarded-for"]),
        },
        body: request.body ?? undefined,
        redirect: "manual",
        signal: controller.signal,
        // A ReadableStream body (no length) needs half-duplex.
        ...(request.body instanceof ReadableStream ? { duplex: "half" } : {}),
      } as RequestInit);
      const status = response.status;
      if (request.stream && status < 300) {
        await response.body?.cancel();
      } else {
        const text = await response.text();
        if (status >= 500) {
          this.serverErrors.set(surface, (this.serverErrors.get(surface) ?? 0) + 1);
          this.findings.push({ surface, label, status, detail: `${requestId}: ${text.slice(0, 200)}` });
        } else {
          const problem = formatProblem(request.errorFormat, status, response.headers.get("content-type") ?? "", text);
          if (problem) this.findings.push({ surface, label, status, detail: `${requestId}: ${problem}` });
        }
      }
      return status;
    } catch (error) {
      // Past Node's header limit (16 kB) the server may drop the connection instead of answering
      // 431; a request line that long is refused by the transport, not by the app.
      if (request.path.length > 16 * 1024) return 431;
      this.serverErrors.set(surface, (this.serverErrors.get(surface) ?? 0) + 1);
      this.findings.push({ surface, label, status: "no answer", detail: `${requestId}: ${String(error)}` });
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs the tasks a few at a time (the machine has two cores; the server shares them). */
  async all(tasks: (() => Promise<unknown>)[], concurrency = 4): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < tasks.length) {
        const task = tasks[next++];
        if (task) await task();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** `fuzz: <surface> <n> inputs, <m> 5xx` for each surface, for the run's log. */
  summary(surfaces: string[] = [...this.sent.keys()]): string {
    return surfaces
      .map(
        (surface) =>
          `fuzz: ${surface} ${this.sent.get(surface) ?? 0} inputs, ${this.serverErrors.get(surface) ?? 0} 5xx`,
      )
      .join("\n");
  }

  findingsOf(surface: string): Finding[] {
    return this.findings.filter((finding) => finding.surface === surface);
  }
}

/** A request's JSON body with its content type. */
export function json(value: unknown): { body: string; headers: Record<string, string> } {
  return { body: JSON.stringify(value) ?? "", headers: { "content-type": "application/json" } };
}
