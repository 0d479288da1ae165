import { type TCreateReceiptOutput, ZCreateReceiptInput } from "@kassa/api/agent";
import pino from "pino";
import { afterEach, expect, it } from "vitest";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// Issue 8, item 4: a receipt committed by a commit thread that died before answering is still
// queued for printing. The thread is the real one (src/db/commit-worker.mjs) run by a fixture that
// kills it once, either right after its COMMIT or right before it.

const script = new URL("./fixtures/dying-commit-worker.mjs", import.meta.url);
const BURST = 20;

let agent: TestAgent | undefined;
afterEach(async () => {
  await agent?.destroy();
  agent = undefined;
  delete process.env.KASSA_TEST_COMMIT_THREAD_DIES;
});

async function burstWithDyingThread(when: "after-commit" | "before-commit") {
  process.env.KASSA_TEST_COMMIT_THREAD_DIES = when;
  const errors: string[] = [];
  const log = pino({ level: "error" }, { write: (line: string) => errors.push(line) });
  agent = await startTestAgent({ deps: { log, commitThreadScript: script } });
  expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
  // Sales accepted in one tick share one commit, and a shared commit goes to the thread (a lone
  // one stays on the main connection), so these go in-process rather than over HTTP.
  const answers = await Promise.all(
    Array.from({ length: BURST }, (_, n) =>
      agent!.services.receipts.create(ZCreateReceiptInput.parse(saleInput(`${when}-${n}`))),
    ),
  );
  expect(errors.some((line) => line.includes("commit thread stopped"))).toBe(true);
  return answers;
}

function expectAllPrintedOnce(answers: TCreateReceiptOutput[]) {
  // Every caller is answered with its printed receipt (none gets an error or a bare "accepted").
  expect(answers.map((a) => a.status)).toEqual(Array(BURST).fill("fiscalized"));
  const rows = agent!.db.prepare("SELECT id, status FROM receipts").all() as { id: string; status: string }[];
  expect(rows).toHaveLength(BURST);
  expect(rows.every((r) => r.status === "fiscalized")).toBe(true);
  // One fiscal document per receipt: none lost, none printed twice.
  const receiptDocs = agent!.emulator!.fn.allDocuments().filter((d) => d.receiptTag !== null);
  expect(receiptDocs).toHaveLength(BURST);
}

it("the thread dies after its COMMIT, before answering: the committed receipts are answered and printed", async () => {
  const answers = await burstWithDyingThread("after-commit");
  expectAllPrintedOnce(answers);
  // An idempotent retry gets the stored, printed receipt back (nothing new is written).
  const retry = await agent!.post("receipts.create", saleInput("after-commit-0"));
  expect(retry.status).toBe(200);
  expect(retry.json.result.data.receiptId).toBe(answers[0]!.receiptId);
  expect(retry.json.result.data.status).toBe("fiscalized");
  expect(agent!.count("receipts")).toBe(BURST);
});

it("the thread dies before committing: the main connection commits the receipts and they print", async () => {
  expectAllPrintedOnce(await burstWithDyingThread("before-commit"));
});
