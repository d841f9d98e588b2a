// GET /api/health — 200 when the database answers, 503 otherwise (for load balancers).
import { databaseAnswers } from "@/server/health";
import { requestLogger } from "@/server/log";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const started = performance.now();
  try {
    await databaseAnswers(2_000);
    return Response.json({ status: "ok", database: "up", latencyMs: Math.round(performance.now() - started) });
  } catch (error) {
    requestLogger(request.headers).error({ err: error }, "health check: database unreachable");
    return Response.json({ status: "error", database: "down" }, { status: 503 });
  }
}
