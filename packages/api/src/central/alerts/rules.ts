import type { TAlertThresholds } from "./thresholds.ts";

/** The rules evaluated centrally, in the order the Alerts page lists them. */
export const ALERT_RULES = [
  "till_silent",
  "sync_latency",
  "buffer_fill",
  "breaker_open",
  "fn_unsent_age",
  "clock_skew",
  "dlq_growth",
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/** What evaluation knows of one active till (alerts/facts.ts reads it the way Fleet does). */
export interface TillFacts {
  terminalId: string;
  storeId: string;
  lastSyncAt: Date | null;
  /** Till clock − central clock at its last push, ms. */
  clockSkewMs: number | null;
  bufferFillPercent: number | null;
  fnOldestUnsentAt: Date | null;
  /** Each destination whose breaker is not closed, and since when it has not been (null = unknown). */
  breakersNotClosed: { destination: string; since: Date | null }[];
  /** p95 of accept → stored at central over its receipts accepted in the last hour, ms; null = none. */
  syncLatencyP95Ms: number | null;
  /** Items it dead-lettered within the DLQ growth window. */
  dlqNewInWindow: number;
}

/** One rule's condition holding for one subject now: what fires (or keeps firing) an alert. */
export interface AlertCondition {
  rule: AlertRule;
  /** "<terminal id>" or "<terminal id>:<destination>": at most one firing alert per rule and key. */
  subjectKey: string;
  terminalId: string;
  storeId: string;
  destination: string | null;
  /** The figure and the threshold, in the rule's unit (ALERT_UNITS). */
  value: number;
  threshold: number;
}

/** Each rule's unit, for the page's wording of value and threshold. */
export const ALERT_UNITS = {
  till_silent: "minutes",
  sync_latency: "seconds",
  buffer_fill: "percent",
  breaker_open: "minutes",
  fn_unsent_age: "days",
  clock_skew: "seconds",
  dlq_growth: "items",
} as const satisfies Record<AlertRule, string>;

/** The OFD's 30-day rule counts whole days, as Fleet does (fleet-health.ts `fnAgeDays`). */
const DAY_MS = 86_400_000;
const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Every condition that holds now. Pure: the same facts, thresholds and clock give the same set, which
 * is what makes evaluation idempotent (evaluate.ts fires what is new and resolves what is gone).
 * Buffer fill and FN age fire at the threshold (Fleet warns from there); the rest above it.
 */
export function firingConditions(
  tills: readonly TillFacts[],
  thresholds: TAlertThresholds,
  now: Date,
): AlertCondition[] {
  const conditions: AlertCondition[] = [];
  for (const till of tills) {
    const add = (rule: AlertRule, value: number, threshold: number, destination: string | null = null) =>
      conditions.push({
        rule,
        subjectKey: destination ? `${till.terminalId}:${destination}` : till.terminalId,
        terminalId: till.terminalId,
        storeId: till.storeId,
        destination,
        value: round2(value),
        threshold,
      });
    // A till that never synced is not installed yet: silence starts counting at its first sync.
    if (till.lastSyncAt) {
      const silentMinutes = (now.getTime() - till.lastSyncAt.getTime()) / 60_000;
      if (silentMinutes > thresholds.tillSilentMinutes)
        add("till_silent", silentMinutes, thresholds.tillSilentMinutes);
    }
    if (till.syncLatencyP95Ms !== null && till.syncLatencyP95Ms / 1000 > thresholds.syncLatencySeconds) {
      add("sync_latency", till.syncLatencyP95Ms / 1000, thresholds.syncLatencySeconds);
    }
    if (till.bufferFillPercent !== null && till.bufferFillPercent >= thresholds.bufferFillPercent) {
      add("buffer_fill", till.bufferFillPercent, thresholds.bufferFillPercent);
    }
    for (const breaker of till.breakersNotClosed) {
      if (!breaker.since) continue;
      const minutes = (now.getTime() - breaker.since.getTime()) / 60_000;
      if (minutes > thresholds.breakerOpenMinutes) {
        add("breaker_open", minutes, thresholds.breakerOpenMinutes, breaker.destination);
      }
    }
    if (till.fnOldestUnsentAt) {
      const days = Math.floor((now.getTime() - till.fnOldestUnsentAt.getTime()) / DAY_MS);
      if (days >= thresholds.fnUnsentDays) add("fn_unsent_age", days, thresholds.fnUnsentDays);
    }
    if (till.clockSkewMs !== null && Math.abs(till.clockSkewMs) / 1000 > thresholds.clockSkewSeconds) {
      add("clock_skew", Math.abs(till.clockSkewMs) / 1000, thresholds.clockSkewSeconds);
    }
    if (till.dlqNewInWindow > thresholds.dlqGrowthItems) {
      add("dlq_growth", till.dlqNewInWindow, thresholds.dlqGrowthItems);
    }
  }
  return conditions;
}
