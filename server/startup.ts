import { appDb } from "@/db/client";
import { appDatabaseUrl, EnvError, env } from "./env";
import { startBackgroundJobs } from "./jobs";
import { logger } from "./log";
import { checkStorage } from "./storage/storage";

// A bad environment stops the server with a message naming the variable, before any request.
try {
  appDatabaseUrl(env());
  logger().info({ nodeEnv: env().NODE_ENV }, "zerno server starting");
  // Not awaited: requests are served meanwhile; a queue that cannot start is said in the log.
  void startBackgroundJobs(appDb()).catch((error: unknown) =>
    logger().error({ err: error }, "background jobs: the job queue could not start (were the migrations run?)"),
  );
  // Not awaited: the server starts either way, and a bucket it cannot use is said in the log now.
  if (env().S3_BUCKET) {
    void checkStorage().then((problem) => {
      if (problem) logger().error({ bucket: env().S3_BUCKET, problem }, "photo storage: the S3 bucket cannot be used");
      else logger().info({ bucket: env().S3_BUCKET }, "photo storage: S3 bucket answers");
    });
  }
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(error.message);
  process.exit(1);
}
