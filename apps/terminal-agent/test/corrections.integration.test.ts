import { FakeClock, KktEmulator } from "@kassa/fiscal/emulator";
import { receiptTagFor } from "@kassa/fiscal/shtrih";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emulatorSource } from "./emulator-source.ts";
import { CASHIER, startTestAgent, type TestAgent } from "./helpers.ts";

// receipts.correct: a correction receipt (FFD 1.2, type 31) with a sale's guarantees — stored
// first, fiscalized exactly once across lost answers and crashes, recovered by its tag 1192.

let emulator: KktEmulator;
let agent: TestAgent;

async function start(dataDir?: string) {
  agent = await startTestAgent({
    deps: { device: emulatorSource(emulator) },
    tuning: { devicePollMs: 20 },
    ...(dataDir ? { dataDir } : {}),
  });
}

beforeEach(async () => {
  emulator = new KktEmulator({ clock: new FakeClock(Date.now()) });
  await start();
});
afterEach(() => agent.destroy());

const correction = (key: string, overrides: Record<string, unknown> = {}) => ({
  idempotencyKey: key,
  kind: "income",
  correctionType: "instruction",
  basis: { date: "2026-11-20", documentNumber: "ПР-12" },
  cashier: CASHIER,
  items: [{ name: "Хлеб", price: 5_990, quantity: 2, vat: "vat10" }],
  payments: [{ type: "cash", amount: 11_980 }],
  ...overrides,
});
const outbox = (id: string) =>
  (
    agent.db.prepare("SELECT kind, payload FROM outbox WHERE item_id = ? ORDER BY id").all(id) as {
      kind: string;
      payload: string;
    }[]
  ).map((r) => ({ kind: r.kind, payload: JSON.parse(r.payload) }));
const correctionsOnFn = (id: string) => emulator.correctionsByTag(receiptTagFor(id)).length;

describe("receipts.correct", () => {
  it("needs an open shift; then makes one correction receipt with its basis, and a retry returns it", async () => {
    const closed = await agent.post("receipts.correct", correction("c-1"));
    expect(closed.status).toBe(422);
    expect(closed.json.error.data.kassaCode).toBe("SHIFT_CLOSED");
    await agent.post("shift.open", { cashier: CASHIER });

    const made = await agent.post("receipts.correct", correction("c-1"));
    expect(made.status).toBe(200);
    const out = made.json.result.data;
    expect(out).toMatchObject({ status: "fiscalized", total: 11_980 });
    expect(out.fiscal.fdNumber).toBe(emulator.fn.lastFdNumber);
    expect(out.fiscal.dateTime).toMatch(/(Z|[+-]\d{2}:\d{2})$/); // ISO-8601 with the till's offset
    expect(correctionsOnFn(out.correctionId)).toBe(1);
    expect(emulator.fn.lastDocument?.documentType).toBe(31);

    const retry = await agent.post("receipts.correct", correction("c-1"));
    expect(retry.json.result.data).toEqual(out);
    expect(correctionsOnFn(out.correctionId)).toBe(1);
    const conflict = await agent.post("receipts.correct", correction("c-1", { correctionType: "self" }));
    expect(conflict.status).toBe(409);
  });

  it("validates before storing: by order needs the order's number; figures follow receipts.create", async () => {
    await agent.post("shift.open", { cashier: CASHIER });
    const noNumber = await agent.post(
      "receipts.correct",
      correction("c-2", { basis: { date: "2026-11-20" } }),
    );
    expect(noNumber.status).toBe(400);
    expect(noNumber.json.error.data.fieldErrors["basis.documentNumber"]).toBeDefined();
    const short = await agent.post(
      "receipts.correct",
      correction("c-3", { payments: [{ type: "cash", amount: 100 }] }),
    );
    expect(short.status).toBe(400);
    const badDate = await agent.post(
      "receipts.correct",
      correction("c-4", { basis: { date: "20.11.2026" } }),
    );
    expect(badDate.status).toBe(400);
    expect(agent.count("corrections")).toBe(0);
  });

  it("an answer lost after FF4A ran: recovered from the FN by tag 1192, printed once", async () => {
    await agent.post("shift.open", { cashier: CASHIER });
    emulator.faults.inject({
      kind: "power-loss",
      command: 0xff4a,
      stage: "after-execute",
      restoreAfterMs: 30,
    });
    const made = await agent.post("receipts.correct", correction("c-5"));
    expect(made.json.result.data.status).toBe("fiscalized");
    expect(correctionsOnFn(made.json.result.data.correctionId)).toBe(1);
  });

  it("a register gone mid-print: waits, and after a restart is found on the FN instead of printed again", async () => {
    await agent.post("shift.open", { cashier: CASHIER });
    emulator.faults.inject({ kind: "cable-pulled", command: 0xff4a, stage: "after-execute" });
    const made = await agent.post("receipts.correct", correction("c-6"));
    const out = made.json.result.data;
    expect(out.status).toBe("waiting_for_device");
    expect(correctionsOnFn(out.correctionId)).toBe(1); // it did print: only its answer was lost
    const dataDir = agent.dataDir;
    await agent.close();
    emulator.plugCable();
    await start(dataDir);
    const row = agent.db
      .prepare("SELECT state, fd_number FROM corrections WHERE id = ?")
      .get(out.correctionId);
    expect(row).toEqual({ state: "fiscalized", fd_number: emulator.fn.lastFdNumber });
    expect(correctionsOnFn(out.correctionId)).toBe(1);
    // For the central server: the correction (queued with it, before the print) and, found by the
    // recovery, its fiscal attributes — each once, in that order.
    expect(outbox(out.correctionId)).toEqual([
      { kind: "correction", payload: expect.objectContaining({ kind: "income", total: 11_980 }) },
      {
        kind: "correction_fiscalized",
        payload: expect.objectContaining({ fdNumber: emulator.fn.lastFdNumber }),
      },
    ]);
    // A retry of the settled call queues nothing more.
    await agent.post("receipts.correct", correction("c-6"));
    expect(outbox(out.correctionId)).toHaveLength(2);
  });

  it("a cash correction moves the journal's expected cash as it moves the register's drawer; a refused one does not", async () => {
    await agent.post("shift.open", { cashier: CASHIER });
    const cash = async () => (await agent.get("shift.status")).json.result.data.cash;
    await agent.post("receipts.correct", correction("c-8")); // income, cash 11 980
    await agent.post(
      "receipts.correct",
      correction("c-9", {
        kind: "income_return",
        payments: [
          { type: "cash", amount: 5_000 },
          { type: "electronic", amount: 6_980 },
        ],
      }),
    );
    await agent.post(
      "receipts.correct",
      correction("c-10", { payments: [{ type: "electronic", amount: 11_980 }] }),
    );
    expect(await cash()).toMatchObject({ cashIn: 11_980, cashOut: 5_000, expected: 6_980 });
    expect(emulator.status().cashInDrawer).toBe(6_980);
    agent.db.prepare("UPDATE corrections SET state = 'needs_attention' WHERE idempotency_key = 'c-8'").run();
    expect((await cash()).expected).toBe(-5_000);
  });

  it("paper out: waits unprinted with the reason, and the retried call prints it once", async () => {
    await agent.post("shift.open", { cashier: CASHIER });
    emulator.paperOut();
    const waiting = (await agent.post("receipts.correct", correction("c-7"))).json.result.data;
    expect(waiting).toMatchObject({ status: "waiting_for_device", reason: { kassaCode: "PAPER_OUT" } });
    emulator.paperIn();
    const done = (await agent.post("receipts.correct", correction("c-7"))).json.result.data;
    expect(done.status).toBe("fiscalized");
    expect(correctionsOnFn(done.correctionId)).toBe(1);
  });
});
