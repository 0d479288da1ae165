/**
 * bench:sync — the sync worker against a real central server process (packages/api/bench/central-server.ts).
 *
 *   TEST_DATABASE_URL=postgresql://… npm run bench:sync      (or DATABASE_URL; the storm needs PostgreSQL)
 *
 * Figures (docs/targets.md): 100 receipts buffered → acknowledged (≤ 150 ms); bytes per receipt on the wire
 * (≤ 150, gzip body of a typical 3-item receipt batch); 8 h offline with 200 receipts → all delivered
 * (≤ 10 s after the network returns); storm of 500 terminals × 200 receipts into PostgreSQL (≤ 30 s,
 * zero duplicates, zero losses). Exits 1 when a target fails.
 *
 * BENCH_SMOKE=1 (or --smoke): a storm of 20 × 50 — proves the bench runs; its figures mean nothing.
 * BENCH_ONLY=storm: only the storm (tuning it without the one-terminal figures' minute).
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { createSyncWorker, type SyncWorker } from "../src/sync/index.ts";
import {
  type CentralProcess,
  enqueueTypicalReceipt,
  openTestBuffer,
  outboxCount,
  seededRandom,
  startCentralProcess,
} from "../src/sync/test-support.ts";

interface Figure {
  figure: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean;
}
const figures: Figure[] = [];
const report = (f: Figure, line: string) => {
  figures.push(f);
  console.log(line);
};

const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
const SMOKE = process.argv.includes("--smoke") || process.env.BENCH_SMOKE === "1";
const STORM_TERMINALS = Number(process.env.BENCH_STORM_TERMINALS ?? (SMOKE ? 20 : 500));
const STORM_RECEIPTS = Number(process.env.BENCH_STORM_RECEIPTS ?? (SMOKE ? 50 : 200));
const ONLY_STORM = process.env.BENCH_ONLY === "storm";

async function withBuffer(central: CentralProcess, index: number, now?: () => number) {
  const terminal = central.terminals[index]!;
  const buffer = await openTestBuffer();
  const worker = createSyncWorker({
    db: buffer.db,
    terminalId: terminal.id,
    centralUrl: central.url,
    terminalKey: terminal.key,
    schedule: false,
    watchMs: 0,
    ...(now ? { now } : {}),
  });
  return { terminal, buffer, worker };
}

const random = seededRandom(42);
function fill(
  db: Parameters<typeof enqueueTypicalReceipt>[0],
  terminalId: string,
  count: number,
  from: number,
  atMs: number,
) {
  db.transaction(() => {
    // A receipt every 20-100 s, as a busy till sells.
    let at = atMs;
    for (let n = from; n < from + count; n++) {
      at += 20_000 + Math.floor(random() * 80_000);
      enqueueTypicalReceipt(db, n, at, terminalId, random);
    }
  })();
}

// ---------------------------------------------------------------- small figures (one terminal)
if (!ONLY_STORM) {
  const central = await startCentralProcess(["--stores", "1", "--per-store", "3"]);
  try {
    console.log(
      `bench:sync — central on ${serverUrl ? "PostgreSQL" : "PGlite (set TEST_DATABASE_URL for PostgreSQL)"}`,
    );
    // 100 receipts buffered → acknowledged
    const { terminal, buffer, worker } = await withBuffer(central, 0);
    fill(buffer.db, terminal.id, 100, 1, Date.now() - 3600_000);
    await worker.now(); // warm-up: connection, JIT, lease
    const times: number[] = [];
    const bytes: number[] = [];
    for (let run = 0; run < 7; run++) {
      fill(buffer.db, terminal.id, 100, 1000 + run * 100, Date.now() - 3600_000);
      const before = worker.stats.bytesSent;
      const started = performance.now();
      const result = await worker.now();
      times.push(performance.now() - started);
      bytes.push((worker.stats.bytesSent - before) / 100);
      if (result.delivered.central !== 100)
        throw new Error(`expected 100 delivered, got ${result.delivered.central}`);
    }
    times.sort((a, b) => a - b);
    bytes.sort((a, b) => a - b);
    const median = times[3]!;
    report(
      {
        figure: "ack_100_receipts_ms",
        value: Math.round(median),
        unit: "ms",
        target: "<=150",
        pass: median <= 150,
      },
      `  100 receipts buffered → acknowledged: median ${median.toFixed(1)} ms over 7 runs (min ${times[0]!.toFixed(1)}, max ${times[6]!.toFixed(1)})`,
    );
    const perReceipt = bytes[3]!;
    report(
      {
        figure: "bytes_per_receipt",
        value: Math.round(perReceipt),
        unit: "bytes",
        target: "<=150",
        pass: perReceipt <= 150,
      },
      `  bytes per receipt on the wire (gzip request body, batch of 100 varied three-item receipts): ${perReceipt.toFixed(1)} (uncompressed ${(worker.stats.rawBytes / worker.stats.requests / 100).toFixed(0)})`,
    );
    await worker.stop();
    buffer.dispose();

    // 8 h offline with 200 receipts, then the network returns
    // The agent process lives 8 h ahead in a few seconds: its clock (and cockatiel's, which reads
    // Date.now) jumps 5 min per round while the central server is unreachable.
    const realNow = Date.now;
    let offsetMs = 0;
    Date.now = () => realNow() + offsetMs;
    const offline = await withBuffer(central, 1);
    fill(offline.buffer.db, offline.terminal.id, 200, 1, Date.now() - 8 * 3600_000);
    await central.fault({ mode: "drop" });
    for (let minute = 0; minute < 8 * 60; minute += 5) {
      await offline.worker.now();
      offsetMs += 5 * 60_000;
    }
    await central.fault({ mode: "none" });
    const back = performance.now();
    offline.worker.networkBack();
    for (let i = 0; i < 50 && outboxCount(offline.buffer.db) > 0; i++) await offline.worker.now();
    const recovery = (performance.now() - back) / 1000;
    const stats = await central.stats();
    const row = stats.receipts.find((r) => r.terminal_id === offline.terminal.id);
    const complete = Number(row?.n) === 200 && Number(row?.distinct_ids) === 200;
    report(
      {
        figure: "recovery_8h_200_s",
        value: Number(recovery.toFixed(3)),
        unit: "s",
        target: "<=10",
        pass: recovery <= 10 && complete,
      },
      `  8 h offline (fake clock, 96 failed rounds) with 200 receipts → all delivered ${recovery.toFixed(2)} s after the network returned (${row?.n ?? 0} stored, ${row?.distinct_ids ?? 0} distinct)`,
    );
    await offline.worker.stop();
    offline.buffer.dispose();
  } finally {
    await central.stop();
  }
}

// ---------------------------------------------------------------- the storm
if (!serverUrl) {
  console.log("  storm skipped: it needs a real PostgreSQL (TEST_DATABASE_URL or DATABASE_URL)");
  figures.push({ figure: "storm_seconds", value: -1, unit: "s", target: "<=30", pass: false });
} else {
  const stores = Math.max(1, Math.ceil(STORM_TERMINALS / 10));
  const central = await startCentralProcess([
    "--stores",
    String(stores),
    "--per-store",
    String(Math.ceil(STORM_TERMINALS / stores)),
    "--pool",
    "8",
    ...(process.env.BENCH_TOTAL_LIMIT ? ["--total-limit", process.env.BENCH_TOTAL_LIMIT] : []),
  ]);
  const tills: {
    terminal: CentralProcess["terminals"][number];
    worker: SyncWorker;
    buffer: Awaited<ReturnType<typeof openTestBuffer>>;
  }[] = [];
  try {
    const at = Date.now() - 8 * 3600_000;
    for (let i = 0; i < STORM_TERMINALS; i++) {
      const till = await withBuffer(central, i);
      fill(till.buffer.db, till.terminal.id, STORM_RECEIPTS, 1, at);
      tills.push(till);
    }
    console.log(
      `  storm: ${STORM_TERMINALS} tills × ${STORM_RECEIPTS} receipts buffered; the network returns for all at once…`,
    );
    let busyAnswers = 0;
    // How full the central server kept its push slots meanwhile (GET /__test/admission about
    // every 100 ms, from this process: fewer samples when the 500 tills here keep it busy). Slots
    // standing idle while outboxes are not empty are tills sleeping out "retry after", not work.
    const occupancy = { samples: 0, active: 0, idle: 0 };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const answer = (await (await fetch(`${central.url}/__test/admission`)).json()) as { active: number };
        occupancy.samples += 1;
        occupancy.active += answer.active;
        if (answer.active === 0) occupancy.idle += 1;
        await sleep(100);
      }
    })();
    const started = performance.now();
    await Promise.all(
      tills.map(async (till) => {
        for (let i = 0; i < 200 && outboxCount(till.buffer.db) > 0; i++) {
          const result = await till.worker.now();
          if (/busy/i.test(result.message)) busyAnswers += 1;
          // The worker holds its own pause ("retry after N s"); look again shortly.
          if (outboxCount(till.buffer.db) > 0) await sleep(250);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;
    const stats = await central.stats();
    const stored = stats.receipts.reduce((sum, r) => sum + Number(r.n), 0);
    const distinct = stats.receipts.reduce((sum, r) => sum + Number(r.distinct_ids), 0);
    const expected = STORM_TERMINALS * STORM_RECEIPTS;
    const left = tills.reduce((sum, t) => sum + outboxCount(t.buffer.db), 0);
    report(
      {
        figure: "storm_seconds",
        value: Number(seconds.toFixed(2)),
        unit: "s",
        target: "<=30",
        pass: seconds <= 30 && stored === expected && distinct === expected && left === 0,
      },
      `  storm drained in ${seconds.toFixed(1)} s: ${stored} stored of ${expected}, ${distinct} distinct, ${left} left in outboxes, ${busyAnswers} "retry after" answers`,
    );
    console.log(
      `  central push slots: ${(occupancy.active / Math.max(1, occupancy.samples)).toFixed(2)} busy on average, none busy in ${((100 * occupancy.idle) / Math.max(1, occupancy.samples)).toFixed(0)} % of the storm's samples`,
    );
    report(
      {
        figure: "storm_duplicates",
        value: stored - distinct,
        unit: "rows",
        target: "==0",
        pass: stored === distinct,
      },
      `  duplicates: ${stored - distinct}`,
    );
    report(
      {
        figure: "storm_lost",
        value: expected - distinct,
        unit: "receipts",
        target: "==0",
        pass: distinct === expected,
      },
      `  lost: ${expected - distinct}`,
    );
  } finally {
    for (const till of tills) {
      await till.worker.stop();
      till.buffer.dispose();
    }
    await central.stop();
  }
}

for (const f of figures) console.log(JSON.stringify({ bench: "sync", ...f }));
// A smoke run only has to produce its figures.
process.exit(SMOKE || figures.every((f) => f.pass) ? 0 : 1);
