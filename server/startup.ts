import { appDb } from "@/db/client";
import { appDatabaseUrl, EnvError, env } from "./env";
import { startBackgroundJobs } from "./jobs";
import { logger } from "./log";

// A bad environment stops the server with a message naming the variable, before any request.
try {
  appDatabaseUrl(env());
  logger().info({ nodeEnv: env().NODE_ENV }, "zerno server starting");
  startBackgroundJobs(appDb());
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(error.message);
  process.exit(1);
}
