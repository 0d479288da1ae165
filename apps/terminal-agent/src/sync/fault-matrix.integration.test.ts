import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TFiscalAttributes } from "@kassa/api/agent";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createSyncWorker, type SyncWorker, type SyncWorkerDeps } from "./index.ts";
import { fiscalizeOn, REGISTER_FAMILIES } from "./register-families.ts";
import {
  type CentralProcess,
  type CentralStats,
  enqueueReceipt,
  hlcOf,
  openTestBuffer,
  outboxCount,
  receiptIdOf,
  startCentralProcess,
} from "./test-support.ts";
import type { SyncDb } from "./types.ts";

// The fault matrix of issue 5 against a real central server process (its own database, real
// HTTP). Agent time is a fake clock (breaker intervals, backoff, 8 h outages); the central server's
// faults are switched on and off through its /__test controls. The delivery faults run once per
// register family (issue 13): each receipt is followed by its `receipt_fiscalized` row with the
// attributes that family's driver gave on its emulator (register-families.ts), and all of them must
// land once. Refused items and the concurrency cases do not depend on the register: they run once.

const T0 = Date.UTC(2026, 10, 22, 7, 0, 0);
let nowMs = T0;
let central: CentralProcess;
let nextTerminal = 0;
const cleanups: (() => Promise<void> | void)[] = [];

function advance(ms: number): void {
  nowMs += ms;
  vi.setSystemTime(nowMs);
}

vi.setConfig({ testTimeout: 30_000 });

beforeAll(async () => {
  central = await startCentralProcess([
    "--stores",
    "2",
    "--per-store",
    "16",
    "--per-store-limit",
    "3",
    "--max-wait-ms",
    "0",
  ]);
}, 90_000);
afterAll(async () => central?.stop());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(nowMs);
});
afterEach(async () => {
  await central.fault({ mode: "none" });
  for (const cleanup of cleanups.splice(0)) await cleanup();
  vi.useRealTimers();
});

async function agent(overrides: Partial<SyncWorkerDeps> = {}, terminalIndex = nextTerminal++) {
  const terminal = central.terminals[terminalIndex]!;
  const buffer = overrides.db ? null : await openTestBuffer();
  const db = overrides.db ?? buffer!.db;
  const worker = createSyncWorker({
    db,
    terminalId: terminal.id,
    centralUrl: central.url,
    terminalKey: terminal.key,
    schedule: false,
    watchMs: 0,
    now: () => nowMs,
    ...overrides,
  });
  cleanups.push(async () => {
    await worker.stop();
    buffer?.dispose();
  });
  return { terminal, db, worker, path: buffer?.path };
}

/** A second agent process's worker on `first`'s buffer file: its own connection, holder "process-b". */
function secondProcess(first: Awaited<ReturnType<typeof agent>>, overrides: Partial<SyncWorkerDeps> = {}) {
  const db = new Database(first.path!);
  db.pragma("busy_timeout = 5000");
  const worker = createSyncWorker({
    db,
    terminalId: first.terminal.id,
    centralUrl: central.url,
    terminalKey: first.terminal.key,
    schedule: false,
    watchMs: 0,
    now: () => nowMs,
    holder: "process-b",
    ...overrides,
  });
  cleanups.push(async () => {
    await worker.stop();
    db.close();
  });
  return { db, worker };
}

/**
 * `count` receipts as the receipt service writes them; with `fiscal`, each one's
 * `receipt_fiscalized` row half a second later, as the fiscal queue writes it.
 */
function enqueueMany(
  db: SyncDb,
  terminalId: string,
  count: number,
  from = 1,
  fiscal?: Map<string, TFiscalAttributes>,
): string[] {
  const ids: string[] = [];
  for (let n = from; n < from + count; n++) {
    const atMs = nowMs - 8 * 3600_000 + n * 1000;
    const id = enqueueReceipt(db, n, atMs, terminalId);
    ids.push(id);
    const attributes = fiscal?.get(id);
    if (!attributes) continue;
    const payload = {
      terminalId,
      receiptId: id,
      fiscal: attributes,
      fiscalizedAt: new Date(atMs + 500).toISOString(),
    };
    db.prepare(
      "INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES ('central', 'receipt_fiscalized', ?, ?, ?)",
    ).run(id, hlcOf(atMs + 500, n % 1000), JSON.stringify(payload));
  }
  return ids;
}

/** Rounds a minute of fake time apart until the outbox is empty (breaker probes, backoff). */
async function drain(worker: SyncWorker, db: SyncDb, maxRounds = 200): Promise<void> {
  for (let i = 0; i < maxRounds && outboxCount(db) > 0; i++) {
    await worker.now();
    if (outboxCount(db) > 0) advance(61_000);
  }
  expect(outboxCount(db)).toBe(0);
}

function receiptsAt(stats: CentralStats, terminalId: string) {
  const row = stats.receipts.find((r) => r.terminal_id === terminalId);
  return { n: Number(row?.n ?? 0), distinct: Number(row?.distinct_ids ?? 0) };
}

/** Receipts stored with their fiscal attributes. */
function fiscalizedAt(stats: CentralStats, terminalId: string): number {
  return Number(stats.receipts.find((r) => r.terminal_id === terminalId)?.fiscalized ?? 0);
}

function localDlq(db: SyncDb): string[] {
  return db
    .prepare<[], { item_id: string }>("SELECT item_id FROM dlq WHERE status = 'pending' ORDER BY item_id")
    .all()
    .map((r) => r.item_id);
}

function transitions(stats: CentralStats, terminalId: string): string[] {
  return stats.breakers
    .filter((b) => b.terminal_id === terminalId)
    .map((b) => `${b.from_state}->${b.to_state}`);
}

describe.each(REGISTER_FAMILIES)("fault matrix: central server, receipts fiscalized on %s", (family) => {
  let fiscal: Map<string, TFiscalAttributes>;
  beforeAll(async () => {
    fiscal = await fiscalizeOn(
      family,
      Array.from({ length: 200 }, (_, i) => receiptIdOf(i + 1)),
    );
  }, 60_000);

  it("down for 8 h with 200 receipts, then back: all delivered once, nothing dead-lettered, breaker history synced", async () => {
    const { terminal, db, worker } = await agent();
    enqueueMany(db, terminal.id, 200, 1, fiscal);
    await central.fault({ mode: "drop" });
    for (let minute = 0; minute < 8 * 60; minute += 10) {
      const report = await worker.now();
      expect(report.delivered.central).toBe(0);
      advance(10 * 60_000);
    }
    expect(worker.status().breakers.central).toBe("open");
    await central.fault({ mode: "none" });
    worker.networkBack();
    await drain(worker, db);

    const stats = await central.stats();
    expect(receiptsAt(stats, terminal.id)).toEqual({ n: 200, distinct: 200 });
    expect(fiscalizedAt(stats, terminal.id)).toBe(200);
    expect(localDlq(db)).toEqual([]);
    const history = transitions(stats, terminal.id);
    expect(history.slice(0, 2)).toEqual(["closed->open", "open->half_open"]);
    expect(history).toContain("half_open->open");
    expect(history.at(-1)).toBe("half_open->closed");
  });

  it("answering 5xx for a while: all delivered once, no item blamed", async () => {
    const { terminal, db, worker } = await agent({ limits: { maxBatchItems: 50 } });
    enqueueMany(db, terminal.id, 200, 1, fiscal);
    await central.fault({ mode: "status", status: 503, remaining: 12 });
    await drain(worker, db);
    const stats = await central.stats();
    expect(receiptsAt(stats, terminal.id)).toEqual({ n: 200, distinct: 200 });
    expect(fiscalizedAt(stats, terminal.id)).toBe(200);
    expect(localDlq(db)).toEqual([]);
    expect(transitions(stats, terminal.id)).toContain("closed->open");
  });

  it("flapping every few requests: all delivered once", async () => {
    const { terminal, db, worker } = await agent({ limits: { maxBatchItems: 25 } });
    enqueueMany(db, terminal.id, 200, 1, fiscal);
    for (let i = 0; i < 200 && outboxCount(db) > 0; i++) {
      await central.fault(i % 2 === 0 ? { mode: "drop", remaining: 2 } : { mode: "none" });
      await worker.now();
      advance(7_000);
    }
    await central.fault({ mode: "none" });
    await drain(worker, db);
    const stats = await central.stats();
    expect(receiptsAt(stats, terminal.id)).toEqual({ n: 200, distinct: 200 });
    expect(fiscalizedAt(stats, terminal.id)).toBe(200);
    expect(localDlq(db)).toEqual([]);
  });

  it("slow beyond the request timeout (the server still stores what it got): no duplicates", async () => {
    // 10 s against a 15 s timeout scaled down: 400 ms against 150 ms, so the test does not wait.
    const { terminal, db, worker } = await agent({ requestTimeoutMs: 150, limits: { maxBatchItems: 50 } });
    enqueueMany(db, terminal.id, 200, 1, fiscal);
    await central.fault({ mode: "delay", delayMs: 400, remaining: 3 });
    await drain(worker, db);
    const stats = await central.stats();
    expect(receiptsAt(stats, terminal.id)).toEqual({ n: 200, distinct: 200 });
    expect(fiscalizedAt(stats, terminal.id)).toBe(200);
    expect(localDlq(db)).toEqual([]);
  });
});

describe("fault matrix: central server, items it refuses", () => {
  it("a poison item the server chokes on (500) is isolated and dead-lettered; the items behind it flow", async () => {
    const { terminal, db, worker } = await agent({ limits: { maxBatchItems: 32, maxAttempts: 4 } });
    const ids = enqueueMany(db, terminal.id, 100);
    const poison = ids[10]!;
    // The server fails on this receipt itself (not on the DLQ mirror that later carries its payload).
    await central.fault({ mode: "poison", needle: `"id":"${poison}","hlc"`, status: 500 });
    await drain(worker, db, 400);
    const stats = await central.stats();
    expect(receiptsAt(stats, terminal.id)).toEqual({ n: 99, distinct: 99 });
    expect(localDlq(db)).toEqual([poison]);
    const entry = db
      .prepare<[string], { attempts: number; errors: string }>(
        "SELECT attempts, errors FROM dlq WHERE item_id = ?",
      )
      .get(poison)!;
    expect(entry.attempts).toBe(4);
    expect(JSON.parse(entry.errors)).toHaveLength(4);
  });

  it("4xx rejections: exactly the bad items are dead-lettered and mirrored; the rest flow past them; commands come back", async () => {
    const { terminal, db, worker } = await agent({ limits: { maxBatchItems: 40 } });
    const ids = enqueueMany(db, terminal.id, 200);
    const poisoned = [ids[3]!, ids[77]!, ids[150]!];
    for (const id of poisoned) {
      // A price with a fraction of a kopeck: the central server's validation refuses it.
      const row = db
        .prepare<[string], { payload: string }>("SELECT payload FROM outbox WHERE item_id = ?")
        .get(id)!;
      const payload = JSON.parse(row.payload);
      payload.items[0].price = 12.5;
      db.prepare("UPDATE outbox SET payload = ? WHERE item_id = ?").run(JSON.stringify(payload), id);
    }
    await drain(worker, db);
    let stats = await central.stats();
    expect(receiptsAt(stats, terminal.id)).toEqual({ n: 197, distinct: 197 });
    expect(localDlq(db)).toEqual([...poisoned].sort());
    const mirrored = stats.dlq.filter((d) => d.terminal_id === terminal.id);
    expect(mirrored.map((d) => d.item_id).sort()).toEqual([...poisoned].sort());
    expect(mirrored.every((d) => d.status === "pending" && /price/.test(d.reason))).toBe(true);

    // Support discards one with a reason: the command reaches the agent on its next sync,
    // is applied once and acknowledged.
    const target = mirrored[0]!;
    const commandId = await central.command({
      organizationId: terminal.organizationId,
      terminalId: terminal.id,
      dlqItemId: target.id,
      action: "discard",
      reason: "price typo, re-entered as a new sale",
      actor: "support@kassa.test",
    });
    advance(1000);
    await worker.now(); // receives and applies the command
    await worker.now(); // delivers the acknowledgement and the DLQ change
    stats = await central.stats();
    expect(stats.commands.find((c) => c.id === commandId)).toMatchObject({ outcome: "applied" });
    expect(stats.dlq.find((d) => d.id === target.id)?.status).toBe("discarded");
    expect(localDlq(db)).toHaveLength(2);
    const applied = db
      .prepare<[string], { n: number }>("SELECT count(*) AS n FROM applied_commands WHERE id = ?")
      .get(commandId)!;
    expect(applied.n).toBe(1);
  });
});

describe("fault matrix: concurrency", () => {
  it("a reconnect storm of 10 tills in one store is paced by 'retry after', and each receipt lands once", async () => {
    const tills = await Promise.all(
      Array.from({ length: 10 }, (_, i) => agent({ limits: { maxBatchItems: 10 } }, 16 + i)),
    );
    for (const t of tills) enqueueMany(t.db, t.terminal.id, 40);
    const messages: string[] = [];
    for (let i = 0; i < 100 && tills.some((t) => outboxCount(t.db) > 0); i++) {
      const reports = await Promise.all(
        tills.filter((t) => outboxCount(t.db) > 0).map((t) => t.worker.now()),
      );
      messages.push(...reports.map((r) => r.message));
      advance(6_000);
    }
    // On PGlite (one connection) pushes cannot overlap, so nobody is turned away there.
    if (central.kind === "postgres") expect(messages.some((m) => /busy.*retry after/i.test(m))).toBe(true);
    const stats = await central.stats();
    for (const t of tills) {
      expect(outboxCount(t.db)).toBe(0);
      expect(receiptsAt(stats, t.terminal.id)).toEqual({ n: 40, distinct: 40 });
    }
  });

  it("holds the buffer's lease from round to round, writing it once per half life, and gives it up on stop", async () => {
    const first = await agent({ holder: "process-a", leaseTtlMs: 30_000 });
    const { db: second, worker: other } = secondProcess(first);
    const lease = () => second.prepare("SELECT holder, expires_at FROM sync_lease").get();
    enqueueMany(first.db, first.terminal.id, 3);
    await first.worker.now();
    const held = lease();
    expect(held).toEqual({ holder: "process-a", expires_at: nowMs + 30_000 });
    // Between process-a's rounds the buffer stays its own.
    expect((await other.now()).message).toMatch(/Another agent process \(process-a\)/);
    advance(10_000);
    enqueueMany(first.db, first.terminal.id, 2, 10);
    expect((await first.worker.now()).delivered.central).toBe(2);
    expect(lease()).toEqual(held); // within half its life: no write
    advance(6_000);
    await first.worker.now();
    expect(lease()).toEqual({ holder: "process-a", expires_at: nowMs + 30_000 }); // past half: renewed
    await first.worker.stop();
    expect(lease()).toBeUndefined();
    // process-b takes the buffer at once (the central server's lease it then waits out is its own matter).
    expect((await other.now()).message).not.toMatch(/Another agent process/);
    expect(lease()).toMatchObject({ holder: "process-b" });
  });

  it("two workers on two connections to one buffer never both sync", async () => {
    const first = await agent({ holder: "process-a" });
    const { worker: other } = secondProcess(first, { limits: { maxBatchItems: 20 } });
    enqueueMany(first.db, first.terminal.id, 200);
    await central.fault({ mode: "delay", delayMs: 30 });
    const [a, b] = await Promise.all([first.worker.now(), other.now()]);
    const idle = [a, b].filter((r) => /Another agent process/.test(r.message));
    expect(idle).toHaveLength(1);
    await central.fault({ mode: "none" });
    await drain(first.worker, first.db);
    const stats = await central.stats();
    expect(receiptsAt(stats, first.terminal.id)).toEqual({ n: 200, distinct: 200 });
  });

  it("two real agent processes on one buffer file: never both syncing, every receipt once", async () => {
    vi.useRealTimers();
    const first = await agent();
    enqueueMany(first.db, first.terminal.id, 300);
    // Slow pushes of 10 keep one process busy long enough for the other to find the buffer taken.
    await central.fault({ mode: "delay", delayMs: 40 });
    const script = fileURLToPath(new URL("./test-worker-process.ts", import.meta.url));
    const run = (holder: string) =>
      new Promise<{ holder: string; delivered: number; message: string }[]>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            "--import",
            "tsx",
            script,
            first.path!,
            first.terminal.id,
            first.terminal.key,
            central.url,
            holder,
            "200",
            "10",
          ],
          { stdio: ["ignore", "pipe", "inherit"] },
        );
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
        });
        child.on("error", reject);
        child.on("exit", (code) =>
          code === 0
            ? resolve(
                out
                  .trim()
                  .split("\n")
                  .filter(Boolean)
                  .map((line) => JSON.parse(line)),
              )
            : reject(new Error(`${holder} exited with ${code}`)),
        );
      });
    const [a, b] = await Promise.all([run("process-a"), run("process-b")]);
    const all = [...a, ...b];
    expect(all.some((r) => /Another agent process/.test(r.message))).toBe(true);
    expect(all.reduce((sum, r) => sum + r.delivered, 0)).toBe(300);
    expect(outboxCount(first.db)).toBe(0);
    const stats = await central.stats();
    expect(receiptsAt(stats, first.terminal.id)).toEqual({ n: 300, distinct: 300 });
  });

  it("a stale lease holder's batch is refused by the fencing token", async () => {
    const first = await agent({ holder: "process-a", leaseTtlMs: 30_000 });
    enqueueMany(first.db, first.terminal.id, 5);
    await first.worker.now(); // process-a holds central lease token N
    // process-a stalls; both leases lapse; process-b takes over the buffer and the central lease.
    advance(120_000);
    await central.clock(120_000);
    const { worker: other } = secondProcess(first);
    cleanups.push(() => central.clock(0));
    enqueueMany(first.db, first.terminal.id, 5, 100);
    const b = await other.now();
    expect(b.delivered.central).toBeGreaterThanOrEqual(5);
    // process-b stalls past its buffer lease; process-a wakes up, takes the buffer, and pushes with
    // its old central token and new work: the central server's fence refuses it, nothing delivered.
    advance(31_000);
    enqueueMany(first.db, first.terminal.id, 5, 200);
    const a = await first.worker.now();
    expect(a.delivered.central).toBe(0);
    expect(a.message).toMatch(/sync lease/);
    // process-a's buffer lease lapses in turn; process-b, still the central lease's holder, goes on.
    advance(31_000);
    const b2 = await other.now();
    expect(b2.delivered.central).toBe(5);
    const stats = await central.stats();
    expect(receiptsAt(stats, first.terminal.id)).toEqual({ n: 15, distinct: 15 });
  });
});
