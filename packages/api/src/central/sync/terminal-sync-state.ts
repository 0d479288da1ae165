import type { SqlRunner, TerminalScope } from "./sql.ts";

/**
 * After each push: when the terminal last synced, how far its clock is from ours (its HLC wall
 * time at send minus our receive time; the one-way network delay is inside it, a few ms), and the
 * OFD backlog its fiscal drive reported (the dashboard's 30-day rule).
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
): Promise<void> {
  await sql.query(
    "UPDATE terminals SET last_sync_at = $3, clock_skew_ms = $4 WHERE organization_id = $1 AND id = $2",
    [
      terminal.organizationId,
      terminal.id,
      state.now,
      Math.max(-2_000_000_000, Math.min(2_000_000_000, Math.round(state.clockSkewMs))),
    ],
  );
  await sql.query(
    `UPDATE terminal_sync_state SET last_hlc = GREATEST(COALESCE(last_hlc, ''), $3),
       ofd_unsent_count = CASE WHEN $4::boolean THEN $5::int ELSE ofd_unsent_count END,
       ofd_oldest_unsent_at = CASE WHEN $4::boolean THEN $6::timestamptz ELSE ofd_oldest_unsent_at END,
       ofd_measured_at = CASE WHEN $4::boolean THEN $7::timestamptz ELSE ofd_measured_at END
     WHERE organization_id = $1 AND terminal_id = $2`,
    [
      terminal.organizationId,
      terminal.id,
      state.hlc,
      state.ofd !== undefined,
      state.ofd?.unsentCount ?? null,
      state.ofd?.oldestUnsentAt ?? null,
      state.ofd?.measuredAt ?? null,
    ],
  );
}
