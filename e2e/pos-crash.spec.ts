// Kills a second production server with SIGKILL in the middle of simulated POS load, restarts it, and checks that
// every receipt and refund it answered 2xx is stored as answered, that retrying the unanswered ones is safe, and
// that every balance still equals its ledger. Runs in `npm run test:e2e` (after npm run build), beside the webServer.
import { spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, test } from "@playwright/test";
import { openDatabase } from "@/db/client";
import { deriveAppUrl } from "@/server/env";
import {
  FALLBACK_MENU,
  NO_ANSWER,
  type PosAnswer,
  type PosCall,
  type PosSend,
  posHttp,
  type ReceiptReply,
  type RefundReply,
  type RefundSummary,
  type StoredReceiptReply,
  seededRandom,
} from "@/server/ops/pos-load";
import { type ActionResult, enrolRegulars, simulate } from "@/server/ops/pos-simulate";
import { createPosTenant } from "@/server/pos/testing";
import { e2eDataDir } from "../playwright.config";
import { readDataFile, startAppServer, stopAppServer } from "./app-server";

const TSX_CLI = "node_modules/tsx/dist/cli.mjs";

/** What the server answered 2xx, by externalId: the receipt and the refunds of it. */
type Answered = {
  receipts: Map<string, ReceiptReply["receipt"]>;
  refunds: Map<string, RefundSummary[]>;
};

/** Notes every receipt and refund answered 2xx, and every receipt or refund POST that got no answer. */
function recorder(answered: Answered, unanswered: ActionResult[]) {
  return (result: ActionResult) => {
    const isWrite = result.call.method === "POST" && result.call.path.startsWith("/receipts");
    if (isWrite && result.status === NO_ANSWER) unanswered.push(result);
    if (result.status >= 200 && result.status < 300) remember(answered, result.call, result.body);
  };
}

function remember(answered: Answered, call: PosCall, body: unknown) {
  if (call.path === "/receipts") {
    const { receipt } = body as ReceiptReply;
    answered.receipts.set(receipt.externalId, receipt);
    return;
  }
  const refunded = /^\/receipts\/([^/]+)\/refunds$/.exec(call.path);
  if (!refunded?.[1]) return;
  const externalId = decodeURIComponent(refunded[1]);
  const { refund } = body as RefundReply;
  const known = answered.refunds.get(externalId) ?? [];
  if (!known.some((other) => other.externalRefundId === refund.externalRefundId)) known.push(refund);
  answered.refunds.set(externalId, known);
}

/** Sends, waiting out the per-key rate limit when a burst of checks reaches it. */
async function sendPatiently<T>(send: PosSend, call: PosCall): Promise<PosAnswer<T>> {
  for (;;) {
    const answer = await send<T>(call);
    if (answer.status !== 429) return answer;
    await sleep(1_000);
  }
}

function ledgerCheck() {
  const { DATABASE_URL: _admin, APP_DATABASE_URL: _app, ...inherited } = process.env;
  return spawnSync(process.execPath, [TSX_CLI, "server/ops/cli.ts", "check-ledger"], {
    env: { ...inherited, DATA_DIR: e2eDataDir },
    encoding: "utf8",
  });
}

test("every POS answer survives a kill -9 of the server mid-load, and balances still equal the ledger", async () => {
  test.setTimeout(180_000);
  // Both projects run this at once: each on its own port, tenant and externalIds.
  const project = test.info().project.name;
  const port = project === "phone" ? 3202 : 3201;
  const baseUrl = `http://127.0.0.1:${port}`;
  const { adminUrl } = readDataFile<{ adminUrl: string }>("running.json");
  const { APP_DB_PASSWORD } = readDataFile<{ APP_DB_PASSWORD: string }>("secrets.json");
  const app = openDatabase(deriveAppUrl(adminUrl, APP_DB_PASSWORD), { max: 2 });
  const cafe = await createPosTenant(app.db, `crash-${project}-${Date.now().toString(36)}`);
  await app.client.end();
  const send = posHttp(baseUrl, cafe.key);

  let server = await startAppServer(port);
  try {
    const answered: Answered = { receipts: new Map(), refunds: new Map() };
    const unanswered: ActionResult[] = [];
    const regulars = await enrolRegulars(send, seededRandom(Date.now()), 16);
    const stop = new AbortController();
    const load = simulate({
      baseUrl,
      key: cafe.key,
      tenant: { regulars, menu: FALLBACK_MENU },
      rate: 80,
      duration: 60,
      signal: stop.signal,
      idPrefix: `CRASH-${project}`,
      onResult: recorder(answered, unanswered),
    });

    await expect.poll(() => answered.receipts.size >= 60 && answered.refunds.size >= 2, { timeout: 40_000 }).toBe(true);
    await stopAppServer(server, "SIGKILL");
    await sleep(1_500); // the tills keep sending to a dead server for a moment
    stop.abort();
    const report = await load;
    expect(report.unexpected.filter((result) => result.status !== NO_ANSWER)).toEqual([]);

    server = await startAppServer(port);
    await test.step("retrying every unanswered receipt or refund is safe: the first answer, or it is done now", async () => {
      for (const lost of unanswered) {
        const retried = await sendPatiently(send, lost.call);
        expect([...lost.expected, 200], `${lost.call.path} retried`).toContain(retried.status);
        if (retried.status < 300) remember(answered, lost.call, retried.body);
      }
    });

    await test.step(`each of ${answered.receipts.size} answered receipts is stored as answered, with its refunds`, async () => {
      for (const [externalId, receipt] of answered.receipts) {
        const stored = await sendPatiently<StoredReceiptReply>(send, {
          method: "GET",
          path: `/receipts/${encodeURIComponent(externalId)}`,
        });
        expect(stored.status, externalId).toBe(200);
        expect(stored.body.receipt, externalId).toEqual(receipt);
        for (const refund of answered.refunds.get(externalId) ?? []) {
          expect(stored.body.refunds, `${externalId} refunds`).toContainEqual(refund);
        }
      }
      const refundedReceipts = [...answered.refunds.keys()].filter((externalId) => !answered.receipts.has(externalId));
      expect(refundedReceipts, "refunds of receipts never answered").toEqual([]);
    });

    test.info().annotations.push({
      type: "crash",
      description: `${answered.receipts.size} receipts and ${[...answered.refunds.values()].flat().length} refunds answered; ${unanswered.length} writes unanswered at the kill, retried`,
    });
    await test.step("every balance equals the sum of its ledger", () => {
      const check = ledgerCheck();
      expect(check.stdout, check.stderr).toMatch(/ 0 mismatches\./);
      expect(check.status).toBe(0);
    });
  } finally {
    await stopAppServer(server, "SIGTERM");
  }
});
