// bench:admin, the RUM section (issue 11): seeds RUM samples by bulk SQL into the day-partitioned
// rum_samples — 1,000,000 by default, 10,000,000 with BENCH_RUM_SAMPLES=10000000 (the stretch
// figure), BENCH_SMOKE: 20,000 — over 90 days on the bench organization's tills (tills' metrics)
// and its dashboard (web vitals, no till), builds the hourly and daily histograms from them
// exactly as ingest does (the same rum_bin, one row per bin), then times every RUM page query
// through the real router: p95 ≤ 300 ms each.
import { pathToFileURL } from "node:url";
import {
  centralRouter,
  createCallerFactory,
  createCentralContext,
  createDayPartitions,
  foldRumHistograms,
  listRumPartitions,
} from "@kassa/api/central";
import { testSessionCookie } from "@kassa/api/central/auth";
import { type CentralDatabase, createCentralDatabase } from "@kassa/db/central";
import { seedUser } from "@kassa/db/seed";
import { createThrowawayDatabase } from "@kassa/db/testing";
import { seedFleet } from "./seed-fleet.ts";

type Figure = { figure: string; value: number; unit: string; target: string; pass: boolean | null };
/** The dashboard caller (createCaller(centralRouter)(…).dashboard): this file only calls rum.*. */
type DashboardApi = any;

const P95_TARGET_MS = 300;
const DAY_MS = 86_400_000;
const SPAN_DAYS = 90;
/** What tills measure (values: log-normal-ish around a typical figure in the metric's unit). */
const TILL_METRICS: [string, number][] = [
  ["receipt.accept.validate", 2],
  ["receipt.accept.commit", 12],
  ["receipt.accept.print", 900],
  ["printer.duration", 850],
  ["serial.round_trip", 25],
  ["sync.batch.duration", 300],
  ["sync.batch.items", 40],
  ["sync.batch.bytes", 6000],
  ["pin_login.duration", 400],
  ["buffer.fill", 0.05],
];
const WEB_VITALS: [string, number][] = [
  ["web_vital.LCP", 1200],
  ["web_vital.INP", 120],
  ["web_vital.CLS", 0.05],
  ["web_vital.FCP", 900],
  ["web_vital.TTFB", 200],
];

export async function benchRum(options: {
  db: CentralDatabase;
  api: DashboardApi;
  organizationId: string;
  ownerId: string;
  tills: { organizationId: string; id: string; storeId: string }[];
  now: number;
  smoke: boolean;
  log: (line: string) => void;
}): Promise<Figure[]> {
  const { db, api, organizationId, now, smoke, log } = options;
  const figures: Figure[] = [];
  const verdict = (ok: boolean) => (smoke ? null : ok);
  const samples = smoke ? 20_000 : Number(process.env.BENCH_RUM_SAMPLES ?? 1_000_000);
  const tills = options.tills.filter((t) => t.organizationId === organizationId);

  const started = performance.now();
  // Partitions for every seeded day (and the week ahead), made before the rows arrive.
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const existing = await listRumPartitions(db.sql);
  const days = Array.from({ length: SPAN_DAYS + 8 }, (_, i) => today - (SPAN_DAYS - i) * DAY_MS);
  await createDayPartitions(
    db.sql,
    days.filter((d) => !existing.has(d)),
  );
  // 90 % till samples spread over the tills and metrics, 10 % the dashboard's web vitals; times
  // uniform over 90 days; values exp-scattered around each metric's typical figure.
  const metrics = [...TILL_METRICS, ...WEB_VITALS];
  await db.sql.query(
    `INSERT INTO rum_samples (organization_id, source, id, at, store_id, terminal_id, metric, value, unit, labels, body_hash)
     SELECT $1,
            CASE WHEN web THEN 'web:' || $2 ELSE 'till:' || t.id END,
            'b' || g,
            to_timestamp(($3::float8 - (g::float8 / $4) * ($5::float8 - 86400000)) / 1000),
            CASE WHEN web THEN NULL ELSE t.store_id END,
            CASE WHEN web THEN NULL ELSE t.id END,
            m.metric,
            m.typical * exp((random() - 0.5) * 2.5),
            CASE WHEN m.metric = 'web_vital.CLS' THEN 'score' WHEN m.metric = 'buffer.fill' THEN 'ratio'
                 WHEN m.metric LIKE '%.bytes' THEN 'bytes' WHEN m.metric LIKE '%.items' THEN 'count' ELSE 'ms' END,
            '{}', 'bench'
     FROM generate_series(1, $4) AS g
     CROSS JOIN LATERAL (SELECT g % 10 = 0 AS web) AS w
     JOIN unnest($6::text[], $7::text[]) WITH ORDINALITY AS t(id, store_id, n) ON t.n = 1 + (g / 10) % $8
     JOIN unnest($9::text[], $10::float8[]) WITH ORDINALITY AS m(metric, typical, n)
       ON m.n = CASE WHEN web THEN 11 + (g / 10) % 5 ELSE 1 + g % 10 END`,
    [
      organizationId,
      options.ownerId,
      now,
      samples,
      SPAN_DAYS * DAY_MS,
      tills.map((t) => t.id),
      tills.map((t) => t.storeId),
      tills.length,
      metrics.map(([m]) => m),
      metrics.map(([, v]) => v),
    ],
  );
  // Offline periods: every till offline 30 min to 6 h about once a week.
  await db.sql.query(
    `INSERT INTO rum_samples (organization_id, source, id, at, store_id, terminal_id, metric, value, unit, labels, body_hash)
     SELECT $1, 'till:' || t.id, 'off' || w, to_timestamp(($2::float8 - w * 7 * $3::float8 - (t.n % 24) * 3600000) / 1000),
            t.store_id, t.id, 'sync.offline', 1800000 + (t.n % 11) * 1800000, 'ms', '{"destination":"central"}', 'bench'
     FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS t(id, store_id, n), generate_series(0, 12) AS w`,
    [organizationId, now, DAY_MS, tills.map((t) => t.id), tills.map((t) => t.storeId)],
  );
  const rowsSeconds = (performance.now() - started) / 1000;
  // The histograms, as ingest would have kept them (store-samples.ts: one row per grain × bucket ×
  // metric × store × till, bins ascending with their counts).
  await db.sql.query(
    `INSERT INTO rum_histograms (organization_id, metric, grain, bucket, store_id, terminal_id, bins, counts)
     SELECT organization_id, metric, grain, bucket, store_id, terminal_id, array_agg(bin ORDER BY bin), array_agg(n ORDER BY bin)
     FROM (
       SELECT organization_id, metric, g.grain, date_trunc(g.grain, at, 'UTC') AS bucket, coalesce(store_id, '') AS store_id,
              coalesce(terminal_id, '') AS terminal_id, rum_bin(value) AS bin, count(*) AS n
       FROM rum_samples CROSS JOIN (VALUES ('hour'), ('day'), ('week')) AS g(grain)
       WHERE organization_id = $1
       GROUP BY 1, 2, 3, 4, 5, 6, 7
     ) AS per_bin
     GROUP BY 1, 2, 3, 4, 5, 6`,
    [organizationId],
  );
  // The fleet-wide rows the central schedule folds from them (fold.ts).
  await foldRumHistograms(db.sql, { everything: true });
  await db.sql.query("ANALYZE rum_samples");
  await db.sql.query("ANALYZE rum_histograms");
  const seedSeconds = (performance.now() - started) / 1000;
  const [counts] = await db.sql.query<{ samples: bigint; rollups: bigint; partitions: bigint }>(
    `SELECT (SELECT count(*) FROM rum_samples) AS samples, (SELECT count(*) FROM rum_histograms) AS rollups,
            (SELECT count(*) FROM pg_inherits WHERE inhparent = 'rum_samples'::regclass) AS partitions`,
  );
  log(
    `  rum: ${counts?.samples} samples in ${counts?.partitions} partitions, ${counts?.rollups} histogram rows, seeded in ${seedSeconds.toFixed(1)} s (rows ${rowsSeconds.toFixed(1)} s)`,
  );
  const slug = samples >= 10_000_000 ? "10m" : samples >= 1_000_000 ? "1m" : `${samples}`;
  figures.push({
    figure: `rum_seed_${slug}_seconds`,
    value: Math.round(seedSeconds * 10) / 10,
    unit: "s",
    target: "report",
    pass: null,
  });

  const runs = smoke ? 5 : 30;
  const warmup = smoke ? 1 : 3;
  async function measure(name: string, fn: () => Promise<number>) {
    let rows = 0;
    for (let i = 0; i < warmup; i++) rows = await fn();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      rows = await fn();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) =>
      Math.round(times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]! * 10) / 10;
    const p95 = at(0.95);
    log(
      `  ${name}: p50 ${at(0.5)} ms, p95 ${p95} ms over ${runs} runs (${rows} rows; target p95 ≤ ${P95_TARGET_MS} ms)`,
    );
    const id = `rum_${slug}_${name.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "")}`;
    figures.push(
      {
        figure: `${id}_p95`,
        value: p95,
        unit: "ms",
        target: `<=${P95_TARGET_MS}`,
        pass: verdict(p95 <= P95_TARGET_MS),
      },
      { figure: `${id}_p50`, value: at(0.5), unit: "ms", target: "report", pass: null },
    );
  }
  const to = new Date(Math.ceil(now / 3_600_000) * 3_600_000);
  const back = (days: number) => new Date(to.getTime() - days * DAY_MS);
  const store = tills[0]!.storeId;
  const till = tills[0]!.id;
  let seen = 0;
  for (const [label, days] of [
    ["24h", 1],
    ["7d", 7],
    ["30d", 30],
    ["90d", 90],
  ] as const) {
    await measure(`rum.overview ${label}`, async () => {
      const view = await api.rum.overview({ from: back(days), to });
      if (days === 90) seen = view.metrics.reduce((n: number, m: { count: number }) => n + m.count, 0);
      return view.metrics.length;
    });
    await measure(`rum.metric ${label}`, async () => {
      const view = await api.rum.metric({ from: back(days), to, metric: "receipt.accept.commit" });
      return view.series.length + view.tills.length + view.distribution.length + view.offline.length;
    });
  }
  await measure("rum.metric one store 30d", async () => {
    const view = await api.rum.metric({ from: back(30), to, metric: "printer.duration", storeId: store });
    return view.tills.length;
  });
  await measure("rum.metric one till 7d", async () => {
    const view = await api.rum.metric({ from: back(7), to, metric: "sync.batch.duration", terminalId: till });
    return view.series.length;
  });
  await measure("rum.metric web_vital.LCP 90d", async () => {
    const view = await api.rum.metric({ from: back(90), to, metric: "web_vital.LCP" });
    return view.series.length;
  });
  // The page's 90-day overview counts every seeded sample (the histograms hold them all).
  if (seen !== Number(counts?.samples))
    throw new Error(`bench:admin rum: the page counts ${seen} of ${counts?.samples} samples`);
  return figures;
}

// `npx tsx bench/rum.ts`: this section alone, on a fleet of 500 tills with a small receipt seed
// (the RUM figures do not depend on receipts) — BENCH_RUM_SAMPLES as above; BENCH_KEEP_DB=1 keeps
// the seeded database (its URL is printed) for EXPLAIN ANALYZE.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!serverUrl) {
    console.error(
      "bench/rum.ts needs PostgreSQL: set TEST_DATABASE_URL (a throwaway database is made on it)",
    );
    process.exit(2);
  }
  const smoke = process.env.BENCH_SMOKE === "1";
  const throwaway = await createThrowawayDatabase(serverUrl);
  const db = await createCentralDatabase({ url: throwaway.url, shared: false, poolSize: 6 });
  try {
    const now = Date.now();
    const fleet = await seedFleet(
      db,
      {
        tills: smoke ? 50 : 500,
        shiftsPerTill: 1,
        receiptsPerShift: 1,
        dlqItems: 10,
        fingerprints: 1,
        transitions: 10,
      },
      now,
    );
    const owner = await seedUser(db.prisma, { organizationId: fleet.organizationId, role: "owner" });
    const secret = "bench-session-secret-0123456789abcdef";
    const api = createCallerFactory(centralRouter)(
      createCentralContext({
        db,
        headers: new Headers({ cookie: await testSessionCookie(db, owner.user.id, secret) }),
        sessionSecret: secret,
      }),
    ).dashboard;
    const figures = await benchRum({
      db,
      api,
      organizationId: fleet.organizationId,
      ownerId: owner.user.id,
      tills: fleet.tills,
      now,
      smoke,
      log: (line) => console.log(line),
    });
    for (const f of figures) console.log(JSON.stringify({ bench: "admin", ...f }));
    if (!smoke && figures.some((f) => f.pass === false)) process.exitCode = 1;
  } finally {
    await db.close();
    if (process.env.BENCH_KEEP_DB === "1") console.log(`bench:admin rum kept its database: ${throwaway.url}`);
    else await throwaway.drop();
  }
}
