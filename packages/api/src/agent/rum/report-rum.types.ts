import { z } from "zod";
import { ZRumMark, ZWebVital } from "../../rum.ts";

/** Most vitals and marks one `rum.report` carries: a page's beacon holds a handful, never more. */
export const MAX_RUM_REPORT_ITEMS = 100;

/**
 * What the POS front-end measured of itself: web vitals in the `web-vitals` library's `Metric`
 * shape (onLCP, onINP, onCLS, onFCP, onTTFB) and its own marks (scan-to-line, tender-to-printed).
 * The agent queues them as RUM samples (`web_vital.<name>`, `mark.<name>`) with the till's others.
 */
export const ZReportRumInput = z.object({
  vitals: z.array(ZWebVital).max(MAX_RUM_REPORT_ITEMS).default([]),
  marks: z.array(ZRumMark).max(MAX_RUM_REPORT_ITEMS).default([]),
});
export type TReportRumInput = z.infer<typeof ZReportRumInput>;

export const ZReportRumOutput = z.object({
  /** Samples queued after sampling (KASSA_RUM_SAMPLE_RATE); the rest were sampled out, not refused. */
  recorded: z.number().int().nonnegative(),
});
export type TReportRumOutput = z.infer<typeof ZReportRumOutput>;
