// npm run s3:local: a local S3-compatible server (the one the tests use; one bucket in memory,
// path-style, Signature V4 checked) for trying photo storage in a bucket without a cloud account.
import { parseArgs } from "node:util";
import { startFakeS3 } from "../storage/testing/fake-s3";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "12112" },
    bucket: { type: "string", default: "zerno-local" },
    region: { type: "string", default: "us-east-1" },
    "access-key-id": { type: "string", default: "ZERNOLOCALKEY" },
    secret: { type: "string", default: "zerno-local-development-secret" },
  },
});

const server = await startFakeS3({
  port: Number(values.port),
  bucket: values.bucket,
  region: values.region,
  accessKeyId: values["access-key-id"],
  secretAccessKey: values.secret,
});
console.log(`Local S3-compatible server at ${server.url}, bucket ${values.bucket} (kept in memory: gone when it stops).
Start the app beside it with:
  S3_BUCKET=${values.bucket} S3_ENDPOINT=${server.url} S3_REGION=${values.region} S3_FORCE_PATH_STYLE=true \\
  S3_ACCESS_KEY_ID=${values["access-key-id"]} S3_SECRET_ACCESS_KEY=${values.secret} npm run demo`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
