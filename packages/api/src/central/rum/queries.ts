import type { DashboardScope } from "../dashboard/scope.ts";
import type { SqlRunner } from "../sync/sql.ts";

/**
 * The RUM page's reads. Everything but the offline bands reads `rum_histograms` (per hour or day),
 * never raw samples, so a 90-day window costs what its histogram rows cost — bounded by
 * days × metrics × tills — whatever the number of samples. Percentiles are computed in the
 * database from the merged histogram: the smallest bin whose running count reaches q·total
 * (nearest rank), represented by the bin's midpoint (error ≤ RUM_RELATIVE_ERROR, histogram.ts).
 */

/** Which organizations and stores a query may read, from the user's memberships. */
export interface RumReadScope {
  /** Organizations read whole (owners, support): every store, and the dashboard's own samples. */
  wholeOrganizations: string[];
  /** Store-scoped memberships: "organizationId/storeId" pairs. */
  stores: string[];
}

export function rumReadScope(scope: DashboardScope): RumReadScope {
  const wholeOrganizations: string[] = [];
  const stores: string[] = [];
  for (const m of scope.memberships) {
    if (m.storeIds === null) wholeOrganizations.push(m.organizationId);
    else for (const storeId of m.storeIds) stores.push(`${m.organizationId}/${storeId}`);
  }
  return { wholeOrganizations, stores };
}

export interface RumWindow {
  metric: string;
  from: Date;
  to: Date;
  storeId?: string | undefined;
  terminalId?: string | undefined;
}

export type RumGrain = "hour" | "day" | "week";
/** Windows up to three days read hourly rollups; longer ones daily (≤ 90 rows per till and bin). */
export function grainFor(from: Date, to: Date): "hour" | "day" {
  return to.getTime() - from.getTime() <= 3 * 86_400_000 ? "hour" : "day";
}

/**
 * Which histogram rows a read uses: the organization's fleet-wide row (store and till '*', fold.ts)
 * when it asks for whole organizations with no store or till filter — a handful of rows however
 * many tills — else the tills' own rows.
 */
export type RumLevel = "fleet" | "till";
export function levelFor(
  scope: RumReadScope,
  w: { storeId?: string | undefined; terminalId?: string | undefined },
): RumLevel {
  return scope.stores.length === 0 && !w.storeId && !w.terminalId ? "fleet" : "till";
}

/**
 * The rows a read scope may see, on $1 (whole organizations) and $2 ("organizationId/storeId"
 * pairs): the first line keeps it an index range on organization_id, the second narrows pairs to
 * their stores.
 */
const IN_SCOPE = `organization_id = ANY($1::text[] || ARRAY(SELECT split_part(p, '/', 1) FROM unnest($2::text[]) AS p))
  AND (organization_id = ANY($1::text[]) OR (organization_id || '/' || store_id) = ANY($2::text[]))`;

/** The WHERE of a histogram read: $1 whole orgs, $2 store pairs, $3 grain, $4 from, $5 to, $6 store, $7 till, $8 metric (or NULL). */
const where = (level: RumLevel) => `${ROLLUP_WHERE}
  AND ${level === "fleet" ? "store_id = '*' AND terminal_id = '*'" : "store_id <> '*'"}`;
const ROLLUP_WHERE = `
  ${IN_SCOPE}
  AND ($8::text IS NULL OR metric = $8) AND grain = $3
  AND bucket >= date_trunc($3, $4::timestamptz, 'UTC') AND bucket < $5
  AND ($6::text IS NULL OR store_id = $6) AND ($7::text IS NULL OR terminal_id = $7)`;

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05, a Monday: ISO weeks (date_trunc('week')) start DAY_MS * 4 after the epoch. */
const MONDAY_MS = 4 * DAY_MS;

/**
 * The days a day-grain read covers ([the day of `from`, `to`)), as the whole ISO weeks inside them
 * and the days left at either end: the same samples in up to seven times fewer rows.
 */
function weeksInside(from: Date, to: Date): { weekFrom: Date; weekTo: Date } {
  const dayFrom = Math.floor(from.getTime() / DAY_MS) * DAY_MS;
  const dayEnd = Math.ceil(to.getTime() / DAY_MS) * DAY_MS;
  const weekFrom = Math.ceil((dayFrom - MONDAY_MS) / WEEK_MS) * WEEK_MS + MONDAY_MS;
  const weekTo = Math.max(weekFrom, Math.floor((dayEnd - MONDAY_MS) / WEEK_MS) * WEEK_MS + MONDAY_MS);
  return { weekFrom: new Date(weekFrom), weekTo: new Date(weekTo) };
}

/**
 * A day-grain read's rows as weeks inside and days at the ends (weeksInside): $1 whole orgs,
 * $2 store pairs, $3 from, $4 to, $5 store, $6 till, $7 metric, $8 first whole week, $9 its end.
 * A week's row holds exactly its days' samples (ingest adds each sample to every grain).
 */
const WEEKS_AND_DAYS_WHERE = `
  ${IN_SCOPE}
  AND metric = $7 AND store_id <> '*'
  AND ((grain = 'week' AND bucket >= $8 AND bucket < $9)
    OR (grain = 'day' AND bucket >= date_trunc('day', $3::timestamptz, 'UTC') AND bucket < $4
        AND (bucket < $8 OR bucket >= $9)))
  AND ($5::text IS NULL OR store_id = $5) AND ($6::text IS NULL OR terminal_id = $6)`;

function rollupParams(
  scope: RumReadScope,
  w: Omit<RumWindow, "metric"> & { metric: string | null },
  grain: RumGrain,
) {
  return [
    scope.wholeOrganizations,
    scope.stores,
    grain,
    w.from,
    w.to,
    w.storeId ?? null,
    w.terminalId ?? null,
    w.metric,
  ];
}

/**
 * A bin's counts added up as float8: exact for any count below 2^53, and several times cheaper than
 * sum(bigint), which PostgreSQL accumulates as numeric (a 90-day per-till breakdown adds ~100,000
 * bins; as numeric that was half its time).
 */
const BIN_SUM = "sum(b.n::float8)";

/** The quantiles every read reports, ascending (rum_percentile_bins walks them in order). */
const QUANTILES = "'{0.5,0.75,0.95}'::float8[]";

/**
 * Each group's merged histogram `h(<keys>, bin, n)` as its bins in order, through
 * rum_percentile_bins (the nearest rank, one walk per group; migration 20261203090100).
 */
const PERCENTILE_BINS = `rum_percentile_bins(array_agg(bin ORDER BY bin), array_agg(n ORDER BY bin), ${QUANTILES}) AS p`;
/** A PERCENTILE_BINS result `p` as the count and p50/p75/p95 (the bins' representative values). */
const PERCENTILE_COLUMNS =
  "p[1] AS count, rum_bin_value(p[2]::int) AS p50, rum_bin_value(p[3]::int) AS p75, rum_bin_value(p[4]::int) AS p95";

/**
 * A group has samples: a histogram row whose counts are all zero (ingest writes none; a repair
 * by hand might) has no percentiles, and is left out rather than sent as NULLs the page refuses.
 */
const HAS_SAMPLES = "p[1] > 0";

/** p50/p75/p95 and count per group of a histogram CTE `h(<keys>, bin, n)`. */
function percentilesOver(keys: string[], histogram: string): string {
  const k = keys.join(", ");
  return `
WITH h AS (${histogram}),
g AS (SELECT ${k}, ${PERCENTILE_BINS} FROM h GROUP BY ${k})
SELECT ${k}, ${PERCENTILE_COLUMNS} FROM g WHERE ${HAS_SAMPLES} ORDER BY ${k}`;
}

export interface Percentiles {
  count: number;
  p50: number;
  p75: number;
  p95: number;
}
type PercentileRow = { count: number; p50: number; p75: number; p95: number };
const percentiles = (r: PercentileRow): Percentiles => ({
  count: r.count,
  p50: r.p50,
  p75: r.p75,
  p95: r.p95,
});

/** Every metric seen in the window, with its percentiles. */
export async function metricSummaries(
  sql: SqlRunner,
  scope: RumReadScope,
  w: Omit<RumWindow, "metric">,
): Promise<(Percentiles & { metric: string })[]> {
  const grain = grainFor(w.from, w.to);
  const level = levelFor(scope, w);
  const rows = await sql.query<PercentileRow & { metric: string }>(
    percentilesOver(
      ["metric"],
      `SELECT metric, b.bin, ${BIN_SUM} AS n FROM rum_histograms, unnest(bins, counts) AS b(bin, n)
       WHERE ${where(level)} GROUP BY metric, b.bin`,
    ),
    rollupParams(scope, { ...w, metric: null }, grain),
  );
  return rows.map((r) => ({ metric: r.metric, ...percentiles(r) }));
}

/** Series step: about 24–90 points whatever the window. */
function stepFor(from: Date, to: Date): { grain: RumGrain; stepMs: number } {
  const span = to.getTime() - from.getTime();
  const grain = grainFor(from, to);
  if (grain === "day") return { grain, stepMs: 86_400_000 };
  return { grain, stepMs: span <= 86_400_000 ? 3_600_000 : 3 * 3_600_000 };
}

/** p50/p75/p95 of one metric per time step. */
export async function metricSeries(
  sql: SqlRunner,
  scope: RumReadScope,
  w: RumWindow,
): Promise<{ stepMs: number; points: (Percentiles & { at: Date })[] }> {
  const { grain, stepMs } = stepFor(w.from, w.to);
  const level = levelFor(scope, w);
  const rows = await sql.query<PercentileRow & { at: Date }>(
    percentilesOver(
      ["at"],
      `SELECT date_bin(make_interval(secs => $9::float8 / 1000), bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS at,
              b.bin, ${BIN_SUM} AS n
       FROM rum_histograms, unnest(bins, counts) AS b(bin, n) WHERE ${where(level)} GROUP BY 1, 2`,
    ),
    [...rollupParams(scope, w, grain), stepMs],
  );
  return { stepMs, points: rows.map((r) => ({ at: r.at, ...percentiles(r) })) };
}

/** The merged histogram of one metric: (bin, count), ascending. */
export async function metricDistribution(
  sql: SqlRunner,
  scope: RumReadScope,
  w: RumWindow,
): Promise<{ bin: number; count: number }[]> {
  const level = levelFor(scope, w);
  const rows = await sql.query<{ bin: number; count: number }>(
    `SELECT b.bin, ${BIN_SUM} AS count FROM rum_histograms, unnest(bins, counts) AS b(bin, n)
     WHERE ${where(level)} GROUP BY b.bin ORDER BY b.bin`,
    rollupParams(scope, w, grainFor(w.from, w.to)),
  );
  return rows;
}

/** Percentiles per till ('' = the dashboard's own samples) and per store. */
export async function metricBreakdown(
  sql: SqlRunner,
  scope: RumReadScope,
  w: RumWindow,
): Promise<{
  tills: (Percentiles & { storeId: string; terminalId: string })[];
  stores: (Percentiles & { storeId: string })[];
}> {
  // Per store and till: the tills' own rows (one metric, so bounded by tills × buckets). Up to a
  // month (beyond three days), whole weeks from weekly rows and the days at either end from daily
  // ones — exactly the days' answer in a third of the rows; beyond a month weekly rows alone (a
  // window's first and last week count whole), 13 per till for 90 days.
  const span = w.to.getTime() - w.from.getTime();
  const weekly = span > 31 * DAY_MS;
  const daily = !weekly && grainFor(w.from, w.to) === "day";
  const { weekFrom, weekTo } = weeksInside(w.from, w.to);
  const filter = daily ? WEEKS_AND_DAYS_WHERE : where("till");
  const params = daily
    ? [
        scope.wholeOrganizations,
        scope.stores,
        w.from,
        w.to,
        w.storeId ?? null,
        w.terminalId ?? null,
        w.metric,
        weekFrom,
        weekTo,
      ]
    : rollupParams(scope, w, weekly ? "week" : "hour");
  // Tills and stores are numbered first (dense_rank over the rows read: ~5,600 for 90 days of a
  // chain), so the ~84,000 (till, bin) pairs are grouped and sorted as integers rather than by two
  // 26-character ids each; each store's bins are then summed from its tills' merged ones (~20,000
  // rows rather than 84,000). The arrays are unnested in the select list (streamed, where unnest in
  // FROM fills a tuplestore per row). Rows come back per store, the store's own (terminal NULL) first.
  const rows = await sql.query<PercentileRow & { store_id: string; terminal_id: string | null }>(
    `
WITH r AS MATERIALIZED (
  SELECT store_id, terminal_id, bins, counts,
         dense_rank() OVER (ORDER BY store_id COLLATE "C", terminal_id COLLATE "C")::int AS till_no,
         dense_rank() OVER (ORDER BY store_id COLLATE "C")::int AS store_no
  FROM rum_histograms WHERE ${filter}
),
t AS (
  SELECT store_no, till_no, b.bin, ${BIN_SUM} AS n
  FROM (SELECT store_no, till_no, unnest(bins) AS bin, unnest(counts) AS n FROM r) AS b GROUP BY 1, 2, 3
),
h AS (
  SELECT store_no, till_no, bin, n FROM t
  UNION ALL
  SELECT store_no, NULL, bin, sum(n) FROM t GROUP BY 1, 3
),
g AS (SELECT store_no, till_no, ${PERCENTILE_BINS} FROM h GROUP BY store_no, till_no),
ids AS (SELECT DISTINCT ON (till_no) store_no, till_no, store_id, terminal_id FROM r ORDER BY till_no)
SELECT s.store_id, i.terminal_id, ${PERCENTILE_COLUMNS}
FROM g
JOIN (SELECT DISTINCT ON (store_no) store_no, store_id FROM ids ORDER BY store_no) AS s USING (store_no)
LEFT JOIN ids AS i ON i.till_no = g.till_no
WHERE ${HAS_SAMPLES}
ORDER BY g.store_no, g.till_no NULLS FIRST`,
    params,
  );
  const tills = rows.filter((r): r is typeof r & { terminal_id: string } => r.terminal_id !== null);
  const stores = rows.filter((r) => r.terminal_id === null);
  return {
    tills: tills.map((r) => ({ storeId: r.store_id, terminalId: r.terminal_id, ...percentiles(r) })),
    stores: stores.map((r) => ({ storeId: r.store_id, ...percentiles(r) })),
  };
}

/** Offline periods longer than a week are cut at a week: the raw read stays an index range. */
export const MAX_OFFLINE_MS = 7 * 86_400_000;
/** The newest this many merged bands are drawn; the totals still count every period in the window. */
export const MAX_OFFLINE_BANDS = 500;

/** Overlapping offline periods of one destination, merged: what the chart shades. */
export interface OfflineBand {
  destination: string;
  from: Date;
  to: Date;
  /** How many tills' periods were merged into it. */
  periods: number;
  /** How many distinct tills were offline in it. */
  tills: number;
  /** The till and its store when exactly one till is in the band; else null. */
  terminalId: string | null;
  storeId: string | null;
}

export interface OfflineBands {
  /** Newest first (by end), at most MAX_OFFLINE_BANDS. */
  bands: OfflineBand[];
  /** Every offline period overlapping the window, the distinct tills they are on, and the bands before the cap. */
  totals: { periods: number; tills: number; bands: number };
}

/**
 * Offline periods (metric sync.offline: at = start, value = duration ms) overlapping the window,
 * from raw samples — few per till, read through (organization_id, metric, at) — merged per
 * destination into bands in one statement (gaps and islands): sorted by start, a period opens a
 * new band when it starts after every earlier period of its destination has ended, so
 * overlapping and touching periods share one. A chain's 440 tills offline weekly are ~5,700
 * periods in 90 days but far fewer bands, and the newest are kept when capped, not the oldest.
 */
export async function offlinePeriods(
  sql: SqlRunner,
  scope: RumReadScope,
  w: Omit<RumWindow, "metric">,
): Promise<OfflineBands> {
  const rows = await sql.query<{
    destination: string | null;
    from: Date | null;
    to: Date | null;
    periods: number | null;
    tills: number | null;
    terminal_id: string | null;
    store_id: string | null;
    total_periods: number;
    total_tills: number;
    total_bands: number;
  }>(
    `WITH p AS MATERIALIZED (
       SELECT terminal_id, store_id, coalesce(labels->>'destination', 'central') AS destination,
              at AS start, at + make_interval(secs => value / 1000) AS stop
       FROM rum_samples
       WHERE ${IN_SCOPE}
         AND metric = 'sync.offline' AND at >= $3::timestamptz - make_interval(secs => $7::float8 / 1000) AND at < $4
         AND at + make_interval(secs => value / 1000) > $3
         AND terminal_id IS NOT NULL
         AND ($5::text IS NULL OR store_id = $5) AND ($6::text IS NULL OR terminal_id = $6)
     ),
     -- The latest end of the destination's earlier periods: a start after it opens a band. seq fixes
     -- the order of equal periods, so the running count below sees them as max() did.
     reach AS (
       SELECT *, max(stop) OVER w AS reached, row_number() OVER w AS seq
       FROM p
       WINDOW w AS (PARTITION BY destination ORDER BY start, stop ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
     ),
     numbered AS (
       SELECT *, count(*) FILTER (WHERE reached IS NULL OR start > reached)
                   OVER (PARTITION BY destination ORDER BY seq ROWS UNBOUNDED PRECEDING) AS band
       FROM reach
     ),
     -- Per band and till first, so a band's tills are a plain count: two hash aggregates instead
     -- of sorting every period for count(DISTINCT).
     per_till AS (
       SELECT destination, band, terminal_id, min(store_id) AS store_id, count(*) AS n,
              min(start) AS start, max(stop) AS stop
       FROM numbered GROUP BY destination, band, terminal_id
     ),
     bands AS (
       SELECT destination, min(start) AS "from", max(stop) AS "to", sum(n)::int AS periods,
              count(*)::int AS tills, min(terminal_id) AS first_till, max(terminal_id) AS last_till,
              min(store_id) AS store_id, count(*) OVER ()::int AS total_bands
       FROM per_till GROUP BY destination, band
     ),
     totals AS (SELECT count(*)::int AS total_periods, count(DISTINCT terminal_id)::int AS total_tills FROM p)
     -- The totals come back even with no band (one row of nulls).
     SELECT b.destination, b."from", b."to", b.periods, b.tills,
            CASE WHEN b.first_till = b.last_till THEN b.first_till END AS terminal_id,
            CASE WHEN b.first_till = b.last_till THEN b.store_id END AS store_id,
            t.total_periods, t.total_tills, coalesce(b.total_bands, 0) AS total_bands
     FROM totals AS t
     LEFT JOIN LATERAL (SELECT * FROM bands ORDER BY "to" DESC, destination LIMIT ${MAX_OFFLINE_BANDS}) AS b ON true
     ORDER BY b."to" DESC, b.destination`,
    [
      scope.wholeOrganizations,
      scope.stores,
      w.from,
      w.to,
      w.storeId ?? null,
      w.terminalId ?? null,
      MAX_OFFLINE_MS,
    ],
  );
  const first = rows[0];
  return {
    bands: rows
      .filter((r) => r.destination !== null)
      .map((r) => ({
        destination: r.destination!,
        from: r.from!,
        to: r.to!,
        periods: r.periods!,
        tills: r.tills!,
        terminalId: r.terminal_id,
        storeId: r.store_id,
      })),
    totals: {
      periods: first?.total_periods ?? 0,
      tills: first?.total_tills ?? 0,
      bands: first?.total_bands ?? 0,
    },
  };
}

/** p50/p75/p95 of one metric for one organization (tests and the bench's reference checks). */
export async function rollupPercentiles(
  sql: SqlRunner,
  w: RumWindow & { organizationId: string },
): Promise<[number | null, number | null, number | null]> {
  const { points } = {
    points: await metricSummaries(sql, { wholeOrganizations: [w.organizationId], stores: [] }, w),
  };
  const row = points.find((p) => p.metric === w.metric);
  return row ? [row.p50, row.p75, row.p95] : [null, null, null];
}
