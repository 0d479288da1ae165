import { newId } from "@kassa/db/central";
import type { CentralDatabase } from "../context.ts";
import type { SqlRunner } from "../sync/sql.ts";
import { readTillFacts } from "./facts.ts";
import type { AlertLog } from "./log.ts";
import { refreshAlertsGauge } from "./metrics.ts";
import { type AlertCondition, firingConditions } from "./rules.ts";
import { readThresholds } from "./thresholds.ts";

/**
 * The advisory-lock class of alert evaluation; the second key is the organization. One evaluator
 * per organization at a time across every central instance sharing the database.
 */
const LOCK_CLASS = 0x6b_61_6c; // "kal"

export interface AlertChange {
  organizationId: string;
  alertId: string;
  rule: string;
  subjectKey: string;
  terminalId: string | null;
  value: number;
  threshold: number;
}

export interface EvaluationResult {
  /** Organizations this evaluator evaluated, and those another evaluator held at that moment. */
  evaluated: string[];
  skipped: string[];
  fired: AlertChange[];
  resolved: AlertChange[];
  /** Firing alerts per rule after the round (what the gauge now says). */
  firing: Record<string, number>;
}

export interface EvaluateOptions {
  now: Date;
  log: AlertLog;
  /** Only these organizations (default: all). */
  organizationIds?: readonly string[];
}

/**
 * One evaluation round. Per organization, in one transaction holding its advisory lock: read the
 * facts, compute the conditions that hold, fire those not firing yet and resolve the firing ones
 * that no longer hold. Running it again with the same facts changes nothing; a concurrent evaluator
 * skips an organization another holds, and the partial unique key (alerts_firing_key) refuses a
 * second firing row even without the lock.
 */
export async function evaluateAlerts(
  db: CentralDatabase,
  options: EvaluateOptions,
): Promise<EvaluationResult> {
  const ids =
    options.organizationIds ??
    (await db.sql.query<{ id: string }>("SELECT id FROM organizations ORDER BY id")).map((r) => r.id);
  const thresholds = await readThresholds(db, ids);
  const result: EvaluationResult = { evaluated: [], skipped: [], fired: [], resolved: [], firing: {} };
  for (const organizationId of ids) {
    const limits = thresholds.get(organizationId);
    if (!limits) continue; // deleted since the list was read
    const changes = await db.sql.transaction(async (tx) => {
      const [lock] = await tx.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked",
        [LOCK_CLASS, organizationId],
      );
      if (!lock?.locked) return null;
      const facts = await readTillFacts(tx, organizationId, limits, options.now);
      return applyConditions(tx, organizationId, firingConditions(facts, limits, options.now), options.now);
    });
    if (!changes) {
      result.skipped.push(organizationId);
      continue;
    }
    result.evaluated.push(organizationId);
    result.fired.push(...changes.fired);
    result.resolved.push(...changes.resolved);
  }
  // Logged after commit: a line never tells of a firing that was rolled back.
  for (const change of result.fired) options.log("alert fired", { event: "alert_fired", ...change });
  for (const change of result.resolved) options.log("alert resolved", { event: "alert_resolved", ...change });
  result.firing = await refreshAlertsGauge(db.sql);
  return result;
}

interface OpenAlert {
  id: string;
  rule: string;
  subject_key: string;
  terminal_id: string | null;
  value: number;
  threshold: number;
}

const INSERT_FIRING = `
INSERT INTO alerts (organization_id, id, rule, subject_key, terminal_id, store_id, destination, fired_at, value, threshold)
SELECT $1, unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), unnest($5::text[]), unnest($6::text[]),
  unnest($7::text[]), $8, unnest($9::float8[]), unnest($10::float8[])
ON CONFLICT (organization_id, rule, subject_key) WHERE resolved_at IS NULL DO NOTHING
RETURNING id, rule, subject_key, terminal_id, value, threshold`;

async function applyConditions(
  tx: SqlRunner,
  organizationId: string,
  conditions: readonly AlertCondition[],
  now: Date,
): Promise<{ fired: AlertChange[]; resolved: AlertChange[] }> {
  const open = await tx.query<OpenAlert>(
    `SELECT id, rule, subject_key, terminal_id, value, threshold FROM alerts
     WHERE organization_id = $1 AND resolved_at IS NULL FOR UPDATE`,
    [organizationId],
  );
  const key = (rule: string, subject: string) => `${rule}\u0000${subject}`;
  const holding = new Set(conditions.map((c) => key(c.rule, c.subjectKey)));
  const firing = new Set(open.map((a) => key(a.rule, a.subject_key)));
  const fresh = conditions.filter((c) => !firing.has(key(c.rule, c.subjectKey)));
  const cleared = open.filter((a) => !holding.has(key(a.rule, a.subject_key)));
  const fired =
    fresh.length === 0
      ? []
      : await tx.query<OpenAlert>(INSERT_FIRING, [
          organizationId,
          fresh.map(() => newId(now.getTime())),
          fresh.map((c) => c.rule),
          fresh.map((c) => c.subjectKey),
          fresh.map((c) => c.terminalId),
          fresh.map((c) => c.storeId),
          fresh.map((c) => c.destination),
          now,
          fresh.map((c) => c.value),
          fresh.map((c) => c.threshold),
        ]);
  const resolved =
    cleared.length === 0
      ? []
      : await tx.query<OpenAlert>(
          `UPDATE alerts SET resolved_at = $3 WHERE organization_id = $1 AND id = ANY($2::text[]) AND resolved_at IS NULL
           RETURNING id, rule, subject_key, terminal_id, value, threshold`,
          [organizationId, cleared.map((a) => a.id), now],
        );
  const change = (a: OpenAlert): AlertChange => ({
    organizationId,
    alertId: a.id,
    rule: a.rule,
    subjectKey: a.subject_key,
    terminalId: a.terminal_id,
    value: Number(a.value),
    threshold: Number(a.threshold),
  });
  return { fired: fired.map(change), resolved: resolved.map(change) };
}
