import type { TBreakerTransitionData } from "../ingest/ingest-items.types.ts";
import { accepted, duplicate, type ItemResult } from "./item-result.ts";
import type { SqlRunner, TerminalScope } from "./sql.ts";

export interface BreakerTransitionItem {
  id: string;
  data: TBreakerTransitionData;
}

const INSERT = `
INSERT INTO breaker_transitions (organization_id, terminal_id, id, destination, at, from_state, to_state, cause, failures)
SELECT $1, $2, v.id, v.dest, v.at, v.f, v.t, v.cause, v.failures
FROM unnest($3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::int[])
  AS v(id, dest, at, f, t, cause, failures)
ON CONFLICT DO NOTHING
RETURNING id`;

/** The breaker timeline is append-only: a transition delivered twice is stored once. */
export async function storeBreakerTransitions(
  sql: SqlRunner,
  terminal: TerminalScope,
  items: readonly BreakerTransitionItem[],
): Promise<Map<string, ItemResult>> {
  const results = new Map<string, ItemResult>();
  if (items.length === 0) return results;
  const rows = await sql.query<{ id: string }>(INSERT, [
    terminal.organizationId,
    terminal.id,
    items.map((i) => i.id),
    items.map((i) => i.data.destination),
    items.map((i) => i.data.at),
    items.map((i) => i.data.from),
    items.map((i) => i.data.to),
    items.map((i) => i.data.cause),
    items.map((i) => i.data.failures),
  ]);
  const done = new Set(rows.map((r) => r.id));
  for (const item of items) {
    results.set(
      item.id,
      done.has(item.id) ? accepted("breaker_transition", item.id) : duplicate("breaker_transition", item.id),
    );
  }
  return results;
}
