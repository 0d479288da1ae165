import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createDlqStore, dlqId } from "./dlq-store.ts";
import { createSyncWorker, type SyncWorker } from "./index.ts";
import { createOutboxStore } from "./outbox-store.ts";
import { createSyncClock } from "./sync-clock.ts";
import {
  type CentralProcess,
  enqueueReceipt,
  hlcOf,
  openTestBuffer,
  outboxCount,
  startCentralProcess,
} from "./test-support.ts";
import type { OutboxRow, SyncDb } from "./types.ts";

// Issue 8, item 3: the DLQ mirror of an item never fails the way the item did, never nests, and
// two items never share a mirror id.

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
let nowMs = T0;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function buffer() {
  const b = await openTestBuffer();
  cleanups.push(() => b.dispose());
  const outbox = createOutboxStore(b.db);
  const dlq = createDlqStore(
    b.db,
    outbox,
    createSyncClock(() => nowMs),
  );
  return { db: b.db, outbox, dlq };
}

function insert(db: SyncDb, kind: string, itemId: string, payload: string): OutboxRow {
  db.prepare(
    "INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES ('central', ?, ?, ?, ?)",
  ).run(kind, itemId, hlcOf(nowMs), payload);
  return db
    .prepare<[string, string], OutboxRow>("SELECT * FROM outbox WHERE kind = ? AND item_id = ?")
    .get(kind, itemId)!;
}

function mirrors(db: SyncDb) {
  return db
    .prepare<[], { item_id: string; payload: string }>(
      "SELECT item_id, payload FROM outbox WHERE kind = 'dlq_item' ORDER BY id",
    )
    .all()
    .map((r) => ({ id: r.item_id, data: JSON.parse(r.payload) as Record<string, unknown> }));
}

describe("DLQ entry ids", () => {
  it("stay <destination>.<kind>.<item id> for the ids the agent makes", () => {
    expect(dlqId({ destination: "central", kind: "receipt", item_id: "01JRCPT0000000000000000001" })).toBe(
      "central.receipt.01JRCPT0000000000000000001",
    );
  });

  it("never collide for two items sharing their first 64 characters; the item ids are kept whole", async () => {
    const { db, dlq } = await buffer();
    const shared = `ev-${"x".repeat(70)}`;
    const a = insert(db, "device_event", `${shared}-a`, '{"n":1}');
    const b = insert(db, "device_event", `${shared}-b`, '{"n":2}');
    dlq.deadLetter(a, "id too long", "VALIDATION_FAILED:x");
    dlq.deadLetter(b, "id too long", "VALIDATION_FAILED:x");
    const entries = db
      .prepare<[], { id: string; item_id: string; payload: string }>(
        "SELECT id, item_id, payload FROM dlq ORDER BY item_id",
      )
      .all();
    expect(entries.map((e) => e.item_id)).toEqual([`${shared}-a`, `${shared}-b`]);
    expect(new Set(entries.map((e) => e.id)).size).toBe(2);
    for (const e of entries) expect(e.id).toMatch(/^[A-Za-z0-9._:-]{39}~[0-9a-f]{24}$/);
    expect(entries.map((e) => e.payload)).toEqual(['{"n":1}', '{"n":2}']);
    // Each has its own mirror, under its own id, carrying the whole item id.
    const sent = mirrors(db);
    expect(sent.map((m) => m.id).sort()).toEqual(entries.map((e) => e.id).sort());
    expect(sent.map((m) => m.data.itemId).sort()).toEqual([`${shared}-a`, `${shared}-b`]);
  });

  it("are hashed, and plain, when the item id has characters outside the plain set", () => {
    const id = dlqId({ destination: "central", kind: "rum", item_id: "r\u0000\uD800 é" });
    expect(id).toMatch(/^[A-Za-z0-9._:_-]+~[0-9a-f]{24}$/);
    expect(id).not.toBe(dlqId({ destination: "central", kind: "rum", item_id: "r\u0000\uDC00 é" }));
  });
});

describe("the DLQ mirror", () => {
  it("carries the payload as the outbox's bytes (base64), however hostile its text", async () => {
    const { db, dlq } = await buffer();
    const text = JSON.stringify({
      name: "a\u0000b\uD800c",
      emoji: "🧾".repeat(2500),
      controls: "\u0001\u001f",
    });
    const row = insert(db, "receipt", "01JRCPT0000000000000000009", text);
    dlq.deadLetter(row, "refused", "VALIDATION_FAILED:x");
    const [mirror] = mirrors(db);
    expect(mirror!.data).not.toHaveProperty("payload");
    expect(Buffer.from(mirror!.data.payloadBase64 as string, "base64").toString("utf8")).toBe(text);
  });

  it("of a mirror that dies is kept locally only: no mirror of a mirror, on dead-letter, retry or discard", async () => {
    const { db, dlq } = await buffer();
    const row = insert(db, "receipt", "01JRCPT0000000000000000010", '{"n":1}');
    dlq.deadLetter(row, "refused", "VALIDATION_FAILED:x");
    const [mirror] = mirrors(db);
    const mirrorRow = db
      .prepare<[string], OutboxRow>("SELECT * FROM outbox WHERE kind = 'dlq_item' AND item_id = ?")
      .get(mirror!.id)!;
    // The mirror itself is refused for good.
    const id = dlq.deadLetter(mirrorRow, "mirror refused", "VALIDATION_FAILED:y");
    expect(mirrors(db)).toEqual([]);
    expect(dlq.get(id)).toMatchObject({ kind: "dlq_item", item_id: mirror!.id, status: "pending" });
    // Support on the till retries it: the mirror goes back to the outbox as itself, nothing nested.
    expect(dlq.retry(id)).toBe(true);
    expect(mirrors(db).map((m) => m.id)).toEqual([mirror!.id]);
    expect(mirrors(db)[0]!.data.itemKind).toBe("receipt");
    const again = db
      .prepare<[string], OutboxRow>("SELECT * FROM outbox WHERE kind = 'dlq_item' AND item_id = ?")
      .get(mirror!.id)!;
    dlq.deadLetter(again, "mirror refused again", "VALIDATION_FAILED:y");
    expect(dlq.discard(id, "central cannot take it")).toBe(true);
    expect(mirrors(db)).toEqual([]);
    const kinds = db.prepare<[], { kind: string }>("SELECT kind FROM dlq ORDER BY kind").all();
    expect(kinds.map((k) => k.kind)).toEqual(["dlq_item", "receipt"]);
  });
});

describe("against the real central server", () => {
  let central: CentralProcess;
  beforeAll(async () => {
    central = await startCentralProcess(["--stores", "1", "--per-store", "2"]);
  }, 90_000);
  afterAll(async () => central?.stop());
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(nowMs);
  });
  afterEach(() => vi.useRealTimers());

  async function drain(worker: SyncWorker, db: SyncDb): Promise<void> {
    for (let i = 0; i < 50 && outboxCount(db) > 0; i++) {
      await worker.now();
      nowMs += 61_000;
      vi.setSystemTime(nowMs);
    }
    expect(outboxCount(db)).toBe(0);
  }

  it("hostile items are refused one by one, their mirrors arrive, nothing nests, and the healthy items are stored", async () => {
    const terminal = central.terminals[0]!;
    const b = await openTestBuffer();
    cleanups.push(() => b.dispose());
    const worker = createSyncWorker({
      db: b.db,
      terminalId: terminal.id,
      centralUrl: central.url,
      terminalKey: terminal.key,
      schedule: false,
      watchMs: 0,
      now: () => nowMs,
    });
    cleanups.push(() => worker.stop());
    const db = b.db;
    for (let n = 1; n <= 5; n++) enqueueReceipt(db, n, nowMs - 60_000 + n, terminal.id);
    // A receipt whose item name carries U+0000 and a lone surrogate (what issue 8 found).
    const hostile = enqueueReceipt(db, 6, nowMs - 50_000, terminal.id);
    const row = db
      .prepare<[string], { payload: string }>("SELECT payload FROM outbox WHERE item_id = ?")
      .get(hostile)!;
    const payload = JSON.parse(row.payload);
    payload.items[0].name = "Lens\u0000\uD800 1.6";
    db.prepare("UPDATE outbox SET payload = ? WHERE item_id = ?").run(JSON.stringify(payload), hostile);
    // Records PostgreSQL's jsonb cannot hold, and two ids sharing their first 64 characters.
    insert(db, "device_event", "ev-nul", JSON.stringify({ message: "paper\u0000out" }));
    const long = `ev-${"y".repeat(70)}`;
    insert(db, "device_event", `${long}-1`, '{"message":"a"}');
    insert(db, "device_event", `${long}-2`, '{"message":"b"}');
    insert(db, "device_event", "ev-ok", JSON.stringify({ message: "🧾".repeat(2500) }));

    await drain(worker, db);
    const stats = await central.stats();
    const receipts = stats.receipts.find((r) => r.terminal_id === terminal.id);
    expect(Number(receipts?.n)).toBe(5);
    expect(Number(stats.records.find((r) => r.kind === "device_event")?.n)).toBe(1);
    const local = db
      .prepare<[], { id: string; kind: string; item_id: string }>(
        "SELECT id, kind, item_id FROM dlq ORDER BY item_id",
      )
      .all();
    expect(local.map((e) => e.item_id).sort()).toEqual([hostile, "ev-nul", `${long}-1`, `${long}-2`].sort());
    expect(local.every((e) => e.kind !== "dlq_item")).toBe(true);
    const mirrored = stats.dlq.filter((d) => d.terminal_id === terminal.id);
    expect(mirrored.map((d) => d.id).sort()).toEqual(local.map((e) => e.id).sort());
    expect(mirrored.map((d) => d.item_id).sort()).toEqual(local.map((e) => e.item_id).sort());
    expect(mirrored.every((d) => d.item_kind !== "dlq_item" && d.status === "pending")).toBe(true);
    expect(mirrored.find((d) => d.item_id === "ev-nul")?.reason).toMatch(/U\+0000/);
  });
});
