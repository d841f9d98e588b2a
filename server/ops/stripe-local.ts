// npm run stripe:local: a local Stripe-compatible server (the one the tests use) for trying billing
// without Stripe: point the app at it with STRIPE_API_BASE; it delivers signed webhooks to the app.
import { parseArgs } from "node:util";
import { startFakeStripe } from "../billing/testing/fake-stripe";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "12111" },
    webhook: { type: "string", default: "http://localhost:3000/api/stripe/webhook" },
    secret: { type: "string", default: "whsec_local_development" },
  },
});

const server = await startFakeStripe({
  port: Number(values.port),
  webhookUrl: values.webhook,
  webhookSecret: values.secret,
});
console.log(`Local Stripe-compatible server at ${server.url}, webhooks to ${values.webhook}.
Start the app beside it with:
  STRIPE_SECRET_KEY=sk_test_local STRIPE_WEBHOOK_SECRET=${values.secret} STRIPE_API_BASE=${server.url} npm run demo`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
