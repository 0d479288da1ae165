import { Gauge } from "prom-client";
import { centralRegistry } from "../metrics.ts";
import type { SqlRunner } from "../sync/sql.ts";
import { ALERT_RULES } from "./rules.ts";

const NAME = "kassa_central_alerts_firing";

/**
 * Firing alerts per rule, over every organization. Set from the database after each evaluation
 * round on every instance (whether or not it held the lock), so any instance's /metrics is true.
 * Looked up before it is made: Next.js may evaluate this module more than once in one process.
 */
export const alertsFiringGauge: Gauge<"rule"> =
  (centralRegistry.getSingleMetric(NAME) as Gauge<"rule"> | undefined) ??
  new Gauge({
    name: NAME,
    help: "Alerts firing now, by rule (all organizations).",
    labelNames: ["rule"],
    registers: [centralRegistry],
  });

/** Reads the firing count per rule (the partial firing index) into the gauge; every rule has a series. */
export async function refreshAlertsGauge(sql: SqlRunner): Promise<Record<string, number>> {
  const rows = await sql.query<{ rule: string; n: number }>(
    "SELECT rule, count(*)::int AS n FROM alerts WHERE resolved_at IS NULL GROUP BY rule",
  );
  const counts: Record<string, number> = Object.fromEntries(ALERT_RULES.map((rule) => [rule, 0]));
  for (const row of rows) counts[row.rule] = Number(row.n);
  for (const [rule, n] of Object.entries(counts)) alertsFiringGauge.set({ rule }, n);
  return counts;
}
