import { type TRumSample, WEB_VITAL_NAMES, WEB_VITAL_THRESHOLDS, webVitalUnit } from "../../rum.ts";
import type { CentralDatabase } from "../context.ts";
import { permitted } from "../dashboard/permissions.ts";
import type { DashboardScope } from "../dashboard/scope.ts";
import { scopedTerminals } from "../dashboard/scoped-terminals.ts";
import { rumBinBounds } from "./histogram.ts";
import {
  grainFor,
  metricBreakdown,
  metricDistribution,
  metricSeries,
  metricSummaries,
  offlinePeriods,
  type RumReadScope,
  rumReadScope,
} from "./queries.ts";
import {
  ZGetRumMetricInput,
  ZGetRumMetricOutput,
  ZGetRumOverviewInput,
  ZGetRumOverviewOutput,
} from "./view-rum.types.ts";

/** The distribution chart shows at most this many bars: adjacent bins are merged beyond it. */
export const MAX_DISTRIBUTION_BARS = 60;

type Unit = TRumSample["unit"];

/**
 * A metric's unit, from its name (rollups keep no unit; the agent's names fix it): web vitals by
 * the library's rule, sizes in bytes, counts, the buffer's fill ratio, the rest milliseconds.
 */
export function metricUnit(metric: string): Unit {
  const vital = webVitalName(metric);
  if (vital) return webVitalUnit(vital);
  if (metric.endsWith(".bytes")) return "bytes";
  if (metric.endsWith(".items") || metric === "rum.dropped" || metric === "breaker.transition")
    return "count";
  if (metric === "device.event") return "count";
  if (metric === "buffer.fill") return "ratio";
  return "ms";
}

function webVitalName(metric: string): (typeof WEB_VITAL_NAMES)[number] | null {
  const name = metric.startsWith("web_vital.") ? metric.slice("web_vital.".length) : "";
  return (WEB_VITAL_NAMES as readonly string[]).includes(name)
    ? (name as (typeof WEB_VITAL_NAMES)[number])
    : null;
}

export function thresholdsOf(metric: string): readonly [number, number] | null {
  const vital = webVitalName(metric);
  return vital ? WEB_VITAL_THRESHOLDS[vital] : null;
}

/** web.dev's rating of a value: good ≤ first threshold < needs improvement ≤ second < poor. */
export function rate(metric: string, value: number): "good" | "needs-improvement" | "poor" | null {
  const t = thresholdsOf(metric);
  if (!t) return null;
  return value <= t[0] ? "good" : value <= t[1] ? "needs-improvement" : "poor";
}

/**
 * Names of the stores and tills the user may see (one statement: a chain's ~500 tills on every
 * call); a store filter outside scope reads nothing. Every store with RUM rows has tills.
 */
async function scopedNames(db: CentralDatabase, scope: DashboardScope) {
  const terminals = await scopedTerminals(db, scope, {});
  return {
    store: new Map(terminals.map((t) => [t.storeId, t.store.name])),
    terminal: new Map(terminals.map((t) => [t.id, t])),
  };
}

/**
 * The merged offline bands with names for single-till bands (a band of many tills names none),
 * and the window's totals, which count every period even when the bands were capped.
 */
function offlineView(
  offline: Awaited<ReturnType<typeof offlinePeriods>>,
  names: Awaited<ReturnType<typeof scopedNames>>,
) {
  return {
    offline: offline.bands.map((b) => ({
      destination: b.destination,
      from: b.from,
      to: b.to,
      periods: b.periods,
      tills: b.tills,
      terminalId: b.terminalId,
      terminalName: b.terminalId === null ? null : (names.terminal.get(b.terminalId)?.name ?? b.terminalId),
      storeName: b.storeId === null ? null : (names.store.get(b.storeId) ?? b.storeId),
    })),
    offlineTotals: offline.totals,
  };
}

function readScope(scope: DashboardScope): RumReadScope {
  return rumReadScope(scope);
}

/** Every metric of the window with its percentiles, and the offline periods to draw. */
export const getRumOverviewProcedure = permitted("rum.view")
  .input(ZGetRumOverviewInput)
  .output(ZGetRumOverviewOutput)
  .query(async ({ ctx, input }) => {
    const scope = readScope(ctx.scope);
    const [metrics, offline, names] = await Promise.all([
      metricSummaries(ctx.db.sql, scope, input),
      offlinePeriods(ctx.db.sql, scope, input),
      scopedNames(ctx.db, ctx.scope),
    ]);
    return {
      from: input.from,
      to: input.to,
      grain: grainFor(input.from, input.to),
      metrics: metrics.map((m) => ({ ...m, unit: metricUnit(m.metric), rating: rate(m.metric, m.p75) })),
      ...offlineView(offline, names),
    };
  });

/** One metric: percentiles over time, its distribution, per store and per till, offline bands. */
export const getRumMetricProcedure = permitted("rum.view")
  .input(ZGetRumMetricInput)
  .output(ZGetRumMetricOutput)
  .query(async ({ ctx, input }) => {
    const scope = readScope(ctx.scope);
    const [series, bins, breakdown, offline, names] = await Promise.all([
      metricSeries(ctx.db.sql, scope, input),
      metricDistribution(ctx.db.sql, scope, input),
      metricBreakdown(ctx.db.sql, scope, input),
      offlinePeriods(ctx.db.sql, scope, input),
      scopedNames(ctx.db, ctx.scope),
    ]);
    const t = thresholdsOf(input.metric);
    return {
      metric: input.metric,
      unit: metricUnit(input.metric),
      thresholds: t ? [t[0], t[1]] : null,
      stepMs: series.stepMs,
      series: series.points,
      distribution: mergeBars(bins),
      stores: breakdown.stores.map((s) => ({
        ...s,
        storeName: s.storeId === "" ? "" : (names.store.get(s.storeId) ?? s.storeId),
        rating: rate(input.metric, s.p75),
      })),
      tills: breakdown.tills.map((s) => ({
        ...s,
        storeName: s.storeId === "" ? "" : (names.store.get(s.storeId) ?? s.storeId),
        terminalName: s.terminalId === "" ? "" : (names.terminal.get(s.terminalId)?.name ?? s.terminalId),
        rating: rate(input.metric, s.p75),
      })),
      ...offlineView(offline, names),
    };
  });

/** The histogram's bins as bars, adjacent ones merged so there are at most MAX_DISTRIBUTION_BARS. */
export function mergeBars(bins: readonly { bin: number; count: number }[]) {
  const per = Math.max(1, Math.ceil(bins.length / MAX_DISTRIBUTION_BARS));
  const bars: { lower: number; upper: number; count: number }[] = [];
  for (let i = 0; i < bins.length; i += per) {
    const group = bins.slice(i, i + per);
    bars.push({
      lower: rumBinBounds(group[0]!.bin).lower,
      upper: rumBinBounds(group[group.length - 1]!.bin).upper,
      count: group.reduce((n, b) => n + b.count, 0),
    });
  }
  return bars;
}
