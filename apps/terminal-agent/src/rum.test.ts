import { ZRumSample } from "@kassa/api/rum";
import { afterEach, describe, expect, it } from "vitest";
import { HybridLogicalClock } from "./clock/hlc.ts";
import { RumRecorder, reportRum } from "./rum.ts";
import { openTestBuffer } from "./sync/test-support.ts";

// The RUM buffer on real SQLite with a fake clock: bounded, oldest dropped first, never a receipt,
// and the drop counted exactly — across flushes, drop reports that are themselves dropped, restarts.

const T0 = Date.parse("2026-12-01T09:00:00.000Z");
let buffer: Awaited<ReturnType<typeof openTestBuffer>> | null = null;
afterEach(() => {
  buffer?.dispose();
  buffer = null;
});

async function setup(options: { maxSamples: number; sampleRate?: number; random?: () => number }) {
  buffer = await openTestBuffer();
  const clock = { t: T0, now: () => clock.t };
  const hlc = new HybridLogicalClock(clock.now);
  const make = () =>
    new RumRecorder(buffer!.db, hlc, clock.now, {
      sampleRate: 1,
      dropReportMs: 60_000,
      ...options,
    });
  return { db: buffer.db, clock, hlc, rum: make(), make };
}

function rumRows(db: Awaited<ReturnType<typeof openTestBuffer>>["db"]) {
  return (
    db.prepare("SELECT item_id, payload FROM outbox WHERE kind = 'rum' ORDER BY item_id").all() as {
      item_id: string;
      payload: string;
    }[]
  ).map((row) => ({ itemId: row.item_id, sample: ZRumSample.parse(JSON.parse(row.payload)) }));
}

const reported = (rows: ReturnType<typeof rumRows>) =>
  rows.filter((r) => r.sample.metric === "rum.dropped").reduce((sum, r) => sum + r.sample.value, 0);

describe("RumRecorder", () => {
  it("queues in memory and writes on flush, each sample with the time it was measured", async () => {
    const { db, clock, rum } = await setup({ maxSamples: 100 });
    rum.measure("receipt.accept.commit", 1.23456, "ms", { kind: "sale" });
    clock.t += 5_000;
    rum.event("sync.offline", 90_000, "ms", { destination: "central" }, T0 - 90_000);
    expect(rumRows(db)).toEqual([]);
    expect(rum.queued).toBe(2);
    clock.t += 5_000;
    rum.flush();
    expect(rumRows(db).map((r) => r.sample)).toEqual([
      {
        metric: "receipt.accept.commit",
        value: 1.235,
        unit: "ms",
        at: "2026-12-01T09:00:00.000Z",
        labels: { kind: "sale" },
      },
      {
        metric: "sync.offline",
        value: 90_000,
        unit: "ms",
        at: "2026-12-01T08:58:30.000Z",
        labels: { destination: "central" },
      },
    ]);
    expect(rum.queued).toBe(0);
    // Written without an fsync of its own, the connection back to FULL for the receipts after it.
    expect(db.pragma("synchronous", { simple: true })).toBe(2);
  });

  it("a flush that fails keeps its samples for the next one and leaves the connection FULL", async () => {
    const { db, rum } = await setup({ maxSamples: 100 });
    rum.measure("printer.duration", 7, "ms");
    db.exec("CREATE TRIGGER refuse BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect(() => rum.flush()).toThrow(/disk full/);
    expect(rum.queued).toBe(1);
    expect(db.pragma("synchronous", { simple: true })).toBe(2);
    db.exec("DROP TRIGGER refuse");
    rum.flush();
    expect(rumRows(db).map((r) => r.sample.value)).toEqual([7]);
  });

  it("keeps at most maxSamples, drops the oldest first, never another kind's row, and counts every drop", async () => {
    const { db, clock, rum } = await setup({ maxSamples: 100 });
    // A receipt waiting in the outbox (the bound must never touch it).
    db.prepare(
      "INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES ('central', 'receipt', 'r1', '0000000000001.00000', '{}')",
    ).run();
    let recorded = 0;
    // Uneven flushes, the clock moving so drop reports come out every minute.
    for (const batch of [40, 70, 1, 130, 9, 250, 3]) {
      for (let i = 0; i < batch; i++)
        rum.measure("serial.round_trip", recorded++, "ms", { command: "0xFF46" });
      rum.flush();
      clock.t += 30_000;
    }
    rum.flush();
    const rows = rumRows(db);
    expect(rows.length).toBeLessThanOrEqual(100);
    expect(db.prepare("SELECT count(*) AS n FROM outbox WHERE kind = 'receipt'").get()).toEqual({ n: 1 });
    const kept = rows.filter((r) => r.sample.metric === "serial.round_trip").map((r) => r.sample.value);
    // The newest survive, in order: the dropped ones are exactly the oldest.
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => recorded - kept.length + i));
    // Exact: reported drops (in the buffer) + drops not yet reported = every sample not kept.
    expect(reported(rows) + rum.droppedUnreported).toBe(recorded - kept.length);
    expect(reported(rows)).toBeGreaterThan(0);
  });

  it("a drop report that is itself dropped hands its count on", async () => {
    const { db, clock, rum } = await setup({ maxSamples: 100 });
    for (let i = 0; i < 150; i++) rum.measure("sync.batch.items", i, "count");
    rum.flush();
    const first = reported(rumRows(db));
    expect(first).toBe(51); // 50 over the bound, and one more to make room for the report itself
    // Enough new samples to push that report out of the buffer.
    clock.t += 60_000;
    for (let i = 0; i < 100; i++) rum.measure("sync.batch.items", 1000 + i, "count");
    rum.flush();
    const rows = rumRows(db);
    expect(rows).toHaveLength(100);
    expect(reported(rows) + rum.droppedUnreported).toBe(
      150 + 100 - rows.filter((r) => r.sample.metric !== "rum.dropped").length,
    );
  });

  it("the count not yet reported survives a restart and is reported by the next recorder", async () => {
    const { db, clock, rum, make } = await setup({ maxSamples: 100 });
    for (let i = 0; i < 120; i++) rum.measure("printer.duration", i, "ms");
    rum.flush(); // reports 21 (20 over + room for the report)
    clock.t += 1_000;
    for (let i = 0; i < 10; i++) rum.measure("printer.duration", i, "ms");
    rum.flush(); // 10 more dropped, the next report is not due for a minute
    expect(rum.droppedUnreported).toBe(10);
    const next = make();
    expect(next.droppedUnreported).toBe(10);
    clock.t += 60_000;
    next.flush();
    const reports = rumRows(db).filter((r) => r.sample.metric === "rum.dropped");
    expect(reports.map((r) => r.sample.value)).toEqual([21, 11]);
    expect(reports[1]!.sample.at).toBe(new Date(clock.t).toISOString());
    expect(next.droppedUnreported).toBe(0);
  });

  it("samples measurements at KASSA_RUM_SAMPLE_RATE, never events", async () => {
    const draws = [0.1, 0.9, 0.49, 0.5];
    const { db, rum } = await setup({ maxSamples: 100, sampleRate: 0.5, random: () => draws.shift()! });
    const kept = [1, 2, 3, 4].map((i) => rum.measure("receipt.accept.print", i, "ms"));
    expect(kept).toEqual([true, false, true, false]);
    rum.event("breaker.transition", 1, "count", { destination: "central", from: "closed", to: "open" });
    rum.flush();
    expect(rumRows(db).map((r) => [r.sample.metric, r.sample.value])).toEqual([
      ["receipt.accept.print", 1],
      ["receipt.accept.print", 3],
      ["breaker.transition", 1],
    ]);
  });

  it("reads gauges at most once a minute", async () => {
    const { db, clock, rum } = await setup({ maxSamples: 100 });
    let fill = 0.25;
    rum.gauge("buffer.fill", "ratio", () => fill);
    rum.flush();
    clock.t += 30_000;
    fill = 0.5;
    rum.flush();
    clock.t += 30_000;
    rum.flush();
    expect(rumRows(db).map((r) => r.sample.value)).toEqual([0.25, 0.5]);
  });
});

describe("reportRum (rum.report)", () => {
  it("turns web vitals and marks into samples with their units and labels", async () => {
    const { db, clock, rum } = await setup({ maxSamples: 100 });
    const answer = reportRum(rum, clock.now, {
      vitals: [
        { name: "LCP", value: 1800, rating: "good", id: "v5-1", navigationType: "navigate" },
        { name: "CLS", value: 0.12, rating: "needs-improvement", id: "v5-2" },
      ],
      marks: [{ name: "scan_to_line", valueMs: 85, at: new Date(T0 - 2_000).toISOString() }],
    });
    expect(answer).toEqual({ recorded: 3 });
    rum.flush();
    expect(rumRows(db).map((r) => r.sample)).toEqual([
      {
        metric: "web_vital.LCP",
        value: 1800,
        unit: "ms",
        at: new Date(T0).toISOString(),
        labels: { rating: "good", navigation_type: "navigate" },
      },
      {
        metric: "web_vital.CLS",
        value: 0.12,
        unit: "score",
        at: new Date(T0).toISOString(),
        labels: { rating: "needs-improvement" },
      },
      {
        metric: "mark.scan_to_line",
        value: 85,
        unit: "ms",
        at: new Date(T0 - 2_000).toISOString(),
        labels: {},
      },
    ]);
  });

  it("refuses a mark from a clock far off (typed 400) and records none of the report", async () => {
    const { clock, rum } = await setup({ maxSamples: 100 });
    const input = {
      vitals: [{ name: "INP" as const, value: 120, rating: "good" as const, id: "v5-3" }],
      marks: [
        { name: "tender_to_printed", valueMs: 900 },
        { name: "scan_to_line", valueMs: 1, at: new Date(T0 + 3_600_000).toISOString() },
      ],
    };
    expect(() => reportRum(rum, clock.now, input)).toThrow(
      expect.objectContaining({
        kassaCode: "VALIDATION_FAILED",
        fieldErrors: { "marks.1.at": ["is more than 5 minutes ahead of the till's clock"] },
      }),
    );
    expect(rum.queued).toBe(0);
  });
});
