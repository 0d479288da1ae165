import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { CentralAnswerError, classifyPushFailure } from "./failure.ts";
import { createSyncWorker } from "./index.ts";
import {
  type CentralProcess,
  enqueueReceipt,
  hlcOf,
  openTestBuffer,
  outboxCount,
  startCentralProcess,
} from "./test-support.ts";
import type { SyncDb } from "./types.ts";

// Review of issue 8 item 3: one item that something in front of the central server refuses by
// itself must not hold back the whole outbox. Agent time is a fake clock.

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
let nowMs = T0;
let central: CentralProcess;
let nextTerminal = 0;
const cleanups: (() => Promise<void> | void)[] = [];

function advance(ms: number): void {
  nowMs += ms;
  vi.setSystemTime(nowMs);
}

vi.setConfig({ testTimeout: 60_000 });

beforeAll(async () => {
  central = await startCentralProcess(["--stores", "1", "--per-store", "12", "--max-wait-ms", "0"]);
}, 90_000);
afterAll(async () => {
  await central?.stop();
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(nowMs);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  vi.useRealTimers();
});

function dlqCount(db: SyncDb): number {
  return db.prepare<[], { n: number }>("SELECT count(*) AS n FROM dlq").get()!.n;
}

/** A fetch with a reverse proxy's body limit in front of the central server (nginx's 413 page). */
function proxyWithBodyLimit(limitBytes: number): { fetch: typeof fetch; refused: number[] } {
  const refused: number[] = [];
  const limited = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const body = init?.body;
    const size = body instanceof Uint8Array ? body.byteLength : typeof body === "string" ? body.length : 0;
    if (size > limitBytes) {
      const raw = body instanceof Uint8Array ? gunzipSync(body).toString() : String(body);
      refused.push((JSON.parse(raw) as { json: { items: unknown[] } }).json.items.length);
      return new Response("<html><body><h1>413 Request Entity Too Large</h1>nginx</body></html>", {
        status: 413,
        headers: { "content-type": "text/html" },
      });
    }
    return fetch(input, init);
  }) as typeof fetch;
  return { fetch: limited, refused };
}

async function agentBehind(proxy: { fetch: typeof fetch }) {
  const terminal = central.terminals[nextTerminal++]!;
  const buffer = await openTestBuffer();
  const worker = createSyncWorker({
    db: buffer.db,
    terminalId: terminal.id,
    centralUrl: central.url,
    terminalKey: terminal.key,
    fetch: proxy.fetch,
    schedule: false,
    watchMs: 0,
    now: () => nowMs,
    limits: { maxBatchItems: 20, maxAttempts: 3 },
  });
  cleanups.push(async () => {
    await worker.stop();
    buffer.dispose();
  });
  return { terminal, db: buffer.db, worker };
}

describe("a proxy's 413 (nginx answers it as an HTML page)", () => {
  it("is a 413, not a generic server fault: the batch is halved", () => {
    const html = new CentralAnswerError(413, "text/html", "<html>413 Request Entity Too Large</html>");
    expect(classifyPushFailure(html)).toMatchObject({ type: "too_large", typed: false });
  });

  it("for batches over its limit: smaller batches get through and everything is delivered", async () => {
    // A 20-receipt batch gzips to ~1 KiB, one receipt to ~0.5 KiB: a 700-byte limit passes a few.
    const proxy = proxyWithBodyLimit(700);
    const { terminal, db, worker } = await agentBehind(proxy);
    for (let n = 1; n <= 40; n++) enqueueReceipt(db, n, nowMs - 3600_000 + n * 1000, terminal.id);
    for (let round = 0; round < 20 && outboxCount(db) > 0; round++) {
      await worker.now();
      advance(61_000);
    }
    expect(proxy.refused.length).toBeGreaterThan(0);
    const row = (await central.stats()).receipts.find((r) => r.terminal_id === terminal.id);
    expect(Number(row?.distinct_ids ?? 0)).toBe(40);
    expect(dlqCount(db)).toBe(0);
  });
});

describe("a proxy's 413 for one item", () => {
  it("steps that item aside (never dead-lettered) and delivers everything behind it", async () => {
    const proxy = proxyWithBodyLimit(64 * 1024);
    const { terminal, db, worker } = await agentBehind(proxy);
    // The oldest item: a device event with 96 KiB of incompressible diagnostics (gzip cannot bring
    // it under the proxy's 64 KiB), then 40 ordinary receipts.
    db.prepare(
      "INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES ('central', 'device_event', 'big-1', ?, ?)",
    ).run(hlcOf(nowMs - 7200_000), JSON.stringify({ dump: randomBytes(96 * 1024).toString("hex") }));
    for (let n = 1; n <= 40; n++) enqueueReceipt(db, n, nowMs - 3600_000 + n * 1000, terminal.id);

    for (let round = 0; round < 20 && outboxCount(db) > 1; round++) {
      await worker.now();
      advance(61_000);
    }
    expect(proxy.refused.length).toBeGreaterThan(0);
    // The 40 receipts reached the central server; the big item waits in the outbox for a person
    // to raise the proxy's limit — it is not the item's fault, so it is never dead-lettered.
    const stats = await central.stats();
    const row = stats.receipts.find((r) => r.terminal_id === terminal.id);
    expect(Number(row?.distinct_ids ?? 0)).toBe(40);
    expect(outboxCount(db)).toBe(1);
    for (let round = 0; round < 30; round++) {
      await worker.now();
      advance(61_000);
    }
    expect(dlqCount(db)).toBe(0);
    expect(outboxCount(db)).toBe(1);
  });
});
