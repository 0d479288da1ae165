"use client";

import type { TGetRumMetricOutput, TRumMetricSummary } from "@kassa/api/central/dashboard";
import { useSuspenseQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useQueryStates } from "nuqs";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { DataTable, dataTableColumns } from "~/components/data-table.tsx";
import { FilterBar, FilterSelect } from "~/components/filter-bar.tsx";
import { StoreFilter, TerminalFilter } from "~/components/scope-filters.tsx";
import { Badge, Muted, type Tone } from "~/components/ui.tsx";
import { useFormat } from "~/lib/use-format.ts";
import { useTRPC } from "~/trpc/react.tsx";
import { OfflineLegend } from "./offline-legend.tsx";
import styles from "./rum.module.css";
import { RUM_RANGES, rumMetricInput, rumOverviewInput, rumSearchParams, rumWindow } from "./search-params.ts";

type Rating = TRumMetricSummary["rating"];
type Unit = TRumMetricSummary["unit"];

/** web.dev's colours for good / needs improvement / poor, and the tone of each rating's badge. */
const RATING_COLOR = { good: "#0c7d3f", "needs-improvement": "#c27c0e", poor: "#b42318" } as const;
const RATING_TONE: Record<NonNullable<Rating>, Tone> = {
  good: "ok",
  "needs-improvement": "warn",
  poor: "danger",
};
const LINE_COLOR = { p50: "#5b7fbf", p75: "#1f3f7a", p95: "#8a3ffc" } as const;
const OFFLINE_FILL = "#b4231833";

/** A value in its unit, in the user's locale: "1 234 ms", "0.12", "48 %", "1.2 MB", "17". */
export function formatRumValue(locale: string, unit: Unit, value: number): string {
  switch (unit) {
    case "ms":
      return new Intl.NumberFormat(locale, {
        style: "unit",
        unit: "millisecond",
        maximumFractionDigits: value < 10 ? 1 : 0,
      }).format(value);
    case "bytes": {
      const [div, u] = value >= 1e6 ? [1e6, "megabyte"] : value >= 1e3 ? [1e3, "kilobyte"] : [1, "byte"];
      return new Intl.NumberFormat(locale, { style: "unit", unit: u, maximumFractionDigits: 1 }).format(
        value / div,
      );
    }
    case "ratio":
      return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(value);
    case "score":
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(value);
    default:
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
  }
}

export function RumFilters() {
  const trpc = useTRPC();
  const t = useTranslations("rum.filters");
  const [search, setSearch] = useQueryStates(rumSearchParams);
  const { data: me } = useSuspenseQuery(trpc.dashboard.me.queryOptions());
  const { data: fleet } = useSuspenseQuery(trpc.dashboard.fleet.list.queryOptions());
  return (
    <FilterBar
      label={t("label")}
      state={search}
      applyLabel={t("apply")}
      clearLabel={t("clear")}
      onApply={(field) =>
        void setSearch({
          range: RUM_RANGES.find((r) => r === field("range")) ?? "24h",
          storeId: field("storeId"),
          terminalId: field("terminalId"),
          end: null,
        })
      }
      onClear={() => void setSearch(null)}
    >
      <FilterSelect
        label={t("range")}
        name="range"
        defaultValue={search.range}
        options={RUM_RANGES.map((r) => ({ value: r, label: t("ranges", { range: r }) }))}
      />
      <StoreFilter label={t("store")} allLabel={t("allStores")} stores={me.stores} value={search.storeId} />
      <TerminalFilter
        label={t("terminal")}
        allLabel={t("allTerminals")}
        terminals={fleet.terminals}
        value={search.terminalId}
      />
    </FilterBar>
  );
}

/** A metric's name in the user's language; a metric the page does not know shows as sent. */
function metricLabel(t: ReturnType<typeof useTranslations<"rum">>, metric: string): string {
  const key = `metricNames.${metric.replaceAll(".", "_")}` as "metricNames.web_vital_LCP";
  return t.has(key) ? t(key) : metric;
}

function RatingBadge({ rating }: { rating: Rating }) {
  const t = useTranslations("rum");
  if (!rating) return null;
  return (
    <Badge tone={RATING_TONE[rating]} testId="rum-rating">
      {t("rating", { rating: rating.replace("-", "_") })}
    </Badge>
  );
}

export function RumView() {
  const trpc = useTRPC();
  const t = useTranslations("rum");
  const f = useFormat();
  const [search, setSearch] = useQueryStates(rumSearchParams);
  const { data: overview } = useSuspenseQuery(
    trpc.dashboard.rum.overview.queryOptions(rumOverviewInput(search)),
  );
  const { data: metric } = useSuspenseQuery(trpc.dashboard.rum.metric.queryOptions(rumMetricInput(search)));
  const column = dataTableColumns<TRumMetricSummary>();
  const value = (unit: Unit) => (v: number) => formatRumValue(f.locale, unit, v);
  const columns = [
    column.accessor("metric", {
      header: t("metrics.metric"),
      cell: (c) => (
        <button
          type="button"
          className={`${styles.metricLink} ${c.getValue() === search.metric ? styles.selected : ""}`}
          aria-pressed={c.getValue() === search.metric}
          onClick={() => void setSearch({ metric: c.getValue() })}
        >
          {metricLabel(t, c.getValue())}
        </button>
      ),
    }),
    column.accessor("count", { header: t("metrics.count"), cell: (c) => f.number(c.getValue()) }),
    column.accessor("p50", { header: "p50", cell: (c) => value(c.row.original.unit)(c.getValue()) }),
    column.accessor("p75", {
      header: "p75",
      cell: (c) => (
        <>
          {value(c.row.original.unit)(c.getValue())} <RatingBadge rating={c.row.original.rating} />
        </>
      ),
    }),
    column.accessor("p95", { header: "p95", cell: (c) => value(c.row.original.unit)(c.getValue()) }),
  ];
  return (
    <>
      <section className={styles.section}>
        <h2 className={styles.sectionTitle}>{t("metrics.title")}</h2>
        <DataTable
          caption={t("metrics.caption")}
          columns={columns}
          data={overview.metrics}
          getRowId={(m) => m.metric}
          empty={t("metrics.empty")}
          testId="rum-metrics"
        />
      </section>
      <MetricDetail metric={metric} window={rumWindow(search)} />
    </>
  );
}

function MetricDetail({ metric, window }: { metric: TGetRumMetricOutput; window: { from: Date; to: Date } }) {
  const t = useTranslations("rum");
  const f = useFormat();
  const fmt = (v: number) => formatRumValue(f.locale, metric.unit, v);
  const span = window.to.getTime() - window.from.getTime();
  const time = new Intl.DateTimeFormat(f.locale, {
    hour: "2-digit",
    minute: "2-digit",
    ...(span > 24 * 3600_000 ? { day: "numeric", month: "short" } : {}),
  });
  const start = window.from.getTime();
  const end = window.to.getTime();
  const series = metric.series.map((p) => ({
    at: p.at.getTime(),
    p50: p.p50,
    p75: p.p75,
    p95: p.p95,
    count: p.count,
  }));
  const ratingOf = (v: number): Rating =>
    metric.thresholds
      ? v <= metric.thresholds[0]
        ? "good"
        : v <= metric.thresholds[1]
          ? "needs-improvement"
          : "poor"
      : null;
  const bars = metric.distribution.map((b) => ({
    ...b,
    mid: Math.sqrt(Math.max(b.lower, 1e-9) * Math.max(b.upper, 1e-9)),
  }));
  const name = metricLabel(t, metric.metric);
  const till = dataTableColumns<TGetRumMetricOutput["tills"][number]>();
  const store = dataTableColumns<TGetRumMetricOutput["stores"][number]>();
  const percentileColumns = <
    T extends { p50: number; p75: number; p95: number; count: number; rating: Rating },
  >(
    c: ReturnType<typeof dataTableColumns<T>>,
  ) => [
    // biome-ignore lint/suspicious/noExplicitAny: the shared percentile columns of both breakdowns
    c.accessor("count" as any, { header: t("metrics.count"), cell: (x) => f.number(x.getValue() as number) }),
    // biome-ignore lint/suspicious/noExplicitAny: see above
    c.accessor("p50" as any, { header: "p50", cell: (x) => fmt(x.getValue() as number) }),
    // biome-ignore lint/suspicious/noExplicitAny: see above
    c.accessor("p75" as any, {
      header: "p75",
      cell: (x) => (
        <>
          {fmt(x.getValue() as number)} <RatingBadge rating={x.row.original.rating} />
        </>
      ),
    }),
    // biome-ignore lint/suspicious/noExplicitAny: see above
    c.accessor("p95" as any, { header: "p95", cell: (x) => fmt(x.getValue() as number) }),
  ];
  return (
    <>
      <section className={styles.section}>
        <h2 className={styles.sectionTitle}>{t("series.title", { metric: name })}</h2>
        {series.length === 0 ? (
          <Muted block>{t("series.empty")}</Muted>
        ) : (
          <div className={styles.chart} data-testid="rum-series">
            <div role="img" aria-label={t("series.label", { metric: name })}>
              <ResponsiveContainer width="100%" height={260}>
                <LineChart data={series} margin={{ left: 8, right: 16, top: 8 }} accessibilityLayer={false}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis
                    type="number"
                    dataKey="at"
                    domain={[start, end]}
                    allowDataOverflow
                    tickFormatter={(at: number) => time.format(new Date(at))}
                    fontSize={11}
                  />
                  <YAxis tickFormatter={fmt} width={80} fontSize={11} />
                  <Tooltip
                    labelFormatter={(at) => time.format(new Date(Number(at)))}
                    formatter={(v) => fmt(Number(v))}
                  />
                  {/* One area per merged band (a destination's overlapping periods, queries.ts), not per till period. */}
                  {metric.offline.map((band) => (
                    <ReferenceArea
                      key={`${band.destination}/${band.from.toISOString()}`}
                      x1={Math.max(start, band.from.getTime())}
                      x2={Math.min(end, band.to.getTime())}
                      fill={OFFLINE_FILL}
                      ifOverflow="hidden"
                    />
                  ))}
                  {metric.thresholds && (
                    <ReferenceLine
                      y={metric.thresholds[0]}
                      stroke={RATING_COLOR.good}
                      strokeDasharray="4 2"
                    />
                  )}
                  {metric.thresholds && (
                    <ReferenceLine
                      y={metric.thresholds[1]}
                      stroke={RATING_COLOR.poor}
                      strokeDasharray="4 2"
                    />
                  )}
                  {(["p50", "p75", "p95"] as const).map((p) => (
                    <Line
                      key={p}
                      dataKey={p}
                      name={p}
                      stroke={LINE_COLOR[p]}
                      dot={false}
                      strokeWidth={p === "p75" ? 2.5 : 1.5}
                      isAnimationActive={false}
                    />
                  ))}
                </LineChart>
              </ResponsiveContainer>
            </div>
            <ul className={styles.legend} aria-label={t("series.legend")}>
              {(["p50", "p75", "p95"] as const).map((p) => (
                <li key={p}>
                  <span className={styles.swatch} style={{ background: LINE_COLOR[p] }} aria-hidden />
                  {p}
                </li>
              ))}
              <li>
                <span className={styles.swatch} style={{ background: OFFLINE_FILL }} aria-hidden />
                <OfflineLegend offline={metric.offline} totals={metric.offlineTotals} />
              </li>
              {metric.thresholds && (
                <li>
                  {t("series.thresholds", {
                    good: fmt(metric.thresholds[0]),
                    poor: fmt(metric.thresholds[1]),
                  })}
                </li>
              )}
            </ul>
          </div>
        )}
      </section>
      <section className={styles.section}>
        <h2 className={styles.sectionTitle}>{t("distribution.title")}</h2>
        {bars.length === 0 ? (
          <Muted block>{t("series.empty")}</Muted>
        ) : (
          <div className={styles.chart} data-testid="rum-distribution">
            <div role="img" aria-label={t("distribution.label", { metric: name })}>
              <ResponsiveContainer width="100%" height={200}>
                <BarChart data={bars} margin={{ left: 8, right: 16, top: 8 }} accessibilityLayer={false}>
                  <CartesianGrid vertical={false} strokeDasharray="3 3" />
                  <XAxis dataKey="mid" tickFormatter={fmt} fontSize={11} />
                  <YAxis fontSize={11} width={60} />
                  <Tooltip
                    labelFormatter={(_, payload) => {
                      const bar = payload?.[0]?.payload as (typeof bars)[number] | undefined;
                      return bar ? `${fmt(bar.lower)} – ${fmt(bar.upper)}` : "";
                    }}
                  />
                  <Bar dataKey="count" isAnimationActive={false}>
                    {bars.map((b) => {
                      const rating = ratingOf(b.upper);
                      return <Cell key={b.lower} fill={rating ? RATING_COLOR[rating] : LINE_COLOR.p75} />;
                    })}
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </div>
          </div>
        )}
      </section>
      <div className={styles.grid}>
        <section className={styles.section}>
          <h2 className={styles.sectionTitle}>{t("stores.title")}</h2>
          <DataTable
            caption={t("stores.caption", { metric: name })}
            columns={[
              store.accessor("storeName", {
                header: t("stores.store"),
                cell: (c) => c.getValue() || <Muted>{t("dashboardItself")}</Muted>,
              }),
              ...percentileColumns(store),
            ]}
            data={metric.stores}
            getRowId={(s) => s.storeId || "-"}
            empty={t("series.empty")}
            testId="rum-stores"
          />
        </section>
        <section className={styles.section}>
          <h2 className={styles.sectionTitle}>{t("tills.title")}</h2>
          <DataTable
            caption={t("tills.caption", { metric: name })}
            columns={[
              till.accessor("terminalName", {
                header: t("tills.till"),
                cell: (c) =>
                  c.getValue() ? (
                    <>
                      {c.getValue()} <Muted block>{c.row.original.storeName}</Muted>
                    </>
                  ) : (
                    <Muted>{t("dashboardItself")}</Muted>
                  ),
              }),
              ...percentileColumns(till),
            ]}
            data={metric.tills}
            getRowId={(s) => `${s.storeId}/${s.terminalId}`}
            empty={t("series.empty")}
            testId="rum-tills"
          />
        </section>
      </div>
    </>
  );
}
