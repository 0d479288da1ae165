/**
 * The real-user monitoring contract (issue 11), shared by the agent (its outbox kind `rum`, its
 * `rum.report` procedure for the POS front-end), central ingest (the partitioned `rum_samples` table)
 * and the dashboard's own beacon. One sample is one measurement at one moment on one till (or one
 * dashboard page view); the central server aggregates them, so nothing here is pre-aggregated.
 */
import { z } from "zod";
import { ZStoredText } from "./content.ts";

/**
 * Metric names: dotted lowercase (`receipt.accept.validate`, `sync.batch.duration`,
 * `web_vital.LCP`, `mark.scan_to_line`). The name says what was measured; the unit says how.
 */
export const ZRumMetric = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)*$/, "must be dotted lowercase words, e.g. receipt.accept.print");

export const RUM_UNITS = ["ms", "bytes", "count", "ratio", "score"] as const;
export const ZRumUnit = z.enum(RUM_UNITS);

/** Labels narrow a metric (`destination: "ofd"`, `phase: "print"`); few and short, never free text. */
export const ZRumLabels = z
  .record(
    z
      .string()
      .min(1)
      .max(32)
      .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/),
    ZStoredText(128),
  )
  .refine((labels) => Object.keys(labels).length <= 8, "at most 8 labels");

/**
 * One sample as the agent queues it (outbox kind `rum`, payload = this object) and central stores it.
 * `at` is when it was measured on the till — kept through outages, never replaced by arrival time.
 * Agents before issue 11 sent `{metric, valueMs, at, labels}`: central reads that as unit "ms".
 */
export const ZRumSample = z.object({
  metric: ZRumMetric,
  value: z.number().finite().min(-1e12).max(1e12),
  unit: ZRumUnit,
  at: z.iso.datetime({ offset: true }),
  labels: ZRumLabels.default({}),
});
export type TRumSample = z.infer<typeof ZRumSample>;

/** The legacy shape (PIN login time before issue 11). */
export const ZLegacyRumSample = z.object({
  metric: ZRumMetric,
  valueMs: z.number().finite(),
  at: z.iso.datetime({ offset: true }),
  labels: ZRumLabels.default({}),
});

/** Either shape, as one `TRumSample`. */
export const ZStoredRumSample = z.union([
  ZRumSample,
  ZLegacyRumSample.transform(({ valueMs, ...rest }): TRumSample => ({ ...rest, value: valueMs, unit: "ms" })),
]);

/**
 * A web vital in the `web-vitals` library's `Metric` shape (onLCP/onINP/onCLS/onFCP/onTTFB callbacks):
 * what the POS front-end posts to the agent's `rum.report` and the dashboard beacons to central.
 * `attribution` is that library's attribution build's object, kept as a bounded JSON value.
 */
export const WEB_VITAL_NAMES = ["LCP", "INP", "CLS", "FCP", "TTFB"] as const;
export const ZWebVital = z.object({
  name: z.enum(WEB_VITAL_NAMES),
  value: z.number().finite().nonnegative().max(3_600_000),
  rating: z.enum(["good", "needs-improvement", "poor"]),
  id: z.string().min(1).max(128),
  navigationType: z
    .enum(["navigate", "reload", "back-forward", "back-forward-cache", "prerender", "restore"])
    .optional(),
  delta: z.number().finite().optional(),
  attribution: z
    .record(z.string(), z.unknown())
    .refine((value) => JSON.stringify(value).length <= 4096, "attribution must be at most 4 KiB of JSON")
    .optional(),
});
export type TWebVital = z.infer<typeof ZWebVital>;

/** A custom mark from the POS front-end (`scan_to_line`, `tender_to_printed`), in milliseconds. */
export const ZRumMark = z.object({
  name: z
    .string()
    .min(1)
    .max(48)
    .regex(/^[a-z][a-z0-9_]*$/, "must be lowercase_words"),
  valueMs: z.number().finite().nonnegative().max(3_600_000),
  at: z.iso.datetime({ offset: true }).optional(),
});

/** The unit of each web vital: CLS is a unitless score, the rest are milliseconds. */
export function webVitalUnit(name: (typeof WEB_VITAL_NAMES)[number]): "ms" | "score" {
  return name === "CLS" ? "score" : "ms";
}

/** Thresholds from web.dev (good ≤ first, poor > second), the same the `web-vitals` library rates by. */
export const WEB_VITAL_THRESHOLDS: Record<(typeof WEB_VITAL_NAMES)[number], readonly [number, number]> = {
  LCP: [2500, 4000],
  INP: [200, 500],
  CLS: [0.1, 0.25],
  FCP: [1800, 3000],
  TTFB: [800, 1800],
};
