import { z } from "zod";
import { ZRumMetric, ZWebVital } from "../../rum.ts";

/** The longest RUM window: retention's default (90 days) and a day of slack. */
export const MAX_RUM_WINDOW_MS = 91 * 86_400_000;

const ZRumWindow = z.object({
  from: z.coerce.date(),
  to: z.coerce.date(),
  storeId: z.string().min(1).max(64).optional(),
  terminalId: z.string().min(1).max(64).optional(),
});

function refineRumWindow(input: { from: Date; to: Date }, ctx: z.RefinementCtx): void {
  if (input.from >= input.to) {
    ctx.addIssue({ code: "custom", path: ["to"], message: '"from" must be before "to".' });
  } else if (input.to.getTime() - input.from.getTime() > MAX_RUM_WINDOW_MS) {
    ctx.addIssue({ code: "custom", path: ["from"], message: "the window may span at most 91 days" });
  }
}

const ZPercentiles = z.object({
  count: z.number(),
  p50: z.number(),
  p75: z.number(),
  p95: z.number(),
});

/** good / needs-improvement / poor by web.dev's thresholds; null for metrics without thresholds. */
export const ZRumRating = z.enum(["good", "needs-improvement", "poor"]).nullable();

/** Overlapping offline periods of one destination, merged (queries.ts offlinePeriods). */
export const ZOfflineBand = z.object({
  destination: z.string(),
  from: z.date(),
  to: z.date(),
  /** How many periods were merged into the band, and on how many distinct tills. */
  periods: z.number().int(),
  tills: z.number().int(),
  /** The till, its name and its store's name when exactly one till is in the band; else null. */
  terminalId: z.string().nullable(),
  terminalName: z.string().nullable(),
  storeName: z.string().nullable(),
});

/**
 * Every offline period overlapping the window and the distinct tills they are on, and how many
 * bands they merged into: more than `offline` holds when the newest MAX_OFFLINE_BANDS were kept.
 */
export const ZOfflineTotals = z.object({
  periods: z.number().int(),
  tills: z.number().int(),
  bands: z.number().int(),
});

export const ZGetRumOverviewInput = ZRumWindow.superRefine(refineRumWindow);
export type TGetRumOverviewInput = z.input<typeof ZGetRumOverviewInput>;

export const ZRumMetricSummary = ZPercentiles.extend({
  metric: z.string(),
  unit: z.enum(["ms", "bytes", "count", "ratio", "score"]),
  /** The p75's rating (web vitals are judged at p75, as web.dev does). */
  rating: ZRumRating,
});
export type TRumMetricSummary = z.infer<typeof ZRumMetricSummary>;

export const ZGetRumOverviewOutput = z.object({
  from: z.date(),
  to: z.date(),
  grain: z.enum(["hour", "day"]),
  metrics: z.array(ZRumMetricSummary),
  offline: z.array(ZOfflineBand),
  offlineTotals: ZOfflineTotals,
});
export type TGetRumOverviewOutput = z.infer<typeof ZGetRumOverviewOutput>;

export const ZGetRumMetricInput = ZRumWindow.extend({ metric: ZRumMetric }).superRefine(refineRumWindow);
export type TGetRumMetricInput = z.input<typeof ZGetRumMetricInput>;

export const ZGetRumMetricOutput = z.object({
  metric: z.string(),
  unit: ZRumMetricSummary.shape.unit,
  /** [good ≤, poor >] for web vitals; null otherwise. */
  thresholds: z.tuple([z.number(), z.number()]).nullable(),
  stepMs: z.number().int(),
  series: z.array(ZPercentiles.extend({ at: z.date() })),
  /** The merged histogram: each bin's bounds and count, ascending (at most MAX_DISTRIBUTION_BARS). */
  distribution: z.array(z.object({ lower: z.number(), upper: z.number(), count: z.number() })),
  stores: z.array(ZPercentiles.extend({ storeId: z.string(), storeName: z.string(), rating: ZRumRating })),
  tills: z.array(
    ZPercentiles.extend({
      storeId: z.string(),
      storeName: z.string(),
      terminalId: z.string(),
      terminalName: z.string(),
      rating: ZRumRating,
    }),
  ),
  offline: z.array(ZOfflineBand),
  offlineTotals: ZOfflineTotals,
});
export type TGetRumMetricOutput = z.infer<typeof ZGetRumMetricOutput>;

/** At most this many vitals per beacon: a page view reports five, a long session a few more. */
export const MAX_VITALS_PER_REPORT = 20;

export const ZReportWebVitalsInput = z.object({
  vitals: z.array(ZWebVital).min(1).max(MAX_VITALS_PER_REPORT),
  /** The dashboard route the vitals were measured on (a label: "/receipts", never a query string). */
  page: z
    .string()
    .max(128)
    .regex(/^\/[A-Za-z0-9/_\-[\].]*$/, "must be a path like /receipts"),
});
export type TReportWebVitalsInput = z.input<typeof ZReportWebVitalsInput>;

export const ZReportWebVitalsOutput = z.object({ stored: z.number().int(), duplicates: z.number().int() });
