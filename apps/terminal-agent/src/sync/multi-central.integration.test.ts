import { spawn } from "node:child_process";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createTestCentralDatabase } from "@kassa/db/testing";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createSyncWorker, type SyncWorker, type SyncWorkerDeps } from "./index.ts";
import {
  type CentralProcess,
  type CentralStats,
  enqueueReceipt,
  openTestBuffer,
  outboxCount,
  startCentralProcess,
} from "./test-support.ts";
import type { SyncDb } from "./types.ts";

// Issue 8, item 7: the central server is stateless, so two central processes on one PostgreSQL
// behave as one under the fault matrix's main faults. Agents reach them through a small
// load balancer in this process (round robin, or pinned to one instance) or directly.
// PGlite cannot be shared by two processes, so this needs a real PostgreSQL.

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) {
  console.warn(
    "multi-central.integration.test.ts skipped: two central instances need one real PostgreSQL; set TEST_DATABASE_URL (CI does).",
  );
}

const T0 = Date.UTC(2026, 10, 23, 7, 0, 0);
/** The per-store admission limit both instances are configured with. */
const PER_STORE_LIMIT = 2;
let nowMs = T0;
/** The test's own connection to the shared database (what either instance reads and writes). */
let direct: Awaited<ReturnType<typeof createTestCentralDatabase>>;
let sql: typeof direct.sql;
let a: CentralProcess;
let b: CentralProcess;
let balancer: Balancer;
let nextTerminal = 0;
const cleanups: (() => Promise<void> | void)[] = [];

function advance(ms: number): void {
  nowMs += ms;
  vi.setSystemTime(nowMs);
}

vi.setConfig({ testTimeout: 60_000 });

interface Balancer {
  url: string;
  /** Where the next requests go: alternately to each instance, or always to one. */
  route: "round-robin" | "a" | "b";
  /** Which instance served each `ingest.push`, in order. */
  pushes: ("a" | "b")[];
  /** Requests an instance has not finished answering (also those the agent gave up on). */
  inFlight: number;
  server: Server;
}

/** A plain HTTP load balancer: forwards each request whole, and never cancels one upstream. */
async function startBalancer(): Promise<Balancer> {
  let turn = 0;
  const balancer = { route: "round-robin", pushes: [], inFlight: 0 } as unknown as Balancer;
  balancer.server = createServer((req, res) => {
    const name =
      balancer.route === "round-robin" ? (turn++ % 2 === 0 ? "a" : "b") : (balancer.route as "a" | "b");
    if (req.url?.includes("ingest.push")) balancer.pushes.push(name);
    const target = new URL(name === "a" ? a.url : b.url);
    balancer.inFlight += 1;
    let done = false;
    const finish = () => {
      if (!done) balancer.inFlight -= 1;
      done = true;
    };
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        answer.on("end", finish);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    // An agent that gave up (timeout) leaves its request running upstream, as a real balancer does.
    upstream.on("error", () => {
      finish();
      res.destroy();
    });
    res.on("error", () => {});
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => balancer.server.listen(0, "127.0.0.1", resolve));
  balancer.url = `http://127.0.0.1:${(balancer.server.address() as AddressInfo).port}`;
  return balancer;
}

beforeAll(async () => {
  if (!serverUrl) return;
  // A throwaway database (dropped at the end), migrated here; both instances serve it.
  direct = await createTestCentralDatabase({ serverUrl, poolSize: 3 });
  sql = direct.sql;
  const url = new URL(serverUrl);
  url.pathname = `/${(await sql.query<{ name: string }>("SELECT current_database() AS name"))[0]!.name}`;
  const shared = ["--database-url", url.toString(), "--per-store-limit", String(PER_STORE_LIMIT)];
  // A migrates and seeds; B then serves the same database and seeds nothing.
  a = await startCentralProcess([...shared, "--stores", "2", "--per-store", "12", "--max-wait-ms", "0"]);
  b = await startCentralProcess([...shared, "--stores", "0", "--max-wait-ms", "0"]);
  balancer = await startBalancer();
}, 120_000);
afterAll(async () => {
  balancer?.server.closeAllConnections();
  balancer?.server.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await direct?.close();
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(nowMs);
  balancer.route = "round-robin";
  balancer.pushes = [];
});
afterEach(async () => {
  await Promise.all([a.fault({ mode: "none" }), b.fault({ mode: "none" })]);
  for (const cleanup of cleanups.splice(0)) await cleanup();
  vi.useRealTimers();
});

async function agent(overrides: Partial<SyncWorkerDeps> = {}, terminalIndex = nextTerminal++) {
  const terminal = a.terminals[terminalIndex]!;
  const buffer = overrides.db ? null : await openTestBuffer();
  const db = overrides.db ?? buffer!.db;
  const worker = createSyncWorker({
    db,
    terminalId: terminal.id,
    centralUrl: balancer.url,
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

function enqueueMany(db: SyncDb, terminalId: string, count: number, from = 1): string[] {
  const ids: string[] = [];
  for (let n = from; n < from + count; n++)
    ids.push(enqueueReceipt(db, n, nowMs - 8 * 3600_000 + n * 1000, terminalId));
  return ids;
}

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

function localDlq(db: SyncDb): string[] {
  return db
    .prepare<[], { item_id: string }>("SELECT item_id FROM dlq WHERE status = 'pending' ORDER BY item_id")
    .all()
    .map((r) => r.item_id);
}

async function leaseToken(terminalId: string): Promise<number> {
  const rows = await sql.query<{ lease_token: bigint }>(
    "SELECT lease_token FROM terminal_sync_state WHERE terminal_id = $1",
    [terminalId],
  );
  return Number(rows[0]?.lease_token);
}

/** Polls (real time) until `check` holds: for server-side effects of a request the agent gave up on. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!serverUrl)("two central instances on one PostgreSQL", () => {
  it("batches alternating between the instances: one sync session (one lease token), every receipt once", async () => {
    const { terminal, db, worker } = await agent({ limits: { maxBatchItems: 20 } });
    enqueueMany(db, terminal.id, 200);
    await drain(worker, db);
    expect(balancer.pushes.filter((p) => p === "a").length).toBeGreaterThanOrEqual(5);
    expect(balancer.pushes.filter((p) => p === "b").length).toBeGreaterThanOrEqual(5);
    expect(receiptsAt(await b.stats(), terminal.id)).toEqual({ n: 200, distinct: 200 });
    // The lease granted by one instance was renewed by the other every time: never re-taken.
    expect(await leaseToken(terminal.id)).toBe(1);
    expect(localDlq(db)).toEqual([]);
  });

  it("batches the agent gave up on at a slow instance, re-sent through the other: no duplicates", async () => {
    const { terminal, db, worker } = await agent({ requestTimeoutMs: 1000, limits: { maxBatchItems: 50 } });
    enqueueMany(db, terminal.id, 200);
    // A stores what it gets, but answers after the agent's timeout; the retry lands on B.
    await a.fault({ mode: "delay", delayMs: 2000, remaining: 2 });
    await drain(worker, db);
    // Whichever instance stored a batch first, the other's late copy must change nothing.
    await until(async () => balancer.inFlight === 0, "the slow instance to finish");
    const stats = await a.stats();
    expect(receiptsAt(stats, terminal.id)).toEqual({ n: 200, distinct: 200 });
    expect(localDlq(db)).toEqual([]);
    // The timed-out batches were sent again: more pushes than the 4 batches need.
    expect(balancer.pushes.length).toBeGreaterThan(4);
  });

  it("a stale lease holder is fenced off through either instance", async () => {
    const first = await agent({ holder: "process-a", leaseTtlMs: 30_000 });
    enqueueMany(first.db, first.terminal.id, 5);
    balancer.route = "a";
    await first.worker.now(); // process-a holds the lease, granted by A
    const granted = await leaseToken(first.terminal.id);
    // process-a stalls; both leases lapse; process-b takes over through B.
    advance(120_000);
    await Promise.all([a.clock(120_000), b.clock(120_000)]);
    const second = new Database(first.path!);
    const other = createSyncWorker({
      db: second,
      terminalId: first.terminal.id,
      centralUrl: b.url,
      terminalKey: first.terminal.key,
      schedule: false,
      watchMs: 0,
      now: () => nowMs,
      holder: "process-b",
    });
    cleanups.push(async () => {
      await other.stop();
      second.close();
      await Promise.all([a.clock(0), b.clock(0)]);
    });
    enqueueMany(first.db, first.terminal.id, 5, 100);
    expect((await other.now()).delivered.central).toBeGreaterThanOrEqual(5);
    expect(await leaseToken(first.terminal.id)).toBe(granted + 1);
    // process-b stalls past its buffer lease; process-a wakes with its old token (granted by A) and
    // new work, takes the buffer and talks to B: its token is refused as stale, then its request
    // for a fresh lease, as process-b holds it.
    advance(31_000);
    enqueueMany(first.db, first.terminal.id, 5, 200);
    balancer.route = "b";
    balancer.pushes = [];
    const stale = await first.worker.now();
    expect(stale.delivered.central).toBe(0);
    expect(stale.message).toMatch(/Another process holds .* sync lease/);
    expect(balancer.pushes).toEqual(["b", "b"]);
    // Once its pause is over it asks A, which granted the first lease: refused just the same.
    advance(61_000);
    balancer.route = "a";
    balancer.pushes = [];
    const again = await first.worker.now();
    expect(again.delivered.central).toBe(0);
    expect(again.message).toMatch(/Another process holds .* sync lease/);
    expect(balancer.pushes).toEqual(["a"]);
    expect(await leaseToken(first.terminal.id)).toBe(granted + 1);
    // process-a's buffer lease lapses in turn; process-b, still the central lease's holder, goes on.
    advance(31_000);
    expect((await other.now()).delivered.central).toBe(5);
    expect(receiptsAt(await a.stats(), first.terminal.id)).toEqual({ n: 15, distinct: 15 });
  });

  it("two real agent processes on one buffer, each talking to its own instance: never both syncing, every receipt once", async () => {
    vi.useRealTimers();
    const first = await agent();
    enqueueMany(first.db, first.terminal.id, 300);
    await Promise.all([a.fault({ mode: "delay", delayMs: 40 }), b.fault({ mode: "delay", delayMs: 40 })]);
    const script = fileURLToPath(new URL("./test-worker-process.ts", import.meta.url));
    const run = (holder: string, centralUrl: string) =>
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
            centralUrl,
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
    const [viaA, viaB] = await Promise.all([run("process-a", a.url), run("process-b", b.url)]);
    const all = [...viaA, ...viaB];
    expect(all.some((r) => /Another agent process/.test(r.message))).toBe(true);
    expect(all.reduce((sum, r) => sum + r.delivered, 0)).toBe(300);
    expect(outboxCount(first.db)).toBe(0);
    expect(receiptsAt(await b.stats(), first.terminal.id)).toEqual({ n: 300, distinct: 300 });
  });

  it("a DLQ command issued through A, its answer from B lost, re-delivered through A: applied and audited once", async () => {
    const { terminal, db, worker } = await agent({ requestTimeoutMs: 1000, limits: { maxBatchItems: 40 } });
    const ids = enqueueMany(db, terminal.id, 60);
    const poisoned = [ids[3]!, ids[40]!];
    for (const id of poisoned) {
      // A fraction of a kopeck: central validation refuses the item (a permanent rejection).
      const row = db
        .prepare<[string], { payload: string }>("SELECT payload FROM outbox WHERE item_id = ?")
        .get(id)!;
      const payload = JSON.parse(row.payload);
      payload.items[0].price = 12.5;
      db.prepare("UPDATE outbox SET payload = ? WHERE item_id = ?").run(JSON.stringify(payload), id);
    }
    await drain(worker, db);
    expect(localDlq(db)).toEqual([...poisoned].sort());
    const mirrored = (await b.stats()).dlq.filter((d) => d.terminal_id === terminal.id);
    expect(mirrored).toHaveLength(2);
    const target = mirrored[0]!;
    const commandId = await a.command({
      organizationId: terminal.organizationId,
      terminalId: terminal.id,
      dlqItemId: target.id,
      action: "discard",
      reason: "price typo, re-entered as a new sale",
      actor: "support@kassa.test",
    });

    // B hands the command out, but its answer comes after the agent gave up.
    balancer.route = "b";
    await b.fault({ mode: "delay", delayMs: 2000, remaining: 1 });
    advance(1000);
    expect((await worker.now()).delivered.central).toBe(0);
    await until(async () => {
      const rows = await sql.query<{ delivered_at: Date | null }>(
        "SELECT delivered_at FROM sync_commands WHERE id = $1",
        [commandId],
      );
      return rows[0]?.delivered_at !== null;
    }, "B to hand out the command");
    await until(async () => balancer.inFlight === 0, "B's late answer");
    expect(db.prepare("SELECT count(*) AS n FROM applied_commands").get()).toEqual({ n: 0 });

    // A hands it out again (unacknowledged), the agent applies it; the acknowledgement goes through B.
    balancer.route = "a";
    advance(61_000);
    await worker.now();
    balancer.route = "b";
    advance(61_000);
    await drain(worker, db);

    const command = await sql.query("SELECT outcome, acked_at FROM sync_commands WHERE id = $1", [commandId]);
    expect(command[0]).toMatchObject({ outcome: "applied" });
    const audit = await sql.query<{ event: string }>(
      "SELECT event FROM sync_audit WHERE command_id = $1 ORDER BY event",
      [commandId],
    );
    expect(audit.map((r) => r.event)).toEqual(["discard_applied", "discard_issued"]);
    expect(
      db
        .prepare<[string], { n: number }>("SELECT count(*) AS n FROM applied_commands WHERE id = ?")
        .get(commandId),
    ).toEqual({ n: 1 });
    expect((await a.stats()).dlq.find((d) => d.id === target.id)?.status).toBe("discarded");
    expect(localDlq(db)).toEqual(poisoned.filter((id) => id !== target.item_id));
  });

  it("the per-store admission limit holds over both instances: two stores' storms, never more than the limit each", async () => {
    // 4 tills in each store (seeded 12 a store: 8–11 are store 0's, 20–23 store 1's), alternately on A and B.
    const tills = await Promise.all(
      [8, 9, 10, 11, 20, 21, 22, 23].map((index, i) =>
        agent({ centralUrl: i % 2 === 0 ? a.url : b.url, limits: { maxBatchItems: 10 } }, index),
      ),
    );
    for (const t of tills) enqueueMany(t.db, t.terminal.id, 30);
    // Receipt inserts wait on this lock, so every admitted push stays admitted while we count.
    let unlock = () => {};
    let locked = () => {};
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holding = sql.transaction(async (tx) => {
      await tx.query("LOCK TABLE receipts IN SHARE ROW EXCLUSIVE MODE");
      locked();
      await new Promise<void>((resolve) => {
        unlock = resolve;
      });
    });
    await lockTaken;
    const rounds = tills.map((t) => t.worker.now());
    const settled: string[] = [];
    rounds.forEach((round) => void round.then((r) => settled.push(r.message)));
    try {
      await until(async () => settled.length >= 8 - 2 * PER_STORE_LIMIT, "the excess pushes to be refused");
      const slots = await sql.query<{ n: number }>(
        "SELECT store_id, count(*)::int AS n FROM ingest_admission_slots WHERE expires_at > clock_timestamp() GROUP BY store_id ORDER BY store_id",
      );
      expect(slots.map((s) => s.n)).toEqual([PER_STORE_LIMIT, PER_STORE_LIMIT]);
      const active = await Promise.all(
        [a, b].map(
          async (c) =>
            ((await (await fetch(`${c.url}/__test/admission`)).json()) as { active: number }).active,
        ),
      );
      // Each instance alone would admit PER_STORE_LIMIT per store: together they admit no more.
      expect(active[0]! + active[1]!).toBe(2 * PER_STORE_LIMIT);
      expect(settled).toHaveLength(8 - 2 * PER_STORE_LIMIT);
      expect(settled.every((m) => /busy with other tills of this store.*retry after/i.test(m))).toBe(true);
    } finally {
      unlock();
      await holding;
    }
    await Promise.all(rounds);
    for (let i = 0; i < 100 && tills.some((t) => outboxCount(t.db) > 0); i++) {
      await Promise.all(tills.filter((t) => outboxCount(t.db) > 0).map((t) => t.worker.now()));
      advance(31_000);
    }
    const stats = await a.stats();
    for (const t of tills) {
      expect(outboxCount(t.db)).toBe(0);
      expect(receiptsAt(stats, t.terminal.id)).toEqual({ n: 30, distinct: 30 });
    }
    const left = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ingest_admission_slots");
    expect(left[0]!.n).toBe(0);
  });
});
