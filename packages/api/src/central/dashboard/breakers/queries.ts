import type { CentralDatabase } from "../../context.ts";
import type { ScopedTerminal } from "../scoped-terminals.ts";
import type { BreakerTransitionRow } from "./segments.ts";

/** The destinations every till has (apps/terminal-agent/src/sync): asked for even when quiet in the window. */
export const KNOWN_DESTINATIONS = ["central", "ofd"] as const;

type Row = {
  id: string;
  terminal_id: string;
  destination: string;
  /** Epoch ms (a float8): parsing thousands of timestamptz strings cost more than the query. */
  at_ms: number;
  from_state: string;
  to_state: string;
  cause: string;
  failures: number;
};

const toTransition = (r: Row): BreakerTransitionRow => ({
  id: r.id,
  terminalId: r.terminal_id,
  destination: r.destination,
  at: new Date(r.at_ms),
  fromState: r.from_state,
  toState: r.to_state,
  cause: r.cause,
  failures: r.failures,
});

/**
 * The transitions of these terminals inside [from, to), oldest first, at most `limit` (one more is
 * read to tell the caller it was cut). Terminal ids are unique fleet-wide and already scoped.
 */
export async function transitionsInWindow(
  db: CentralDatabase,
  terminals: readonly ScopedTerminal[],
  window: { from: Date; to: Date },
  destination: string | undefined,
  limit: number,
): Promise<{ transitions: BreakerTransitionRow[]; truncated: boolean }> {
  if (terminals.length === 0) return { transitions: [], truncated: false };
  const rows = await db.sql.query<Row>(
    `SELECT id, terminal_id, destination, (extract(epoch FROM at) * 1000)::float8 AS at_ms, from_state, to_state,
       cause, failures
     FROM breaker_transitions
     WHERE organization_id = ANY($1::text[]) AND terminal_id = ANY($2::text[]) AND at >= $3 AND at < $4
       AND ($5::text IS NULL OR destination = $5)
     ORDER BY at, terminal_id, id
     LIMIT $6`,
    [
      [...new Set(terminals.map((t) => t.organizationId))],
      terminals.map((t) => t.id),
      window.from,
      window.to,
      destination ?? null,
      limit + 1,
    ],
  );
  return { transitions: rows.slice(0, limit).map(toTransition), truncated: rows.length > limit };
}

/**
 * Each (terminal, destination)'s last reported state before `at`: one index probe per pair on
 * (organization_id, terminal_id, destination, at), never a scan of the history. Pairs that never
 * reported are absent (closed).
 */
export async function statesBefore(
  db: CentralDatabase,
  terminals: readonly ScopedTerminal[],
  destinations: readonly string[],
  at: Date,
): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  if (terminals.length === 0 || destinations.length === 0) return states;
  const rows = await db.sql.query<{ terminal_id: string; destination: string; to_state: string }>(
    `SELECT t.terminal_id, d.destination, b.to_state
     FROM unnest($1::text[], $2::text[]) AS t(organization_id, terminal_id)
     CROSS JOIN unnest($3::text[]) AS d(destination)
     CROSS JOIN LATERAL (
       SELECT to_state FROM breaker_transitions b
       WHERE b.organization_id = t.organization_id AND b.terminal_id = t.terminal_id
         AND b.destination = d.destination AND b.at < $4
       ORDER BY b.at DESC, b.id DESC LIMIT 1
     ) b`,
    [terminals.map((t) => t.organizationId), terminals.map((t) => t.id), [...destinations], at],
  );
  for (const row of rows) states.set(`${row.terminal_id}/${row.destination}`, row.to_state);
  return states;
}
