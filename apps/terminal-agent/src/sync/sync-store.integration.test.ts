import { afterEach, describe, expect, it, vi } from "vitest";
import { createDestinationBreaker } from "./breaker.ts";
import { createCommandApplier } from "./commands.ts";
import { createDlqStore } from "./dlq-store.ts";
import { createLocalLease } from "./local-lease.ts";
import { createOutboxStore } from "./outbox-store.ts";
import { createSyncClock } from "./sync-clock.ts";
import { enqueueReceipt, openTestBuffer } from "./test-support.ts";

// The worker's SQLite pieces against a real buffer (all migrations, WAL, synchronous=FULL).

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.useRealTimers();
});

async function buffer() {
  const b = await openTestBuffer();
  cleanups.push(() => b.dispose());
  return b;
}

describe("local lease", () => {
  it("lets one process sync a buffer at a time, and the next take over once it expires", async () => {
    const { db } = await buffer();
    const a = createLocalLease(db, "process-a", 30_000);
    const b = createLocalLease(db, "process-b", 30_000);
    expect(a.acquire(1_000)).toBe(true);
    expect(b.acquire(2_000)).toBe(false);
    expect(a.acquire(20_000)).toBe(true); // renewal
    expect(b.acquire(45_000)).toBe(false); // renewed until 50 s
    expect(b.acquire(50_001)).toBe(true);
    expect(a.acquire(50_002)).toBe(false);
    b.release();
    expect(a.acquire(50_003)).toBe(true);
  });
});

describe("outbox", () => {
  it("never deletes a row replaced while its old version was in flight", async () => {
    const { db } = await buffer();
    const outbox = createOutboxStore(db);
    outbox.enqueue("central", "dlq_item", "central.receipt.x", "1763794800000.00001", { status: "pending" });
    const [sent] = outbox.due("central", Date.now(), 10);
    // While the push is on the wire, support's retry changes the mirrored state.
    outbox.enqueue("central", "dlq_item", "central.receipt.x", "1763794800000.00002", { status: "retried" });
    outbox.acknowledge([sent!]);
    const [left] = outbox.due("central", Date.now(), 10);
    expect(JSON.parse(left!.payload)).toEqual({ status: "retried" });
    outbox.acknowledge([left!]);
    expect(outbox.pending()).toBe(0);
  });
});

describe("breaker", () => {
  it("opens after 5 transport failures, persists every transition with its cause, and survives a restart", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.UTC(2026, 10, 22, 8));
    const { db } = await buffer();
    const clock = createSyncClock();
    const outbox = createOutboxStore(db);
    const breaker = createDestinationBreaker(db, outbox, "central", () => true, clock, {
      halfOpenAfterMs: 1000,
      maxHalfOpenAfterMs: 1000,
    });
    for (let i = 0; i < 5; i++)
      await breaker.execute(() => Promise.reject(new Error("connect ECONNREFUSED"))).catch(() => {});
    expect(breaker.state).toBe("open");
    await expect(breaker.execute(() => Promise.resolve(1))).rejects.toThrow(); // held open

    // A restarted agent keeps the open breaker instead of hammering a dead server.
    const again = createDestinationBreaker(db, outbox, "central", () => true, clock, {
      halfOpenAfterMs: 1000,
      maxHalfOpenAfterMs: 1000,
    });
    expect(again.state).toBe("open");
    vi.setSystemTime(Date.now() + 1500);
    await expect(again.execute(() => Promise.resolve(42))).resolves.toBe(42);
    expect(again.state).toBe("closed");

    const history = again.history();
    expect(history.map((t) => `${t.from}->${t.to}`)).toEqual([
      "closed->open",
      "open->half_open",
      "half_open->closed",
    ]);
    expect(history[0]).toMatchObject({ failures: 5 });
    expect(history[0]!.cause).toMatch(/5 consecutive failures; last: connect ECONNREFUSED/);
    const synced = db
      .prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE kind = 'breaker_transition'")
      .get()!;
    expect(synced.n).toBe(3);
  });

  it("probes at once when the network comes back, instead of waiting out the interval", async () => {
    const { db } = await buffer();
    const breaker = createDestinationBreaker(
      db,
      createOutboxStore(db),
      "ofd",
      () => true,
      createSyncClock(),
      {
        halfOpenAfterMs: 3_600_000,
        maxHalfOpenAfterMs: 3_600_000,
      },
    );
    for (let i = 0; i < 5; i++)
      await breaker.execute(() => Promise.reject(new Error("down"))).catch(() => {});
    await expect(breaker.execute(() => Promise.resolve(1))).rejects.toThrow();
    breaker.probeNow("network back: probing at once");
    await expect(breaker.execute(() => Promise.resolve(7))).resolves.toBe(7);
    const history = breaker.history();
    expect(history.at(-2)).toMatchObject({
      from: "open",
      to: "half_open",
      cause: "network back: probing at once",
    });
    expect(history.at(-1)).toMatchObject({ to: "closed" });
  });
});

describe("DLQ and central commands", () => {
  it("dead-letters with the error history, mirrors every change, and applies each command once", async () => {
    const { db } = await buffer();
    const clock = createSyncClock();
    const outbox = createOutboxStore(db);
    const dlq = createDlqStore(db, outbox, clock);
    const commands = createCommandApplier(db, dlq, outbox, clock);
    const id = enqueueReceipt(db, 1, Date.UTC(2026, 10, 22, 8), "t1");
    const [row] = outbox.due("central", Date.now(), 10);
    outbox.fail([row!], "500 once", 0, true, "2026-11-22T08:00:00.000Z");
    outbox.fail([{ ...row!, attempts: 1 }], "500 twice", 0, true, "2026-11-22T08:01:00.000Z");
    const [failed] = outbox.due("central", Date.now(), 10);
    expect(failed!.attempts).toBe(2);
    const entryId = dlq.deadLetter(
      failed!,
      "refused: items.0.price must be an integer",
      "VALIDATION_FAILED:x",
    );

    expect(outbox.due("central", Date.now(), 10).filter((r) => r.kind === "receipt")).toEqual([]);
    const entry = dlq.get(entryId)!;
    expect(entry).toMatchObject({ item_id: id, attempts: 3, status: "pending" });
    expect(JSON.parse(entry.errors).map((e: { message: string }) => e.message)).toEqual([
      "500 once",
      "500 twice",
      "refused: items.0.price must be an integer",
    ]);
    const mirror = () =>
      JSON.parse(
        db.prepare<[], { payload: string }>("SELECT payload FROM outbox WHERE kind = 'dlq_item'").get()!
          .payload,
      );
    expect(mirror()).toMatchObject({ status: "pending", itemId: id, attempts: 3 });

    // Support's retry arrives twice (its ack was not delivered yet): applied once.
    const command = { id: "cmd-1", action: "retry" as const, dlqItemId: entryId, reason: null };
    expect(commands.apply([command])).toBe(1);
    expect(commands.apply([command])).toBe(0);
    expect(outbox.due("central", Date.now(), 10).filter((r) => r.kind === "receipt")).toHaveLength(1);
    expect(mirror()).toMatchObject({ status: "retried" });
    const ack = JSON.parse(
      db.prepare<[], { payload: string }>("SELECT payload FROM outbox WHERE kind = 'command_ack'").get()!
        .payload,
    );
    expect(ack).toMatchObject({ commandId: "cmd-1", outcome: "applied" });

    // A discard of an entry that is no longer pending is acknowledged as not found, not re-applied.
    expect(commands.apply([{ id: "cmd-2", action: "discard", dlqItemId: entryId, reason: "typo" }])).toBe(1);
    const acks = db
      .prepare<[], { payload: string }>("SELECT payload FROM outbox WHERE kind = 'command_ack' ORDER BY id")
      .all();
    expect(JSON.parse(acks.at(-1)!.payload)).toMatchObject({ commandId: "cmd-2", outcome: "not_found" });
  });
});
