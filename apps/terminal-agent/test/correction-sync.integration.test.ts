import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { type CentralProcess, startCentralProcess } from "../src/sync/test-support.ts";
import { CASHIER, startTestAgent, type TestAgent } from "./helpers.ts";

// Correction receipts reach the central server like receipts (issue 12): the `correction` item
// queued with the correction, `correction_fiscalized` with its fiscal document, delivered after an
// outage, stored once however often they are delivered, counted in the shift's cash reconciliation
// and shown on the terminal page — the real agent (SQLite, in-process emulator) and the real
// central server (its own process, PGlite or TEST_DATABASE_URL), over HTTP.

let central: CentralProcess;
let agent: TestAgent;
let organizationId: string;

beforeAll(async () => {
  central = await startCentralProcess(["--stores", "1", "--per-store", "1"]);
  const terminal = central.terminals[0]!;
  organizationId = terminal.organizationId;
  agent = await startTestAgent({
    env: { KASSA_TERMINAL_ID: terminal.id, KASSA_TERMINAL_KEY: terminal.key, KASSA_CENTRAL_URL: central.url },
    tuning: { devicePollMs: 20 },
    deps: { syncOptions: { schedule: false, watchMs: 0 } },
  });
}, 90_000);

afterAll(async () => {
  await agent?.destroy();
  await central?.stop();
});

const correction = {
  idempotencyKey: "sync-correction-1",
  kind: "income",
  correctionType: "instruction",
  basis: { date: "2026-11-20", documentNumber: "ПР-12" },
  cashier: CASHIER,
  items: [{ name: "Хлеб", price: 5_990, quantity: 2, vat: "vat10" }],
  payments: [{ type: "cash", amount: 11_980 }],
};

const recordsOf = async (kind: string) =>
  (await central.stats()).records.find((r) => r.kind === kind)?.n ?? 0;
const pending = () => agent.count("outbox");
/** Sync rounds until the outbox is empty (a failed round leaves its items backing off a while). */
const drain = () =>
  vi.waitFor(
    async () => {
      await agent.post("sync.now", {});
      expect(pending()).toBe(0);
    },
    { timeout: 30_000, interval: 250 },
  );

it("a cash correction made during an outage arrives once, counts in its shift's cash and shows on the terminal page", async () => {
  expect((await agent.post("shift.open", { cashier: CASHIER, openingFloat: 50_000 })).status).toBe(200);
  await central.fault({ mode: "status", status: 503 });
  const made = (await agent.post("receipts.correct", correction)).json.result.data;
  expect(made.status).toBe("fiscalized");
  const id = made.correctionId as string;
  await agent.post("sync.now", {});
  expect(await recordsOf("correction")).toBe(0);
  const queued = agent.db
    .prepare("SELECT kind, item_id, hlc, payload FROM outbox WHERE item_id = ? ORDER BY id")
    .all(id) as { kind: string; item_id: string; hlc: string; payload: string }[];
  expect(queued.map((r) => r.kind)).toEqual(["correction", "correction_fiscalized"]);

  await central.fault({ mode: "none" });
  await drain();
  expect((await central.stats()).dlq).toEqual([]);
  expect(await recordsOf("correction")).toBe(1);
  expect(await recordsOf("correction_fiscalized")).toBe(1);

  // The answer was lost (as after a timeout): the till delivers both again; nothing is stored twice.
  const again = agent.db.prepare(
    "INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES ('central', ?, ?, ?, ?)",
  );
  for (const r of queued) again.run(r.kind, r.item_id, r.hlc, r.payload);
  await drain();
  expect(await recordsOf("correction")).toBe(1);
  expect(await recordsOf("correction_fiscalized")).toBe(1);

  const till = (await agent.post("shift.close", { cashier: CASHIER, countedCash: 61_980 })).json;
  expect(till.result.data.cash).toMatchObject({ cashIn: 11_980, expected: 61_980 });
  await drain();
  const shiftId = till.result.data.shift.shiftId as string;
  const { shift } = (await central.dashboard(organizationId, "cash.shift", {
    terminalId: agent.config.terminalId,
    shiftId,
  })) as { shift: Record<string, unknown> };
  // Central reconciliation counts the correction's cash as the till did, and misses no fiscal document.
  expect(shift).toMatchObject({
    cashIn: "11980",
    expected: "61980",
    tillExpected: "61980",
    provisional: false,
  });

  const terminal = (await central.dashboard(organizationId, "terminals.get", {
    terminalId: agent.config.terminalId,
  })) as { corrections: Record<string, unknown>[] };
  expect(terminal.corrections).toEqual([
    expect.objectContaining({
      id,
      kind: "income",
      correctionType: "instruction",
      basisNumber: "ПР-12",
      total: 11_980,
      cash: 11_980,
      shiftId,
      fdNumber: made.fiscal.fdNumber,
    }),
  ]);
}, 120_000);
