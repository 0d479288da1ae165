import type { CentralDatabase } from "@kassa/db/central";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCentralContext } from "../context.ts";
import type { TPushBatchInput } from "../ingest/push-batch.types.ts";
import { centralRouter } from "../router.ts";
import { hlcAt } from "../sync/sample-receipts.ts";
import { openThrowawayCentral, type SeededTerminal, seedFleet } from "../sync/test-central.ts";
import { createCallerFactory } from "../trpc.ts";
import { nearestRankQuantile, RUM_RELATIVE_ERROR, rumBin, rumBinValue } from "./histogram.ts";
import { startRumMaintenance } from "./maintenance.ts";
import { listRumPartitions, maintainRumPartitions, partitionName } from "./partitions.ts";
import { rollupPercentiles } from "./queries.ts";

// Issue 11, central storage: RUM samples arrive through ingest.push into the day-partitioned
// rum_samples (not terminal_records), idempotently, with their original time; partitions are made
// ahead and dropped by retention on a fake clock; the database's percentiles match a reference.

const backends: [string, string][] = [["PGlite", ""]];
if (process.env.TEST_DATABASE_URL) backends.push(["PostgreSQL", process.env.TEST_DATABASE_URL]);

const now = new Date("2026-12-01T09:00:00Z");
const DAY = 86_400_000;
const createCaller = createCallerFactory(centralRouter);

describe.each(backends)("on %s", (_name, serverUrl) => {
  let db: CentralDatabase;
  let dispose: () => Promise<void>;
  let terminals: SeededTerminal[];

  beforeAll(async () => {
    ({ db, dispose } = await openThrowawayCentral(serverUrl));
    terminals = await seedFleet(db, { stores: 2, perStore: 2 });
    await maintainRumPartitions(db.sql, now);
  }, 60_000);
  afterAll(async () => dispose?.());

  function push(terminal: SeededTerminal, items: TPushBatchInput["items"], holder = "agent-a") {
    const caller = createCaller(
      createCentralContext({
        db,
        headers: new Headers({ authorization: `Bearer ${terminal.key}` }),
        now: () => now,
      }),
    );
    return caller.ingest.push({
      terminalId: terminal.id,
      holder,
      leaseToken: null,
      sentAtMs: now.getTime(),
      hlc: hlcAt(now.getTime()),
      items,
    });
  }
  const rum = (id: string, data: Record<string, unknown>, n = 1) => ({
    kind: "rum" as const,
    id,
    hlc: hlcAt(now.getTime(), n),
    data,
  });
  const samplesOf = (terminalId: string) =>
    db.sql.query<{ id: string; at: Date; metric: string; value: number; unit: string; store_id: string }>(
      "SELECT id, at, metric, value, unit, store_id FROM rum_samples WHERE terminal_id = $1 ORDER BY id",
      [terminalId],
    );
  const rollupCount = async (terminalId: string, grain: string) => {
    const [row] = await db.sql.query<{ n: bigint | null }>(
      "SELECT sum(c) AS n FROM rum_histograms, unnest(counts) AS c WHERE terminal_id = $1 AND grain = $2",
      [terminalId, grain],
    );
    return Number(row?.n ?? 0);
  };

  it("stores both payload shapes with the till's labels and original time, once however often redelivered", {
    timeout: 20_000,
  }, async () => {
    const t = terminals[0]!;
    const offlineAt = new Date(now.getTime() - 3 * 3_600_000).toISOString();
    const items = [
      rum("r-legacy", { metric: "pin_login.duration", valueMs: 412.5, at: offlineAt, labels: {} }, 1),
      rum(
        "r-new",
        {
          metric: "buffer.fill",
          value: 0.25,
          unit: "ratio",
          at: offlineAt,
          labels: { destination: "central" },
        },
        2,
      ),
    ];
    const first = await push(t, items);
    expect(first.results.map((r) => r.status)).toEqual(["accepted", "accepted"]);
    const again = await push(t, items);
    expect(again.results.map((r) => r.status)).toEqual(["duplicate", "duplicate"]);
    expect(await samplesOf(t.id)).toEqual([
      {
        id: "r-legacy",
        at: new Date(offlineAt),
        metric: "pin_login.duration",
        value: 412.5,
        unit: "ms",
        store_id: t.storeId,
      },
      {
        id: "r-new",
        at: new Date(offlineAt),
        metric: "buffer.fill",
        value: 0.25,
        unit: "ratio",
        store_id: t.storeId,
      },
    ]);
    // Redelivery added nothing to the histograms either: one sample each, per grain.
    expect(await rollupCount(t.id, "hour")).toBe(2);
    expect(await rollupCount(t.id, "day")).toBe(2);
    const records = await db.sql.query("SELECT 1 FROM terminal_records WHERE kind = 'rum'");
    expect(records).toEqual([]);
  });

  it("rejects, per item, a payload that is no sample, and the same id with another body", async () => {
    const t = terminals[1]!;
    const at = now.toISOString();
    await push(t, [rum("r-1", { metric: "printer.duration", value: 800, unit: "ms", at, labels: {} })]);
    const answer = await push(t, [
      rum("r-1", { metric: "printer.duration", value: 900, unit: "ms", at, labels: {} }, 2),
      rum("r-bad", { ms: 5 }, 3),
      rum("r-ok", { metric: "serial.round_trip", value: 12, unit: "ms", at, labels: {} }, 4),
    ]);
    expect(answer.results.map((r) => [r.id, r.status, r.code ?? null])).toEqual([
      ["r-1", "rejected", "RECORD_CONFLICT"],
      ["r-bad", "rejected", "INVALID_RUM_SAMPLE"],
      ["r-ok", "accepted", null],
    ]);
    expect(answer.results[1]?.reason).toMatch(/metric/);
    expect((await samplesOf(t.id)).map((s) => [s.id, s.value])).toEqual([
      ["r-1", 800],
      ["r-ok", 12],
    ]);
  });

  it("creates partitions ahead, moves strays out of DEFAULT, and drops whole partitions by retention (fake clock)", async () => {
    const t = terminals[2]!;
    // A sample from 20 days ago, before any partition for its day existed: kept in DEFAULT.
    const old = new Date(now.getTime() - 20 * DAY).toISOString();
    await push(t, [rum("r-old", { metric: "printer.duration", value: 5, unit: "ms", at: old, labels: {} })]);
    const [inDefault] = await db.sql.query<{ n: bigint }>("SELECT count(*) AS n FROM rum_samples_default");
    expect(Number(inDefault?.n)).toBe(1);

    let clock = now.getTime() + 10 * DAY;
    const timers: { fn: () => void; at: number }[] = [];
    const log = vi.fn();
    const stop = startRumMaintenance(db.sql, {
      policy: { retentionDays: 40, aheadDays: 3 },
      intervalMs: DAY,
      log,
      clock: {
        now: () => new Date(clock),
        setTimeout: (fn, ms) => timers.push({ fn, at: clock + ms }),
        clearTimeout: () => {},
      },
    });
    await vi.waitFor(() => expect(timers.length).toBe(1));
    const days = await listRumPartitions(db.sql);
    const today = Math.floor(clock / DAY) * DAY;
    for (let d = 0; d <= 3; d++) expect(days.get(today + d * DAY)).toBe(partitionName(today + d * DAY));
    // The stray got its own partition and left DEFAULT: 30 days before the clock is within 40.
    const oldDay = Math.floor(Date.parse(old) / DAY) * DAY;
    expect(days.has(oldDay)).toBe(true);
    expect(await db.sql.query("SELECT 1 FROM rum_samples_default")).toEqual([]);
    expect((await samplesOf(t.id)).map((s) => s.id)).toEqual(["r-old"]);

    // Twenty days later it is 50 days old, past retention: the next tick drops its partition whole.
    clock += 20 * DAY;
    timers.shift()!.fn();
    await vi.waitFor(() => expect(timers.length).toBe(1));
    stop();
    const after = await listRumPartitions(db.sql);
    expect(after.has(oldDay)).toBe(false);
    expect([...after.keys()].every((day) => day >= Math.floor(clock / DAY) * DAY - 40 * DAY)).toBe(true);
    expect(await samplesOf(t.id)).toEqual([]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining(`dropped ${partitionName(oldDay)}`));
    const [rollupsLeft] = await db.sql.query<{ n: bigint }>(
      "SELECT count(*) AS n FROM rum_histograms WHERE bucket < $1",
      [new Date(Math.floor(clock / DAY) * DAY - 40 * DAY)],
    );
    expect(Number(rollupsLeft?.n)).toBe(0);
    // Partitions are storage of rum_samples: every one has the parent's key.
    const keys = await db.sql.query<{ table_name: string }>(
      `SELECT c.relname AS table_name FROM pg_index ix JOIN pg_class c ON c.oid = ix.indrelid
       WHERE ix.indisprimary AND c.relispartition AND c.relname LIKE 'rum_samples_%'`,
    );
    expect(keys.length).toBe((await listRumPartitions(db.sql)).size + 1); // + DEFAULT
  });

  it("a second instance's run waits for nothing: the advisory lock makes it skip", async () => {
    const results = await db.sql.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [0x52554d11]);
      if (!serverUrl) return null; // PGlite has one connection: a second session cannot exist
      return maintainRumPartitions(db.sql, now);
    });
    if (results) expect(results.ran).toBe(false);
  });

  it("the database's p50/p75/p95 from the histograms match a nearest-rank reference within the bin error", async () => {
    const t = terminals[3]!;
    // Log-normal-ish latencies over three hours, plus zeros: skewed like real receipt timings.
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const values = Array.from({ length: 1500 }, (_, i) =>
      i % 50 === 0 ? 0 : Math.round(Math.exp(3 + 2 * random() + random() * random()) * 1000) / 1000,
    );
    const batch = values.map((value, i) =>
      rum(
        `p-${i}`,
        {
          metric: "receipt.accept.commit",
          value,
          unit: "ms",
          at: new Date(now.getTime() - (i % 3) * 3_600_000).toISOString(),
          labels: {},
        },
        i + 1,
      ),
    );
    for (let i = 0; i < batch.length; i += 500) await push(t, batch.slice(i, i + 500));
    const [db50, db75, db95] = await rollupPercentiles(db.sql, {
      organizationId: t.organizationId,
      metric: "receipt.accept.commit",
      terminalId: t.id,
      from: new Date(now.getTime() - DAY),
      to: new Date(now.getTime() + DAY),
    });
    for (const [q, got] of [
      [0.5, db50],
      [0.75, db75],
      [0.95, db95],
    ] as const) {
      const reference = nearestRankQuantile(values, q)!;
      expect(Math.abs(got! - reference)).toBeLessThanOrEqual(reference * RUM_RELATIVE_ERROR + 1e-9);
    }
    // The SQL bin functions are the TypeScript ones.
    const sample = [0, 1e-10, 0.003, 0.1, 1, 2.5, 17.3, 1234.5, 3_600_000, -5];
    const rows = await db.sql.query<{ bin: number; value: number }>(
      "SELECT rum_bin(v) AS bin, rum_bin_value(rum_bin(v)) AS value FROM unnest($1::float8[]) AS v",
      [sample],
    );
    expect(rows.map((r) => r.bin)).toEqual(sample.map(rumBin));
    for (const [i, r] of rows.entries()) expect(r.value).toBeCloseTo(rumBinValue(rumBin(sample[i]!)), 9);
  });

  it("keeps every grain's histogram equal to a recount of the stored samples: batches, redeliveries, a week boundary", async () => {
    const [t] = await seedFleet(db, { stores: 1, perStore: 1 });
    const metrics = ["receipt.accept.commit", "printer.duration"];
    // 900 samples every 17 minutes from Thu 26 Nov to Sun 6 Dec (a week boundary on Mon 30 Nov),
    // few distinct values so one hour's bin often counts more than one.
    const items = Array.from({ length: 900 }, (_, i) =>
      rum(
        `g-${i}`,
        {
          metric: metrics[i % 2]!,
          value: [3, 3.1, 40, 41, 900][i % 5]! * (1 + (i % 3)),
          unit: "ms",
          at: new Date(Date.parse("2026-11-26T00:05:00Z") + i * 17 * 60_000).toISOString(),
          labels: {},
        },
        i + 1,
      ),
    );
    await push(t!, items.slice(0, 400));
    await push(t!, items.slice(300, 700)); // 100 redelivered
    await push(t!, items.slice(700));
    await push(t!, items.slice(850)); // redelivered again
    const stored = await db.sql.query<{
      grain: string;
      metric: string;
      bucket: Date;
      bin: number;
      n: bigint;
    }>(
      `SELECT grain, metric, bucket, b.bin, b.n FROM rum_histograms, unnest(bins, counts) AS b(bin, n)
       WHERE terminal_id = $1 ORDER BY 1, 2, 3, 4`,
      [t!.id],
    );
    const recount = await db.sql.query<{
      grain: string;
      metric: string;
      bucket: Date;
      bin: number;
      n: bigint;
    }>(
      `SELECT g.grain, metric, date_trunc(g.grain, at, 'UTC') AS bucket, rum_bin(value) AS bin, count(*) AS n
       FROM rum_samples CROSS JOIN (VALUES ('hour'), ('day'), ('week')) AS g(grain)
       WHERE terminal_id = $1 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      [t!.id],
    );
    expect(recount.reduce((sum, r) => sum + Number(r.n), 0)).toBe(3 * 900);
    expect(stored).toEqual(recount);
    // The weeks are ISO weeks (Monday): the boundary splits the samples in two weeks, not one.
    expect(new Set(stored.filter((r) => r.grain === "week").map((r) => r.bucket.toISOString()))).toEqual(
      new Set(["2026-11-23T00:00:00.000Z", "2026-11-30T00:00:00.000Z"]),
    );
  });

  it("the bin functions are inlinable (not STRICT) and still answer NULL for NULL", async () => {
    // A STRICT SQL function whose body PostgreSQL cannot prove strict is never inlined: ingest's
    // three rum_bin calls per sample then cost ~3 µs each instead of ~0.2 µs (migration
    // 20261202090000_rum_bin_inline).
    const functions = await db.sql.query<{ proname: string; proisstrict: boolean }>(
      "SELECT proname, proisstrict FROM pg_proc WHERE proname IN ('rum_bin', 'rum_bin_value') ORDER BY proname",
    );
    expect(functions).toEqual([
      { proname: "rum_bin", proisstrict: false },
      { proname: "rum_bin_value", proisstrict: false },
    ]);
    const [nulls] = await db.sql.query<{ bin: number | null; value: number | null }>(
      "SELECT rum_bin(NULL) AS bin, rum_bin_value(NULL) AS value",
    );
    expect(nulls).toEqual({ bin: null, value: null });
  });

  it("rum_percentile_bins: the smallest bin whose running count reaches q·total, for any split of counts", async () => {
    const ask = async (bins: number[], counts: number[], qs: number[]) => {
      const [row] = await db.sql.query<{ p: number[] }>(
        "SELECT rum_percentile_bins($1::int[], $2::float8[], $3::float8[]) AS p",
        [bins, counts, qs],
      );
      return row!.p;
    };
    // Against the definition, on random histograms (a seeded generator: the same cases every run).
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 40; trial++) {
      const size = 1 + Math.floor(random() * 30);
      const bins = Array.from({ length: size }, (_, i) => i * 3 - 20);
      const counts = bins.map(() => Math.floor(random() * 5));
      counts[Math.floor(random() * size)]! += 1;
      const total = counts.reduce((a, b) => a + b, 0);
      const nearest = (q: number) => {
        let cum = 0;
        return bins.find((_, i) => {
          cum += counts[i]!;
          return cum >= q * total;
        });
      };
      expect(await ask(bins, counts, [0.5, 0.75, 0.95])).toEqual([
        total,
        nearest(0.5),
        nearest(0.75),
        nearest(0.95),
      ]);
    }
    // Exactly on a boundary the lower bin is the answer; one sample answers every quantile.
    expect(await ask([1, 2, 3, 4], [1, 1, 1, 1], [0.5, 0.75, 1])).toEqual([4, 2, 3, 4]);
    expect(await ask([9], [1], [0.5, 0.75, 0.95])).toEqual([1, 9, 9, 9]);
    // An empty group has a count and no percentiles.
    expect(await ask([], [], [0.5])).toEqual([0]);
    expect(await ask([1, 2], [0, 0], [0.5])).toEqual([0]);
  });
});
