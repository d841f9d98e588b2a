// GET /api/health — 200 when the database answers, 503 otherwise (for load balancers).
import { sql } from "drizzle-orm";
import { appDb } from "@/db/client";
import { requestLogger } from "@/server/log";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const started = performance.now();
  try {
    await Promise.race([
      appDb().execute(sql`select 1`),
      new Promise((_, reject) => setTimeout(() => reject(new Error("database timeout")), 2_000)),
    ]);
    return Response.json({ status: "ok", database: "up", latencyMs: Math.round(performance.now() - started) });
  } catch (error) {
    requestLogger(request.headers).error({ err: error }, "health check: database unreachable");
    return Response.json({ status: "error", database: "down" }, { status: 503 });
  }
}
