import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replaceCashiers } from "../auth/cashiers.ts";
import { verifyPin } from "../auth/pin.ts";
import { createSyncWorker } from "./index.ts";
import {
  type CentralProcess,
  enqueueFiscalized,
  enqueueReceipt,
  openTestBuffer,
  outboxCount,
  startCentralProcess,
} from "./test-support.ts";

let central: CentralProcess;

beforeAll(async () => {
  central = await startCentralProcess(["--stores", "1", "--per-store", "3"]);
}, 60_000);
afterAll(async () => central?.stop());

describe("agent → central over real HTTP", () => {
  it("delivers pending receipts and their fiscal attributes once, and empties the outbox", async () => {
    const buffer = await openTestBuffer();
    const terminal = central.terminals[0]!;
    const rounds: { delivered: number; bytes: number }[] = [];
    const worker = createSyncWorker({
      db: buffer.db,
      terminalId: terminal.id,
      centralUrl: central.url,
      terminalKey: terminal.key,
      schedule: false,
      watchMs: 0,
      onRound: (report, bytes) => rounds.push({ delivered: report.delivered.central ?? 0, bytes }),
    });
    const t0 = Date.UTC(2026, 10, 22, 7, 0, 0);
    const ids = [1, 2, 3].map((n) => enqueueReceipt(buffer.db, n, t0 + n * 1000, terminal.id));
    const first = await worker.now();
    expect(first.delivered.central).toBe(3);
    expect(first.pending).toBe(0);
    for (const [i, id] of ids.entries()) enqueueFiscalized(buffer.db, id, 100 + i, t0 + 10_000 + i);
    const second = await worker.now();
    expect(second.delivered.central).toBe(3);
    expect(outboxCount(buffer.db)).toBe(0);

    const stats = await central.stats();
    const mine = stats.receipts.find((r) => r.terminal_id === terminal.id);
    expect(mine).toMatchObject({ n: 3, distinct_ids: 3, fiscalized: 3 });
    expect(worker.status()).toMatchObject({ online: true, breakers: { central: "closed" } });
    expect(worker.stats.bytesSent).toBeGreaterThan(0);
    expect(rounds.map((r) => r.delivered)).toEqual([3, 3]);
    expect(rounds.every((r) => r.bytes > 0)).toBe(true);
    await worker.stop();
    buffer.dispose();
  });

  it("refuses to deliver with another terminal's key, delivering nothing", async () => {
    const buffer = await openTestBuffer();
    const [a, b] = central.terminals;
    const worker = createSyncWorker({
      db: buffer.db,
      terminalId: b!.id,
      centralUrl: central.url,
      terminalKey: a!.key,
      schedule: false,
      watchMs: 0,
    });
    enqueueReceipt(buffer.db, 50, Date.UTC(2026, 10, 22, 7, 0, 0), b!.id);
    const report = await worker.now();
    expect(report.delivered.central).toBe(0);
    expect(report.message).toMatch(/cannot write terminal/);
    expect(outboxCount(buffer.db)).toBe(1);
    const stats = await central.stats();
    expect(stats.receipts.find((r) => r.terminal_id === b!.id)).toBeUndefined();
    await worker.stop();
    buffer.dispose();
  });

  it("pulls the cashier list with PIN hashes into the till's cache, and only when it changed", async () => {
    const buffer = await openTestBuffer();
    const terminal = central.terminals[2]!;
    let clock = Date.UTC(2026, 10, 22, 9, 0, 0);
    await central.cashier({
      organizationId: terminal.organizationId,
      id: "c1",
      login: "ivanova",
      name: "Ivanova A.",
      pin: "4821",
    });
    await central.cashier({
      organizationId: terminal.organizationId,
      id: "c2",
      login: "other",
      name: "Other store",
      pin: "1111",
      storeIds: ["elsewhere"],
    });
    const installs: number[] = [];
    const worker = createSyncWorker({
      db: buffer.db,
      terminalId: terminal.id,
      centralUrl: central.url,
      terminalKey: terminal.key,
      schedule: false,
      watchMs: 0,
      now: () => clock,
      cashierPullMs: 60_000,
      onCashiers: (list) => {
        installs.push(list.length);
        replaceCashiers(buffer.db, list);
      },
    });
    await worker.now();
    const cached = buffer.db
      .prepare<[], { login: string; pin_hash: string }>("SELECT login, pin_hash FROM cashiers")
      .all();
    expect(cached.map((c) => c.login)).toEqual(["ivanova"]);
    expect(await verifyPin("4821", cached[0]!.pin_hash)).toBe(true);
    clock += 61_000;
    await worker.now(); // unchanged: nothing installed
    expect(installs).toEqual([1]);
    await central.cashier({
      organizationId: terminal.organizationId,
      id: "c1",
      login: "ivanova",
      name: "Ivanova A.",
      active: false,
    });
    clock += 61_000;
    await worker.now();
    expect(installs).toEqual([1, 0]);
    expect(buffer.db.prepare("SELECT count(*) AS n FROM cashiers").get()).toEqual({ n: 0 });
    await worker.stop();
    buffer.dispose();
  });
});
