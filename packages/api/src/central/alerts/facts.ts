import { breakersOf, fnBacklog } from "../dashboard/fleet.ts";
import type { TTerminalStatusData } from "../ingest/ingest-items.types.ts";
import type { SqlRunner } from "../sync/sql.ts";
import type { TillFacts } from "./rules.ts";
import type { TAlertThresholds } from "./thresholds.ts";

/** Sync latency is measured over the receipts a till accepted in this last stretch. */
export const SYNC_LATENCY_WINDOW_MS = 60 * 60 * 1000;

interface TillRow {
  id: string;
  store_id: string;
  last_sync_at: Date | null;
  clock_skew_ms: number | null;
  snapshot: TTerminalStatusData | null;
  breakers: Record<string, { state: string; since: string; cause: string } | undefined> | null;
  ofd_unsent_count: number | null;
  ofd_oldest_unsent_at: Date | null;
  ofd_measured_at: Date | null;
}

// One row per active till from the tables ingest keeps per till (terminal_status, terminal_sync_state):
// the same sources Fleet reads, so an alert and Fleet's reasons never disagree about a till.
const TILLS = `
SELECT t.id, t.store_id, t.last_sync_at, t.clock_skew_ms, ls.snapshot, ls.breakers,
  ss.ofd_unsent_count, ss.ofd_oldest_unsent_at, ss.ofd_measured_at
FROM terminals t
LEFT JOIN terminal_status ls ON ls.organization_id = t.organization_id AND ls.terminal_id = t.id
LEFT JOIN terminal_sync_state ss ON ss.organization_id = t.organization_id AND ss.terminal_id = t.id
WHERE t.organization_id = $1 AND t.status = 'active'`;

// Since when each named breaker has not been closed: its first transition after its last close.
// Only breakers that are not closed are asked about, each by the (org, terminal, destination, at) index.
const NOT_CLOSED_SINCE = `
SELECT b.terminal_id, b.destination, min(b.at) AS since
FROM breaker_transitions b
JOIN unnest($2::text[], $3::text[]) AS o(terminal_id, destination)
  ON o.terminal_id = b.terminal_id AND o.destination = b.destination
WHERE b.organization_id = $1 AND b.at > coalesce((
  SELECT max(c.at) FROM breaker_transitions c
  WHERE c.organization_id = $1 AND c.terminal_id = b.terminal_id AND c.destination = b.destination
    AND c.to_state = 'closed'), '-infinity'::timestamptz)
GROUP BY b.terminal_id, b.destination`;

// accept (the till's clock) → stored here (ours), by the (organization_id, accepted_at) index.
const SYNC_LATENCY = `
SELECT terminal_id,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM received_at - accepted_at) * 1000) AS p95_ms
FROM receipts WHERE organization_id = $1 AND accepted_at > $2 AND accepted_at <= $3
GROUP BY terminal_id`;

const DLQ_NEW = `
SELECT terminal_id, count(*)::int AS n FROM dlq_items
WHERE organization_id = $1 AND created_at > $2 AND created_at <= $3
GROUP BY terminal_id`;

/** What the rules need of every active till of one organization, as of `now`. */
export async function readTillFacts(
  sql: SqlRunner,
  organizationId: string,
  thresholds: TAlertThresholds,
  now: Date,
): Promise<TillFacts[]> {
  const tills = await sql.query<TillRow>(TILLS, [organizationId]);
  if (tills.length === 0) return [];
  const open = tills.flatMap((till) =>
    breakersOf(till.breakers ?? {}, till.snapshot)
      .filter((b) => b.state !== "closed")
      .map((b) => ({ terminalId: till.id, ...b })),
  );
  const [since, latency, dlq] = await Promise.all([
    open.length === 0
      ? []
      : sql.query<{ terminal_id: string; destination: string; since: Date }>(NOT_CLOSED_SINCE, [
          organizationId,
          open.map((b) => b.terminalId),
          open.map((b) => b.destination),
        ]),
    sql.query<{ terminal_id: string; p95_ms: number | string }>(SYNC_LATENCY, [
      organizationId,
      new Date(now.getTime() - SYNC_LATENCY_WINDOW_MS),
      now,
    ]),
    sql.query<{ terminal_id: string; n: number }>(DLQ_NEW, [
      organizationId,
      new Date(now.getTime() - thresholds.dlqGrowthWindowMinutes * 60_000),
      now,
    ]),
  ]);
  const sinceOf = new Map(since.map((r) => [`${r.terminal_id}:${r.destination}`, new Date(r.since)]));
  const latencyOf = new Map(latency.map((r) => [r.terminal_id, Number(r.p95_ms)]));
  const dlqOf = new Map(dlq.map((r) => [r.terminal_id, Number(r.n)]));
  return tills.map((till) => {
    const p95 = latencyOf.get(till.id);
    const fn = fnBacklog(
      till.snapshot,
      {
        terminalId: till.id,
        ofdUnsentCount: till.ofd_unsent_count,
        ofdOldestUnsentAt: till.ofd_oldest_unsent_at,
        ofdMeasuredAt: till.ofd_measured_at,
      },
      now,
    );
    return {
      terminalId: till.id,
      storeId: till.store_id,
      lastSyncAt: till.last_sync_at,
      clockSkewMs: till.clock_skew_ms,
      bufferFillPercent: till.snapshot?.bufferFillPercent ?? null,
      fnOldestUnsentAt: fn.unsentCount === 0 ? null : fn.oldestUnsentAt,
      breakersNotClosed: open
        .filter((b) => b.terminalId === till.id)
        .map((b) => ({
          destination: b.destination,
          since: sinceOf.get(`${till.id}:${b.destination}`) ?? b.since,
        })),
      // The till's clock stamped the accept: its skew (till − central) is added back.
      syncLatencyP95Ms: p95 === undefined ? null : Math.max(0, p95 + (till.clock_skew_ms ?? 0)),
      dlqNewInWindow: dlqOf.get(till.id) ?? 0,
    };
  });
}
