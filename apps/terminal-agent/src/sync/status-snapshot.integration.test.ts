import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSyncWorker } from "./index.ts";
import { type CentralProcess, openTestBuffer, startCentralProcess } from "./test-support.ts";

// The till's status snapshot (`terminal_status`) in the sync worker: queued at the start of every
// round as one outbox row replaced by the newest, so a till cut off from the central server holds
// one snapshot however many rounds fail, and the newest is what arrives.

let central: CentralProcess;

beforeAll(async () => {
  central = await startCentralProcess(["--stores", "1", "--per-store", "1"]);
}, 60_000);
afterAll(async () => central?.stop());

const statusRows = (db: Awaited<ReturnType<typeof openTestBuffer>>["db"]) =>
  db
    .prepare<[], { payload: string }>("SELECT payload FROM outbox WHERE kind = 'terminal_status'")
    .all()
    .map((row) => JSON.parse(row.payload) as { pending: number });

describe("the status snapshot in the sync worker", () => {
  it("keeps one pending snapshot while the central server fails, and delivers the newest when it is back", async () => {
    const buffer = await openTestBuffer();
    const terminal = central.terminals[0]!;
    let clock = Date.UTC(2026, 10, 24, 9, 0, 0);
    let round = 0;
    const worker = createSyncWorker({
      db: buffer.db,
      terminalId: terminal.id,
      centralUrl: central.url,
      terminalKey: terminal.key,
      schedule: false,
      watchMs: 0,
      now: () => clock,
      breaker: { failureThreshold: 100 },
      statusSnapshot: async () => {
        round += 1;
        return {
          measuredAt: new Date(clock).toISOString(),
          online: false,
          lastSyncAt: null,
          pending: round,
          bufferCapacity: 1000,
          bufferFillPercent: 0,
          dlqPending: 0,
          breakers: { central: "closed", ofd: "closed" },
          device: { connected: true, mode: "idle", paper: round < 3, shiftOpen: false, shiftExpiresAt: null },
          receipts: { waitingForDevice: 0, waitingReason: null, needsAttention: 0 },
          fn: { unsentCount: 0, oldestUnsentAt: null },
          register: { model: null, fnNumber: "9999078900004312", firmware: null },
          clockSkewMs: null,
        };
      },
    });
    await central.fault({ mode: "status", status: 503 });
    for (let i = 0; i < 3; i++) {
      await worker.now();
      clock += 60_000;
    }
    expect(statusRows(buffer.db)).toEqual([expect.objectContaining({ pending: 3 })]);

    await central.fault({ mode: "none" });
    clock += 30 * 60_000; // past any backoff
    const report = await worker.now();
    expect(report.pending).toBe(0);
    const till = (await central.fleet(terminal.organizationId)).terminals.find((t) => t.id === terminal.id)!;
    // The fourth round's snapshot (paper out since the third) is the one stored.
    expect(till).toMatchObject({ pending: 4, device: { paper: false }, health: "attention" });
    await worker.stop();
    buffer.dispose();
  });
});
