import type { TTerminalStatusData } from "../ingest/ingest-items.types.ts";
import { accepted, duplicate, type ItemResult } from "./item-result.ts";
import type { SqlRunner, TerminalScope } from "./sql.ts";

export interface TerminalStatusItem {
  id: string;
  hlc: string;
  data: TTerminalStatusData;
}

/** How many status changes are kept per till (the terminal page shows the last 24 h of them). */
export const STATUS_HISTORY_KEEP = 500;

/**
 * The health-relevant part of a snapshot: pending counts and FN backlog change on every sale, so
 * they are left out (as buckets where a threshold matters), or the history would be one row per round.
 */
export function statusSignature(s: TTerminalStatusData): string {
  const fnDays = s.fn.oldestUnsentAt
    ? Math.floor((Date.parse(s.measuredAt) - Date.parse(s.fn.oldestUnsentAt)) / 86_400_000)
    : null;
  return JSON.stringify([
    s.online,
    s.device.connected,
    s.device.paper,
    s.device.mode,
    s.device.shiftOpen,
    s.device.shiftExpiresAt,
    s.receipts.waitingForDevice > 0,
    s.receipts.waitingReason?.kassaCode ?? null,
    s.receipts.needsAttention,
    s.dlqPending,
    s.breakers.central,
    s.breakers.ofd,
    fnDays === null ? null : fnDays >= 30 ? "overdue" : fnDays >= 25 ? "warn" : "ok",
    s.bufferFillPercent >= 80,
  ]);
}

// Only a newer snapshot (by the till's HLC) replaces the stored one; `previous` says whether the
// health-relevant part changed, which decides the history row.
const UPSERT_SNAPSHOT = `
WITH previous AS (
  SELECT signature FROM terminal_status WHERE organization_id = $1 AND terminal_id = $2
)
INSERT INTO terminal_status (organization_id, terminal_id, snapshot_hlc, snapshot, measured_at, received_at, signature)
VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)
ON CONFLICT (organization_id, terminal_id) DO UPDATE SET
  snapshot_hlc = EXCLUDED.snapshot_hlc, snapshot = EXCLUDED.snapshot, measured_at = EXCLUDED.measured_at,
  received_at = EXCLUDED.received_at, signature = EXCLUDED.signature
WHERE terminal_status.snapshot_hlc IS NULL OR terminal_status.snapshot_hlc < EXCLUDED.snapshot_hlc
RETURNING (SELECT signature FROM previous) IS DISTINCT FROM $7 AS changed`;

const INSERT_HISTORY = `
INSERT INTO terminal_status_history (organization_id, terminal_id, hlc, measured_at, snapshot)
VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT DO NOTHING`;

const TRIM_HISTORY = `
DELETE FROM terminal_status_history
WHERE organization_id = $1 AND terminal_id = $2 AND hlc < (
  SELECT hlc FROM terminal_status_history WHERE organization_id = $1 AND terminal_id = $2
  ORDER BY hlc DESC OFFSET $3 LIMIT 1)`;

/**
 * The till's newest status snapshot of the batch (older ones in it were already left out): stored
 * if it is newer than the one held, and a history row written when its health-relevant part changed.
 */
export async function storeTerminalStatus(
  sql: SqlRunner,
  terminal: TerminalScope,
  item: TerminalStatusItem | undefined,
  now: Date,
): Promise<ItemResult | undefined> {
  if (!item) return undefined;
  const json = JSON.stringify(item.data);
  const signature = statusSignature(item.data);
  const rows = await sql.query<{ changed: boolean }>(UPSERT_SNAPSHOT, [
    terminal.organizationId,
    terminal.id,
    item.hlc,
    json,
    item.data.measuredAt,
    now,
    signature,
  ]);
  if (rows.length === 0) return duplicate("terminal_status", item.id);
  if (rows[0]!.changed) {
    await sql.query(INSERT_HISTORY, [
      terminal.organizationId,
      terminal.id,
      item.hlc,
      item.data.measuredAt,
      json,
    ]);
    await sql.query(TRIM_HISTORY, [terminal.organizationId, terminal.id, STATUS_HISTORY_KEEP - 1]);
  }
  return accepted("terminal_status", item.id);
}

/** What a batch carried that moves a counter. */
export interface CounterChanges {
  /** DLQ mirror items: the pending count is recounted. */
  dlq: boolean;
  /** Receipts, fiscalizations, attention marks or voids: the needing-attention count is recounted. */
  attention: boolean;
  /** The newest transition of each destination in the batch. */
  breakers: { destination: string; at: string; to: string; cause: string }[];
}

// Recounted for this till only, through indexes that start with (organization_id, terminal_id): the
// DLQ mirror's key and the partial index on refused receipts. Cheap here, so Fleet never counts.
const RECOUNT_DLQ = `
UPDATE terminal_status SET dlq_pending = (
  SELECT count(*)::int FROM dlq_items WHERE organization_id = $1 AND terminal_id = $2 AND status = 'pending')
WHERE organization_id = $1 AND terminal_id = $2`;

const RECOUNT_ATTENTION = `
UPDATE terminal_status SET receipts_attention = (
  SELECT count(*)::int FROM receipts WHERE organization_id = $1 AND terminal_id = $2
    AND attention_at IS NOT NULL AND voided_at IS NULL AND fd_number IS NULL)
WHERE organization_id = $1 AND terminal_id = $2`;

// A transition replaces the destination's state only if it is at least as new as the one held.
const BREAKER = `
UPDATE terminal_status SET breakers = breakers || jsonb_build_object($3::text,
  jsonb_build_object('state', $4::text, 'since', $5::text, 'cause', $6::text))
WHERE organization_id = $1 AND terminal_id = $2
  AND (breakers -> $3::text ->> 'since' IS NULL OR (breakers -> $3::text ->> 'since')::timestamptz <= $5::timestamptz)`;

/**
 * After a batch is stored and its sync recorded (recordTerminalSync: the till's terminal_status
 * row exists from then on), the counters its items moved.
 */
export async function updateTerminalCounters(
  sql: SqlRunner,
  terminal: TerminalScope,
  changes: CounterChanges,
): Promise<void> {
  const key = [terminal.organizationId, terminal.id];
  if (changes.dlq) await sql.query(RECOUNT_DLQ, key);
  if (changes.attention) await sql.query(RECOUNT_ATTENTION, key);
  for (const b of changes.breakers) await sql.query(BREAKER, [...key, b.destination, b.to, b.at, b.cause]);
}

/** The newest transition per destination among a batch's (`at`, then HLC). */
export function newestTransitions(
  items: readonly { hlc?: string; data: { destination: string; at: string; to: string; cause: string } }[],
): CounterChanges["breakers"] {
  const newest = new Map<string, { hlc: string; ms: number; value: CounterChanges["breakers"][number] }>();
  for (const item of items) {
    const ms = Date.parse(item.data.at);
    const held = newest.get(item.data.destination);
    const hlc = item.hlc ?? "";
    if (held && (held.ms > ms || (held.ms === ms && held.hlc >= hlc))) continue;
    newest.set(item.data.destination, {
      hlc,
      ms,
      value: {
        destination: item.data.destination,
        at: new Date(ms).toISOString(),
        to: item.data.to,
        cause: item.data.cause,
      },
    });
  }
  return [...newest.values()].map((n) => n.value);
}
