import type { CentralDatabase } from "@kassa/db/central";
import { seedUser } from "@kassa/db/seed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardCaller } from "../dashboard/cash/test-caller.ts";
import { openThrowawayCentral, type SeededTerminal, seedFleet } from "../sync/test-central.ts";
import { foldRumHistograms } from "./fold.ts";
import { RUM_RELATIVE_ERROR } from "./histogram.ts";
import { maintainRumPartitions } from "./partitions.ts";
import { MAX_OFFLINE_BANDS } from "./queries.ts";
import { insertRumSamples, tillSource } from "./store-samples.ts";

// Issue 11: the RUM page's procedures read histograms within the user's stores, web vitals are
// rated by web.dev's thresholds, offline periods come back as bands, and the dashboard's beacon
// procedure validates its vitals and stores each once, with the user's organization and no till.

const backends: [string, string][] = [["PGlite", ""]];
if (process.env.TEST_DATABASE_URL) backends.push(["PostgreSQL", process.env.TEST_DATABASE_URL]);

const now = new Date("2026-12-01T12:00:00Z");
const hour = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

describe.each(backends)("on %s", (_name, serverUrl) => {
  let db: CentralDatabase;
  let dispose: () => Promise<void>;
  let tills: SeededTerminal[];
  let owner: string;
  let manager: string;

  beforeAll(async () => {
    ({ db, dispose } = await openThrowawayCentral(serverUrl));
    tills = await seedFleet(db, { stores: 2, perStore: 1 });
    await maintainRumPartitions(db.sql, now);
    const organizationId = tills[0]!.organizationId;
    owner = (await seedUser(db.prisma, { organizationId, role: "owner" })).user.id;
    manager = (await seedUser(db.prisma, { organizationId, role: "manager", storeIds: [tills[1]!.storeId] }))
      .user.id;
    for (const [n, till] of tills.entries()) {
      await insertRumSamples(
        db.sql,
        organizationId,
        Array.from({ length: 100 }, (_, i) => ({
          source: tillSource(till.id),
          id: `s-${i}`,
          storeId: till.storeId,
          terminalId: till.id,
          // Till 0: 1…100 ms; till 1: ten times slower.
          sample: {
            metric: "printer.duration",
            value: (i + 1) * (n + 1) ** 2,
            unit: "ms",
            at: hour((i % 5) + 0.5),
            labels: {},
          },
        })),
      );
    }
    await insertRumSamples(db.sql, organizationId, [
      {
        source: tillSource(tills[1]!.id),
        id: "offline-1",
        storeId: tills[1]!.storeId,
        terminalId: tills[1]!.id,
        sample: {
          metric: "sync.offline",
          value: 1_800_000,
          unit: "ms",
          at: hour(3),
          labels: { destination: "central" },
        },
      },
    ]);
    // Fleet-wide views read the folded histograms (fold.ts), as the central schedule keeps them.
    await foldRumHistograms(db.sql);
  }, 60_000);
  afterAll(async () => dispose?.());

  const window = { from: new Date(now.getTime() - 23 * 3_600_000), to: new Date(now.getTime() + 3_600_000) };
  const close = (got: number, want: number) =>
    expect(Math.abs(got - want)).toBeLessThanOrEqual(want * RUM_RELATIVE_ERROR + 1e-9);

  it("an owner sees every till; percentiles per till and store, series, distribution and offline bands", async () => {
    const api = dashboardCaller(db, owner, now);
    const view = await api.rum.metric({ ...window, metric: "printer.duration" });
    expect(view.unit).toBe("ms");
    expect(view.thresholds).toBeNull();
    expect(view.tills.map((t) => [t.terminalId, t.count])).toEqual([
      [tills[0]!.id, 100],
      [tills[1]!.id, 100],
    ]);
    close(view.tills[0]!.p50, 50);
    close(view.tills[0]!.p95, 95);
    close(view.tills[1]!.p75, 300);
    expect(view.stores.map((s) => s.storeName)).toEqual(["Store 0", "Store 1"]);
    expect(view.series.reduce((n, p) => n + p.count, 0)).toBe(200);
    expect(view.series).toHaveLength(5);
    expect(view.distribution.reduce((n, b) => n + b.count, 0)).toBe(200);
    expect(view.offline).toEqual([
      {
        destination: "central",
        from: new Date(hour(3)),
        to: new Date(new Date(hour(3)).getTime() + 1_800_000),
        periods: 1,
        tills: 1,
        terminalId: tills[1]!.id,
        terminalName: tills[1]!.id,
        storeName: "Store 1",
      },
    ]);
    expect(view.offlineTotals).toEqual({ periods: 1, tills: 1, bands: 1 });
    const overview = await api.rum.overview(window);
    expect(overview.metrics.map((m) => [m.metric, m.count])).toEqual([
      ["printer.duration", 200],
      ["sync.offline", 1],
    ]);
    expect(overview.offline).toEqual(view.offline);
    expect(overview.offlineTotals).toEqual(view.offlineTotals);
  });

  it("offline periods merge per destination into bands, newest first, with exact totals and the newest kept when capped", async () => {
    // A chain of its own: store 0 has tills a and b, store 1 tills c and d.
    const fleet = await seedFleet(db, { stores: 2, perStore: 2 });
    const [a, b, c, d] = fleet as [SeededTerminal, SeededTerminal, SeededTerminal, SeededTerminal];
    const organizationId = a.organizationId;
    const chainOwner = (await seedUser(db.prisma, { organizationId, role: "owner" })).user.id;
    const offline = (till: SeededTerminal, id: string, at: string, hours: number, destination = "central") =>
      insertRumSamples(db.sql, organizationId, [
        {
          source: tillSource(till.id),
          id,
          storeId: till.storeId,
          terminalId: till.id,
          sample: {
            metric: "sync.offline",
            value: hours * 3_600_000,
            unit: "ms",
            at,
            labels: { destination },
          },
        },
      ]);
    // Window [hour(23), hour(-1)). a went offline 3 h before it and overlaps it; b starts as a ends
    // (touching); c overlaps b: one band of three tills.
    await offline(a, "early", hour(26), 4);
    await offline(b, "touching", hour(22), 1);
    await offline(c, "overlapping", hour(21.5), 2);
    // Ended before the window: neither drawn nor counted.
    await offline(d, "before", hour(30), 1);
    // a twice, overlapping: a band of one till, two periods.
    await offline(a, "again-1", hour(10), 1);
    await offline(a, "again-2", hour(9.5), 1);
    // A separate later one.
    await offline(d, "later", hour(4), 0.5);
    // The OFD link of b, at the same time as the first central band: its own band.
    await offline(b, "ofd", hour(21.8), 1, "ofd");
    const at = (h: number) => new Date(hour(h));
    const api = dashboardCaller(db, chainOwner, now);
    const view = await api.rum.metric({ ...window, metric: "sync.offline" });
    const single = (till: SeededTerminal, storeName: string) => ({
      tills: 1,
      terminalId: till.id,
      terminalName: till.id,
      storeName,
    });
    expect(view.offline).toEqual([
      { destination: "central", from: at(4), to: at(3.5), periods: 1, ...single(d, "Store 1") },
      { destination: "central", from: at(10), to: at(8.5), periods: 2, ...single(a, "Store 0") },
      {
        destination: "central",
        from: at(26),
        to: at(19.5),
        periods: 3,
        tills: 3,
        terminalId: null,
        terminalName: null,
        storeName: null,
      },
      { destination: "ofd", from: at(21.8), to: at(20.8), periods: 1, ...single(b, "Store 0") },
    ]);
    expect(view.offlineTotals).toEqual({ periods: 7, tills: 4, bands: 4 });
    expect((await api.rum.overview(window)).offlineTotals).toEqual(view.offlineTotals);
    // A store filter merges only that store's periods: c alone is the old band now.
    const store1 = await api.rum.metric({ ...window, metric: "sync.offline", storeId: c.storeId });
    expect(store1.offline.map((x) => [x.destination, x.from, x.to, x.periods, x.terminalId])).toEqual([
      ["central", at(4), at(3.5), 1, d.id],
      ["central", at(21.5), at(19.5), 1, c.id],
    ]);
    expect(store1.offlineTotals).toEqual({ periods: 2, tills: 2, bands: 2 });

    // The cap: 620 separate ten-minute periods of c, one every twenty minutes, 30–40 days ago.
    const capFrom = new Date(now.getTime() - 40 * 86_400_000);
    await db.sql.query(
      `INSERT INTO rum_samples (organization_id, source, id, at, store_id, terminal_id, metric, value, unit, labels, body_hash)
       SELECT $1, $2, 'cap-' || i, $5::timestamptz + i * interval '20 minutes', $3, $4, 'sync.offline', 600000, 'ms',
              '{"destination":"central"}', 'test'
       FROM generate_series(0, 619) AS i`,
      [organizationId, tillSource(c.id), c.storeId, c.id, capFrom],
    );
    const capped = await api.rum.metric({
      from: capFrom,
      to: new Date(now.getTime() - 30 * 86_400_000),
      metric: "sync.offline",
    });
    const period = (i: number) => new Date(capFrom.getTime() + i * 1_200_000);
    expect(capped.offline).toHaveLength(MAX_OFFLINE_BANDS);
    expect(capped.offline[0]).toMatchObject({ from: period(619), periods: 1, terminalId: c.id });
    expect(capped.offline.at(-1)).toMatchObject({ from: period(620 - MAX_OFFLINE_BANDS) });
    expect(capped.offlineTotals).toEqual({ periods: 620, tills: 1, bands: 620 });
  });

  it("a store-scoped manager sees only their store's till, and the beacon's vitals are rated", async () => {
    const view = await dashboardCaller(db, manager, now).rum.metric({
      ...window,
      metric: "printer.duration",
    });
    expect(view.tills.map((t) => t.terminalId)).toEqual([tills[1]!.id]);
    const outside = await dashboardCaller(db, manager, now).rum.metric({
      ...window,
      metric: "printer.duration",
      storeId: tills[0]!.storeId,
    });
    expect(outside.tills).toEqual([]);
  });

  it("stores the dashboard's web vitals once per id, with the user's organization and no till", async () => {
    const api = dashboardCaller(db, owner, now);
    const vitals = [
      {
        name: "LCP" as const,
        value: 1800,
        rating: "good" as const,
        id: "v5-1-1",
        navigationType: "navigate" as const,
      },
      { name: "CLS" as const, value: 0.3, rating: "poor" as const, id: "v5-1-2" },
    ];
    expect(await api.rum.report({ vitals, page: "/receipts" })).toEqual({ stored: 2, duplicates: 0 });
    await foldRumHistograms(db.sql);
    // The CLS re-reported on the next page hide (same id, grown value) keeps the first value.
    expect(await api.rum.report({ vitals: [{ ...vitals[1]!, value: 0.4 }], page: "/receipts" })).toEqual({
      stored: 0,
      duplicates: 1,
    });
    const rows = await db.sql.query<{
      metric: string;
      value: number;
      terminal_id: string | null;
      labels: object;
    }>("SELECT metric, value, terminal_id, labels FROM rum_samples WHERE source = $1 ORDER BY metric", [
      `web:${owner}`,
    ]);
    expect(rows).toEqual([
      {
        metric: "web_vital.CLS",
        value: 0.3,
        terminal_id: null,
        labels: { rating: "poor", page: "/receipts" },
      },
      {
        metric: "web_vital.LCP",
        value: 1800,
        terminal_id: null,
        labels: { rating: "good", navigation_type: "navigate", page: "/receipts" },
      },
    ]);
    const lcp = await api.rum.metric({ ...window, metric: "web_vital.LCP" });
    expect(lcp.thresholds).toEqual([2500, 4000]);
    expect(lcp.tills).toEqual([expect.objectContaining({ terminalId: "", rating: "good", count: 1 })]);
    const overview = await api.rum.overview(window);
    expect(overview.metrics.find((m) => m.metric === "web_vital.CLS")).toMatchObject({
      unit: "score",
      rating: "poor",
    });
    // A store-scoped manager does not see the organization's dashboard vitals.
    const managerView = await dashboardCaller(db, manager, now).rum.overview(window);
    expect(managerView.metrics.map((m) => m.metric)).not.toContain("web_vital.LCP");
  });

  it("the fleet-wide fold equals the tills' histograms merged, and catches a late sample on its next run", async () => {
    const api = dashboardCaller(db, owner, now);
    const total = (series: { count: number }[]) => series.reduce((n, p) => n + p.count, 0);
    const fleet = async () => total((await api.rum.metric({ ...window, metric: "printer.duration" })).series);
    const oneStore = async () =>
      total(
        (await api.rum.metric({ ...window, metric: "printer.duration", storeId: tills[0]!.storeId })).series,
      );
    expect(await fleet()).toBe(200);
    expect(await oneStore()).toBe(100);
    // A sample measured offline two hours ago arrives now: the tills' rows have it at once, the
    // fleet-wide row after the next fold.
    await insertRumSamples(db.sql, tills[0]!.organizationId, [
      {
        source: tillSource(tills[0]!.id),
        id: "late-1",
        storeId: tills[0]!.storeId,
        terminalId: tills[0]!.id,
        sample: { metric: "printer.duration", value: 5000, unit: "ms", at: hour(2.5), labels: {} },
      },
    ]);
    expect(await oneStore()).toBe(101);
    expect(await fleet()).toBe(200);
    expect(await foldRumHistograms(db.sql)).toBeGreaterThan(0);
    expect(await fleet()).toBe(201);
    // Bin for bin, every fleet-wide row is the merge of its group's rows.
    const mismatched = await db.sql.query(
      `WITH merged AS (
         SELECT organization_id, metric, grain, bucket, b.bin, sum(b.n)::bigint AS n
         FROM rum_histograms, unnest(bins, counts) AS b(bin, n) WHERE store_id <> '*' GROUP BY 1, 2, 3, 4, 5
       ), fleet AS (
         SELECT organization_id, metric, grain, bucket, b.bin, b.n
         FROM rum_histograms, unnest(bins, counts) AS b(bin, n) WHERE store_id = '*'
       )
       SELECT * FROM merged FULL JOIN fleet USING (organization_id, metric, grain, bucket, bin)
       WHERE merged.n IS DISTINCT FROM fleet.n`,
    );
    expect(mismatched).toEqual([]);
  });

  it("the breakdown equals the per-group nearest rank for a till that moved stores and the dashboard's own samples", async () => {
    const api = dashboardCaller(db, owner, now);
    const metric = "review.moved";
    const [a, b] = [tills[0]!, tills[1]!];
    const rows = (source: string, storeId: string | null, terminalId: string | null, values: number[]) =>
      values.map((value, i) => ({
        source,
        id: `${storeId}-${i}`,
        storeId,
        terminalId,
        sample: { metric, value, unit: "ms" as const, at: hour((i % 3) + 0.5), labels: {} },
      }));
    const range = (from: number, n: number, step = 1) => Array.from({ length: n }, (_, i) => from + i * step);
    // Till a under its own store, then under b's store (the same terminal id under two stores).
    await insertRumSamples(db.sql, a.organizationId, rows(tillSource(a.id), a.storeId, a.id, range(1, 50)));
    await insertRumSamples(
      db.sql,
      a.organizationId,
      rows(tillSource(a.id), b.storeId, a.id, range(100, 7, 13)),
    );
    await insertRumSamples(
      db.sql,
      a.organizationId,
      rows(tillSource(b.id), b.storeId, b.id, range(10, 4, 10)),
    );
    await insertRumSamples(db.sql, a.organizationId, rows("dashboard:review", null, null, range(5, 21)));
    // The old definition: GROUPING SETS per (store, till) and per store, then min(bin) with cum >= q·total.
    const reference = await db.sql.query<{
      store_id: string;
      terminal_id: string | null;
      count: number;
      p50: number;
      p75: number;
      p95: number;
    }>(
      `WITH h AS (
         SELECT store_id COLLATE "C" AS store_id, terminal_id COLLATE "C" AS terminal_id, b.bin, sum(b.n::float8) AS n
         FROM rum_histograms, unnest(bins, counts) AS b(bin, n)
         WHERE metric = $1 AND grain = 'hour' AND store_id <> '*' GROUP BY GROUPING SETS ((1, 2, 3), (1, 3))),
       c AS (SELECT *, sum(n) OVER (PARTITION BY store_id, terminal_id ORDER BY bin) AS cum,
                       sum(n) OVER (PARTITION BY store_id, terminal_id) AS total FROM h)
       SELECT store_id, terminal_id, max(total) AS count,
              rum_bin_value(min(bin) FILTER (WHERE cum >= 0.50 * total)) AS p50,
              rum_bin_value(min(bin) FILTER (WHERE cum >= 0.75 * total)) AS p75,
              rum_bin_value(min(bin) FILTER (WHERE cum >= 0.95 * total)) AS p95
       FROM c GROUP BY store_id, terminal_id ORDER BY store_id, terminal_id`,
      [metric],
    );
    const view = await api.rum.metric({ ...window, metric });
    const pick = (r: (typeof reference)[number]) => ({ count: r.count, p50: r.p50, p75: r.p75, p95: r.p95 });
    expect(
      view.tills.map(({ storeId, terminalId, count, p50, p75, p95 }) => ({
        storeId,
        terminalId,
        count,
        p50,
        p75,
        p95,
      })),
    ).toEqual(
      reference
        .filter((r) => r.terminal_id !== null)
        .map((r) => ({ storeId: r.store_id, terminalId: r.terminal_id, ...pick(r) })),
    );
    expect(
      view.stores.map(({ storeId, count, p50, p75, p95 }) => ({ storeId, count, p50, p75, p95 })),
    ).toEqual(
      reference.filter((r) => r.terminal_id === null).map((r) => ({ storeId: r.store_id, ...pick(r) })),
    );
    // Four tills (a twice, b, the dashboard's '') in three stores, each named.
    expect(view.tills).toHaveLength(4);
    expect(view.stores.map((s) => s.storeName).sort()).toEqual(["", "Store 0", "Store 1"]);
  });

  it("a till whose histogram counts are all zero is left out of the breakdown, not answered with empty percentiles", async () => {
    const api = dashboardCaller(db, owner, now);
    const metric = "review.zeroed";
    const [a, b] = [tills[0]!, tills[1]!];
    for (const till of [a, b]) {
      await insertRumSamples(
        db.sql,
        till.organizationId,
        [1, 2, 3].map((value) => ({
          source: tillSource(till.id),
          id: `zeroed-${value}`,
          storeId: till.storeId,
          terminalId: till.id,
          sample: { metric, value, unit: "ms" as const, at: hour(1.5), labels: {} },
        })),
      );
    }
    // Till b's rows as a hand repair could leave them: its bins kept, every count zero.
    await db.sql.query(
      "UPDATE rum_histograms SET counts = array_fill(0, ARRAY[cardinality(counts)]) WHERE metric = $1 AND terminal_id = $2",
      [metric, b.id],
    );
    const view = await api.rum.metric({ ...window, metric });
    expect(view.tills.map((t) => [t.terminalId, t.count])).toEqual([[a.id, 3]]);
    expect(view.stores.map((s) => [s.storeId, s.count])).toEqual([[a.storeId, 3]]);
  });

  it("a breakdown over up to a month reads whole weeks and the days at either end: the same answer as day by day", async () => {
    const api = dashboardCaller(db, owner, now);
    const metric = "receipt.accept.print";
    // Six weeks of samples on both tills, ending two days ago (the other tests' last day stays theirs).
    for (const [n, till] of tills.entries()) {
      await insertRumSamples(
        db.sql,
        till.organizationId,
        Array.from({ length: 600 }, (_, i) => ({
          source: tillSource(till.id),
          id: `w-${i}`,
          storeId: till.storeId,
          terminalId: till.id,
          sample: {
            metric,
            value: 1 + ((i * 37) % 200) * (n + 1),
            unit: "ms",
            at: hour(48 + i * 1.6),
            labels: {},
          },
        })),
      );
    }
    // The reference: the tills' daily rows of the days the window touches, merged, nearest rank.
    const dayByDay = async (from: Date, to: Date, terminalId: string | null, storeId: string | null) => {
      const rows = await db.sql.query<{ value: number; n: bigint }>(
        `SELECT rum_bin_value(b.bin) AS value, sum(b.n)::bigint AS n FROM rum_histograms, unnest(bins, counts) AS b(bin, n)
         WHERE metric = $1 AND grain = 'day' AND store_id <> '*' AND bucket >= date_trunc('day', $2::timestamptz, 'UTC')
           AND bucket < $3 AND ($4::text IS NULL OR terminal_id = $4) AND ($5::text IS NULL OR store_id = $5)
         GROUP BY b.bin ORDER BY b.bin`,
        [metric, from, to, terminalId, storeId],
      );
      const total = rows.reduce((sum, r) => sum + Number(r.n), 0);
      const rank = (q: number) => {
        let cum = 0;
        for (const r of rows) {
          cum += Number(r.n);
          if (cum >= q * total) return r.value;
        }
        return null;
      };
      return { count: total, p50: rank(0.5), p75: rank(0.75), p95: rank(0.95) };
    };
    const windows = [
      // mid-week and mid-day at both ends, 30 days; 10 days; 4 days (no whole week); a month to midnight
      [hour(33 * 24 + 5), hour(3 * 24 + 7)],
      [hour(12 * 24 + 13), hour(2 * 24 + 1)],
      [hour(9 * 24), hour(5 * 24)],
      [hour(33 * 24 + 12), hour(2 * 24 + 12)],
    ].map(([from, to]) => ({ from: new Date(from!), to: new Date(to!) }));
    for (const w of windows) {
      const view = await api.rum.metric({ ...w, metric });
      expect(view.tills.length).toBe(2);
      for (const t of view.tills) {
        const { storeId: _s, terminalId: _t, ...got } = t;
        expect(got).toMatchObject(await dayByDay(w.from, w.to, t.terminalId, null));
      }
      for (const s of view.stores) {
        expect(s).toMatchObject(await dayByDay(w.from, w.to, null, s.storeId));
      }
    }
  });

  it("refuses a malformed beacon with a typed error and stores nothing", async () => {
    const api = dashboardCaller(db, owner, now);
    const bad = [
      { vitals: [], page: "/" },
      { vitals: [{ name: "FID", value: 1, rating: "good", id: "x" }], page: "/" },
      { vitals: [{ name: "LCP", value: -1, rating: "good", id: "x" }], page: "/" },
      { vitals: [{ name: "LCP", value: 1, rating: "good", id: "x" }], page: "/receipts?q=secret" },
      {
        vitals: Array.from({ length: 21 }, (_, i) => ({
          name: "LCP",
          value: 1,
          rating: "good",
          id: `x${i}`,
        })),
        page: "/",
      },
    ];
    for (const input of bad) {
      await expect(api.rum.report(input as any)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    const [count] = await db.sql.query<{ n: bigint }>(
      "SELECT count(*) AS n FROM rum_samples WHERE id LIKE 'LCP:x%'",
    );
    expect(Number(count?.n)).toBe(0);
  });
});
