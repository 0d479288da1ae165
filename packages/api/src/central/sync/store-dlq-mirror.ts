import type { TDlqData } from "../ingest/ingest-items.types.ts";
import { accepted, duplicate, type ItemResult } from "./item-result.ts";
import type { SqlRunner, TerminalScope } from "./sql.ts";

export interface DlqMirrorItem {
  id: string;
  hlc: string;
  data: TDlqData;
}

// The mirror follows the agent's DLQ: a newer state (later HLC) replaces an older one, an older or
// equal one changes nothing, so replays and reordering are harmless.
const UPSERT = `
INSERT INTO dlq_items (organization_id, terminal_id, store_id, id, destination, item_kind, item_id, status, reason,
  fingerprint, attempts, errors, payload, discard_reason, hlc, updated_at)
SELECT $1, $2, $3, v.id, v.dest, v.ikind, v.iid, v.status, v.reason, v.fp, v.attempts, v.errors::jsonb,
  v.payload::jsonb, v.discard, v.hlc, $4
FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::int[],
  $13::text[], $14::text[], $15::text[], $16::text[])
  AS v(id, dest, ikind, iid, status, reason, fp, attempts, errors, payload, discard, hlc)
ON CONFLICT (organization_id, terminal_id, id) DO UPDATE SET
  status = EXCLUDED.status, reason = EXCLUDED.reason, fingerprint = EXCLUDED.fingerprint,
  attempts = EXCLUDED.attempts, errors = EXCLUDED.errors, discard_reason = EXCLUDED.discard_reason,
  hlc = EXCLUDED.hlc, updated_at = EXCLUDED.updated_at
WHERE dlq_items.hlc < EXCLUDED.hlc
RETURNING id`;

export async function storeDlqMirror(
  sql: SqlRunner,
  terminal: TerminalScope,
  items: readonly DlqMirrorItem[],
  now: Date,
): Promise<Map<string, ItemResult>> {
  const results = new Map<string, ItemResult>();
  if (items.length === 0) return results;
  const rows = await sql.query<{ id: string }>(UPSERT, [
    terminal.organizationId,
    terminal.id,
    terminal.storeId,
    now,
    items.map((i) => i.id),
    items.map((i) => i.data.destination),
    items.map((i) => i.data.itemKind),
    items.map((i) => i.data.itemId),
    items.map((i) => i.data.status),
    items.map((i) => i.data.reason),
    items.map((i) => i.data.fingerprint),
    items.map((i) => i.data.attempts),
    items.map((i) => JSON.stringify(i.data.errors)),
    items.map((i) => JSON.stringify(i.data.payload ?? null)),
    items.map((i) => i.data.discardReason ?? null),
    items.map((i) => i.hlc),
  ]);
  const done = new Set(rows.map((r) => r.id));
  for (const item of items) {
    results.set(item.id, done.has(item.id) ? accepted("dlq_item", item.id) : duplicate("dlq_item", item.id));
  }
  return results;
}
