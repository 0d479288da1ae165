import type { DlqAction, SyncCommandOut } from "./commands.ts";
import type { SqlRunner, TerminalScope } from "./sql.ts";

/**
 * A gap between two pushes longer than this starts a new "online since" (the same 2 minutes as the
 * dashboard's online window: a few sync rounds of an idle agent).
 */
export const ONLINE_GAP_MS = 2 * 60 * 1000;

/** Commands handed back with one answer at most; the rest ride the next ones. */
const COMMANDS_PER_ANSWER = 100;

// One statement, one round trip per push. Its parts share the statement's snapshot, so the online
// run reads the *previous* push's last_sync_at although the same statement moves it.
const RECORD_SYNC = `
WITH touched AS (
  -- A till pushing again after a gap longer than the online window is online from now on.
  INSERT INTO terminal_status (organization_id, terminal_id, online_since) VALUES ($1, $2, $3::timestamptz)
  ON CONFLICT (organization_id, terminal_id) DO UPDATE SET online_since = CASE
    WHEN terminal_status.online_since IS NULL OR COALESCE((SELECT last_sync_at FROM terminals
      WHERE organization_id = $1 AND id = $2), '-infinity') < $3::timestamptz - make_interval(secs => $4::double precision / 1000)
    THEN $3::timestamptz ELSE terminal_status.online_since END
), synced AS (
  UPDATE terminals SET last_sync_at = $3::timestamptz, clock_skew_ms = $5 WHERE organization_id = $1 AND id = $2
), state AS (
  UPDATE terminal_sync_state SET last_hlc = GREATEST(COALESCE(last_hlc, ''), $6),
    ofd_unsent_count = CASE WHEN $7::boolean THEN $8::int ELSE ofd_unsent_count END,
    ofd_oldest_unsent_at = CASE WHEN $7::boolean THEN $9::timestamptz ELSE ofd_oldest_unsent_at END,
    ofd_measured_at = CASE WHEN $7::boolean THEN $10::timestamptz ELSE ofd_measured_at END
  WHERE organization_id = $1 AND terminal_id = $2
), delivered AS (
  -- Commands not yet acknowledged, oldest first: sent with every answer until acknowledged.
  UPDATE sync_commands SET delivered_at = COALESCE(delivered_at, $3::timestamptz)
  WHERE (organization_id, terminal_id, id) IN (
    SELECT organization_id, terminal_id, id FROM sync_commands
    WHERE organization_id = $1 AND terminal_id = $2 AND acked_at IS NULL
    ORDER BY issued_at LIMIT $11)
  RETURNING id, action, dlq_item_id, reason, issued_at
)
-- UPDATE … RETURNING yields rows in no particular order: sorted, so a retry and a later discard of
-- the same item reach the terminal in the order support issued them.
SELECT id, action, dlq_item_id, reason FROM delivered ORDER BY issued_at, id`;

/**
 * After each push, in one statement: the till's online run, when it last synced, how far its clock
 * is from ours (its HLC wall time at send minus our receive time; the one-way network delay is
 * inside it, a few ms), its newest HLC, the OFD backlog its fiscal drive reported (the dashboard's
 * 30-day rule) — and the support commands to hand back, marked delivered.
 */
export async function recordTerminalSync(
  sql: SqlRunner,
  terminal: TerminalScope,
  state: {
    now: Date;
    clockSkewMs: number;
    hlc: string;
    ofd: { unsentCount: number; oldestUnsentAt: string | null; measuredAt: string } | undefined;
  },
  commandLimit = COMMANDS_PER_ANSWER,
): Promise<SyncCommandOut[]> {
  const rows = await sql.query<{ id: string; action: DlqAction; dlq_item_id: string; reason: string | null }>(
    RECORD_SYNC,
    [
      terminal.organizationId,
      terminal.id,
      state.now,
      ONLINE_GAP_MS,
      Math.max(-2_000_000_000, Math.min(2_000_000_000, Math.round(state.clockSkewMs))),
      state.hlc,
      state.ofd !== undefined,
      state.ofd?.unsentCount ?? null,
      state.ofd?.oldestUnsentAt ?? null,
      state.ofd?.measuredAt ?? null,
      commandLimit,
    ],
  );
  return rows.map((r) => ({ id: r.id, action: r.action, dlqItemId: r.dlq_item_id, reason: r.reason }));
}
