import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createSyncWorker, type SyncWorker } from "./index.ts";
import {
  type CentralProcess,
  type CentralStats,
  enqueueReceipt,
  openTestBuffer,
  outboxCount,
  startCentralProcess,
} from "./test-support.ts";
import type { SyncDb } from "./types.ts";

// Issue 8, item 3: a batch-level 4xx that names no item is the server's fault. A real HTTP proxy
// stands in front of the real central server process and answers what proxies and upgrades
// answer (an HTML 400, a plain 404, a 405, a gateway's JSON, and the central server's own typed
// 400s for a body a proxy mangled); the agent must back off, open its breaker, report it, keep
// every item — and deliver them all once the path heals. Agent time is a fake clock.

const T0 = Date.UTC(2026, 10, 23, 7, 0, 0);
let nowMs = T0;
let central: CentralProcess;
let proxy: Server;
let proxyUrl: string;
let nextTerminal = 0;
const cleanups: (() => Promise<void> | void)[] = [];

type Mode =
  | "pass"
  | "html400"
  | "text404"
  | "html405"
  | "json400"
  | "trpc404"
  | "trpc405"
  | "mangled-gzip"
  | "stripped-encoding"
  | "rate-limited";
let mode: Mode = "pass";
/** Items per push the proxy saw while faulting (0 = heartbeat), to prove nothing was bisected. */
let faultedBatchSizes: number[] = [];

function itemsIn(req: IncomingMessage, body: Buffer): number {
  try {
    const raw = req.headers["content-encoding"] === "gzip" ? gunzipSync(body) : body;
    const parsed = JSON.parse(raw.toString()) as { json?: { items?: unknown[] } };
    return parsed.json?.items?.length ?? 0;
  } catch {
    return -1;
  }
}

async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  change: { path?: (p: string) => string; method?: string; body?: Buffer; dropEncoding?: boolean } = {},
) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value !== "string" || ["host", "content-length", "connection"].includes(name)) continue;
    if (name === "content-encoding" && change.dropEncoding) continue;
    headers.set(name, value);
  }
  const method = change.method ?? req.method ?? "GET";
  const url = `${central.url}${change.path ? change.path(req.url ?? "/") : req.url}`;
  const answer = await fetch(url, {
    method,
    headers,
    ...(method === "GET" ? {} : { body: new Uint8Array(change.body ?? body) }),
  });
  res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" });
  res.end(Buffer.from(await answer.arrayBuffer()));
}

async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  const push = (req.url ?? "").startsWith("/api/trpc/ingest.push");
  if (mode === "pass" || !push) return forward(req, res, body);
  faultedBatchSizes.push(itemsIn(req, body));
  switch (mode) {
    case "html400":
      res.writeHead(400, { "content-type": "text/html" });
      res.end(
        "<html><head><title>400 Bad Request</title></head><body><center><h1>400 Bad Request</h1></center><hr><center>nginx</center></body></html>",
      );
      return;
    case "text404":
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not Found");
      return;
    case "html405":
      res.writeHead(405, { "content-type": "text/html" });
      res.end("<html><body>405 Method Not Allowed</body></html>");
      return;
    case "json400":
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "bad_request", message: "upstream rejected the request" }));
      return;
    case "trpc404":
      // A central server mid-upgrade that does not have the procedure: tRPC's own NOT_FOUND.
      return forward(req, res, body, { path: (p) => p.replace("ingest.push", "ingest.pushNext") });
    case "trpc405":
      // tRPC's own METHOD_NOT_SUPPORTED (a proxy turning the POST into a GET).
      return forward(req, res, body, { method: "GET" });
    case "mangled-gzip": {
      // Kassa's typed 400 VALIDATION_FAILED without fieldErrors: "not valid gzip".
      const mangled = Buffer.from(body);
      for (let i = 10; i < mangled.length; i += 7) mangled[i] = mangled[i]! ^ 0xff;
      return forward(req, res, body, { body: mangled });
    }
    case "stripped-encoding":
      // The gzip bytes parsed as JSON: tRPC's 400 parse error.
      return forward(req, res, body, { dropEncoding: true });
    case "rate-limited":
      // nginx's limit_req answering in its own words, with how long to wait.
      res.writeHead(429, { "content-type": "text/html", "retry-after": "30" });
      res.end("<html><head><title>429 Too Many Requests</title></head><body>nginx</body></html>");
      return;
  }
}

function advance(ms: number): void {
  nowMs += ms;
  vi.setSystemTime(nowMs);
}

vi.setConfig({ testTimeout: 60_000 });

beforeAll(async () => {
  central = await startCentralProcess(["--stores", "1", "--per-store", "12", "--max-wait-ms", "0"]);
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      handle(req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(`proxy: ${(error as Error).message}`);
      });
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 90_000);
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await central?.stop();
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(nowMs);
  mode = "pass";
  faultedBatchSizes = [];
});
afterEach(async () => {
  mode = "pass";
  for (const cleanup of cleanups.splice(0)) await cleanup();
  vi.useRealTimers();
});

async function agent() {
  const terminal = central.terminals[nextTerminal++]!;
  const buffer = await openTestBuffer();
  const logs: string[] = [];
  const faults: (number | null)[] = [];
  const offlinePeriods: unknown[] = [];
  const worker = createSyncWorker({
    db: buffer.db,
    terminalId: terminal.id,
    centralUrl: proxyUrl,
    terminalKey: terminal.key,
    schedule: false,
    watchMs: 0,
    now: () => nowMs,
    limits: { maxBatchItems: 20, maxAttempts: 3 },
    log: (line) => logs.push(line),
    onCentralFault: ({ status }) => faults.push(status),
    observe: { offline: (period) => offlinePeriods.push(period) },
  });
  cleanups.push(async () => {
    await worker.stop();
    buffer.dispose();
  });
  return { terminal, db: buffer.db, worker, logs, faults, offlinePeriods };
}

function dlqCount(db: SyncDb): number {
  return db.prepare<[], { n: number }>("SELECT count(*) AS n FROM dlq").get()!.n;
}

async function drain(worker: SyncWorker, db: SyncDb, maxRounds = 100): Promise<void> {
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

describe("a batch-level 4xx that names no item is the server's fault", () => {
  it.each<[Mode, number]>([
    ["html400", 400],
    ["text404", 404],
    ["html405", 405],
    ["json400", 400],
    ["trpc404", 404],
    ["trpc405", 405],
    ["mangled-gzip", 400],
    ["stripped-encoding", 400],
  ])(
    "%s for a while: nothing dead-lettered, nothing bisected, the breaker opens; all delivered once it heals",
    async (fault, status) => {
      const { terminal, db, worker, logs, faults } = await agent();
      for (let n = 1; n <= 60; n++) enqueueReceipt(db, n, nowMs - 3600_000 + n * 1000, terminal.id);
      mode = fault;
      // Half an hour of rounds a minute apart: far more than maxAttempts (3) and than the breaker's 5.
      for (let round = 0; round < 30; round++) {
        const report = await worker.now();
        expect(report.delivered.central).toBe(0);
        expect(report.deadLettered).toBe(0);
        advance(61_000);
      }
      expect(dlqCount(db)).toBe(0);
      expect(outboxCount(db)).toBeGreaterThanOrEqual(60);
      expect(worker.status().breakers.central).toBe("open");
      // Every faulted push carried a full batch: the answer was never taken to be about fewer items.
      expect(faultedBatchSizes.length).toBeGreaterThan(0);
      expect(faultedBatchSizes.every((size) => size === 20)).toBe(true);
      expect(faults.length).toBeGreaterThan(0);
      expect(faults.every((s) => s === status)).toBe(true);
      expect(logs.some((line) => line.includes(`central server fault (HTTP ${status})`))).toBe(true);
      expect(logs.every((line) => !/dead-letter/i.test(line) || /nothing dead-lettered/.test(line))).toBe(
        true,
      );

      mode = "pass";
      worker.networkBack();
      await drain(worker, db);
      const stats = await central.stats();
      expect(receiptsAt(stats, terminal.id)).toEqual({ n: 60, distinct: 60 });
      expect(dlqCount(db)).toBe(0);
      expect(stats.dlq.filter((d) => d.terminal_id === terminal.id)).toEqual([]);
      // The breaker's history reached the central server with the reason in words.
      const opened = stats.breakers.filter((b) => b.terminal_id === terminal.id && b.to_state === "open");
      expect(opened.length).toBeGreaterThan(0);
      expect(opened[0]!.cause).toContain(`HTTP ${status}`);
      expect(opened[0]!.cause).toContain("naming no item");
    },
  );
});

describe("a proxy's rate limit (HTTP 429 in its own words) is 'slow down', not an outage", () => {
  it("waits as long as Retry-After says, opens no breaker, records no offline period, then delivers everything once", async () => {
    const { terminal, db, worker, faults, offlinePeriods } = await agent();
    for (let n = 1; n <= 30; n++) enqueueReceipt(db, n, nowMs - 3600_000 + n * 1000, terminal.id);
    // The till's very first push is turned away: it has never been online yet.
    mode = "rate-limited";
    const first = await worker.now();
    expect(first.message).toMatch(/429/);
    expect(faultedBatchSizes).toEqual([20]);
    // Inside the 30 s it was told to wait, the till does not knock again.
    advance(29_000);
    await worker.now();
    expect(faultedBatchSizes).toEqual([20]);
    mode = "pass";
    advance(2_000);
    await drain(worker, db);
    expect(worker.status().breakers.central).toBe("closed");
    expect(faults).toEqual([]);
    expect(offlinePeriods).toEqual([]);
    expect(dlqCount(db)).toBe(0);
    expect(receiptsAt(await central.stats(), terminal.id)).toEqual({ n: 30, distinct: 30 });
  });
});
