import { OfdClient, type OfdEmulator, startOfdEmulator } from "@kassa/fiscal/ofd";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FnDouble } from "./fn-double.ts";
import { createSyncWorker } from "./index.ts";
import { openTestBuffer } from "./test-support.ts";
import type { SyncDb } from "./types.ts";

// The OFD column of the fault matrix: F3's relay driven by the worker, against the real OFD
// emulator over TCP, with agent time (breaker, backoff, 8 h) on a fake clock.

const T0 = Date.UTC(2026, 10, 22, 7, 0, 0);
let nowMs = T0;
const cleanups: (() => Promise<void> | void)[] = [];
const clock = {
  now: () => nowMs,
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
};

function advance(ms: number): void {
  nowMs += ms;
  vi.setSystemTime(nowMs);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(nowMs);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  vi.useRealTimers();
});

async function setup(documents: number, timeoutMs = 2000) {
  const ofd = await startOfdEmulator({ port: 0, clock });
  const fn = new FnDouble(
    Array.from({ length: documents }, (_, i) => 1000 + i),
    nowMs - 8 * 3600_000,
  );
  const buffer = await openTestBuffer();
  const worker = createSyncWorker({
    db: buffer.db,
    terminalId: "till-ofd",
    schedule: false,
    watchMs: 0,
    now: () => nowMs,
    ofd: { device: fn.device(), client: new OfdClient({ host: "127.0.0.1", port: ofd.port, timeoutMs }) },
  });
  cleanups.push(async () => {
    await worker.stop();
    buffer.dispose();
    await ofd.close();
  });
  return { ofd, fn, db: buffer.db, worker };
}

async function drain(worker: ReturnType<typeof createSyncWorker>, fn: FnDouble, rounds = 100): Promise<void> {
  for (let i = 0; i < rounds && fn.unsent.length > 0; i++) {
    await worker.now();
    if (fn.unsent.length > 0) advance(61_000);
  }
  expect(fn.unsent).toEqual([]);
}

function breakerHistory(db: SyncDb): string[] {
  return db
    .prepare<[], { t: string }>(
      "SELECT from_state || '->' || to_state AS t FROM breaker_transitions WHERE destination = 'ofd' ORDER BY id",
    )
    .all()
    .map((r) => r.t);
}

function dlq(db: SyncDb): string[] {
  return db
    .prepare<[], { item_id: string }>(
      "SELECT item_id FROM dlq WHERE destination = 'ofd' AND status = 'pending'",
    )
    .all()
    .map((r) => r.item_id);
}

function expectExactlyOnceAtOfd(ofd: OfdEmulator, documents: number): void {
  const records = ofd.documents();
  expect(records).toHaveLength(documents);
  expect(new Set(records.map((r) => r.fdNumber)).size).toBe(documents);
}

describe("fault matrix: OFD", () => {
  it("down for 8 h with 200 documents, then back: every document confirmed once, breaker history kept", async () => {
    const { ofd, fn, db, worker } = await setup(200);
    ofd.setMode("down");
    for (let minute = 0; minute < 8 * 60; minute += 10) {
      const report = await worker.now();
      expect(report.delivered.ofd ?? 0).toBe(0);
      advance(10 * 60_000);
    }
    expect(worker.status().breakers.ofd).toBe("open");
    expect(fn.unsent).toHaveLength(200);
    // The backlog the central server gets carries an offset (its ingest refuses zone-less times).
    const backlog = db
      .prepare<[], { payload: string }>("SELECT payload FROM outbox WHERE kind = 'ofd_status'")
      .get()!;
    expect(JSON.parse(backlog.payload).oldestUnsentAt).toMatch(/T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/);
    ofd.setMode("up");
    worker.networkBack();
    await drain(worker, fn);
    expectExactlyOnceAtOfd(ofd, 200);
    expect(ofd.stats().duplicates).toBe(0);
    expect(dlq(db)).toEqual([]);
    const history = breakerHistory(db);
    expect(history[0]).toBe("closed->open");
    expect(history).toContain("half_open->open");
    expect(history.at(-1)).toBe("half_open->closed");
    // The FN's backlog was reported for the central server as it shrank.
    const status = db
      .prepare<[], { payload: string }>("SELECT payload FROM outbox WHERE kind = 'ofd_status'")
      .get()!;
    expect(JSON.parse(status.payload)).toMatchObject({ unsentCount: 0, oldestUnsentAt: null });
  });

  it("flapping every few seconds: everything confirmed once", async () => {
    const { ofd, fn, worker } = await setup(60);
    ofd.setMode("flapping", { flapMs: 3000 });
    for (let i = 0; i < 200 && fn.unsent.length > 0; i++) {
      await worker.now();
      advance(2_500);
    }
    ofd.setMode("up");
    await drain(worker, fn);
    expectExactlyOnceAtOfd(ofd, 60);
  });

  it("answering 5xx, then recovering: everything confirmed once, nothing dead-lettered", async () => {
    const { ofd, fn, db, worker } = await setup(50);
    ofd.setMode("5xx");
    for (let i = 0; i < 6; i++) {
      await worker.now();
      advance(61_000);
    }
    ofd.setMode("up");
    await drain(worker, fn);
    expectExactlyOnceAtOfd(ofd, 50);
    expect(dlq(db)).toEqual([]);
    expect(breakerHistory(db)).toContain("closed->open");
  });

  it("slower than the client's timeout: the OFD still holds each document once", async () => {
    // 10 s against a 15 s timeout, scaled down so the test does not wait: 300 ms against 100 ms.
    const { ofd, fn, worker } = await setup(5, 100);
    ofd.setMode("slow", { slowMs: 300 });
    for (let i = 0; i < 3; i++) {
      await worker.now();
      advance(61_000);
    }
    ofd.setMode("up");
    await drain(worker, fn);
    expectExactlyOnceAtOfd(ofd, 5);
  });

  it("a rejected document goes to the DLQ and holds the FN queue until support retries it", async () => {
    const { ofd, fn, db, worker } = await setup(10);
    ofd.setMode("reject", { rejectReason: "unknown KKT registration number" });
    const report = await worker.now();
    expect(report.deadLettered).toBe(1);
    expect(dlq(db)).toEqual(["fd-1000"]);
    // While it waits for a person, the relay does not resend it in a loop.
    ofd.setMode("up");
    const blocked = await worker.now();
    expect(blocked.message).toMatch(/rejected by the OFD/);
    expect(fn.unsent).toHaveLength(10);
    const [entry] = (await worker.dlq.list({ limit: 10 })).items;
    expect(await worker.dlq.retry({ ids: [entry!.id] })).toEqual({ retried: 1 });
    await drain(worker, fn);
    expectExactlyOnceAtOfd(ofd, 10);
    expect(dlq(db)).toEqual([]);
  });
});
