import { bodyHash } from "./body-hash.ts";
import { accepted, duplicate, type ItemResult, rejected } from "./item-result.ts";
import { COUNT_MOVEMENTS, NAME_SNAPSHOTS } from "./shift-cash.ts";
import type { SqlRunner, TerminalScope } from "./sql.ts";

export interface RecordItem {
  kind: string;
  id: string;
  hlc: string;
  data: unknown;
}

// The cash movements it actually inserted (RETURNING: a duplicate returns nothing; only snapshot
// kinds are ever updated) go on their shift's cash in/out in the same statement (shift-cash.ts).
const INSERT_RECORDS = `
WITH stored AS (
INSERT INTO terminal_records (organization_id, terminal_id, kind, id, hlc, body_hash, data)
SELECT $1, $2, v.kind, v.id, v.hlc, v.hash, v.data::jsonb
FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS v(kind, id, hlc, hash, data)
ON CONFLICT (organization_id, terminal_id, kind, id) DO UPDATE SET
  hlc = EXCLUDED.hlc, body_hash = EXCLUDED.body_hash, data = EXCLUDED.data, received_at = now()
WHERE terminal_records.kind = ANY($8::text[]) AND terminal_records.hlc < EXCLUDED.hlc
RETURNING kind, id, hlc, data
), moved AS (${COUNT_MOVEMENTS("stored")})
SELECT kind, id, hlc, CASE WHEN kind = 'shift' THEN data->>'openedAt' END AS opened FROM stored`;

/**
 * Kinds whose item is a snapshot of something that changes (a shift: open, then closed with its Z
 * data): a later HLC replaces the stored snapshot, an earlier one is a harmless replay. Every
 * other kind is immutable once stored.
 */
const SNAPSHOT_KINDS = ["shift"];

const STORED = `
SELECT kind, id, body_hash FROM terminal_records
WHERE organization_id = $1 AND terminal_id = $2 AND kind = ANY($3::text[]) AND id = ANY($4::text[])`;

/** Shifts, cash movements, RUM samples, device events: immutable once stored, like receipts. */
export async function storeRecords(
  sql: SqlRunner,
  terminal: TerminalScope,
  items: readonly RecordItem[],
): Promise<Map<string, ItemResult>> {
  const results = new Map<string, ItemResult>();
  if (items.length === 0) return results;
  const hashes = items.map((i) => bodyHash(i.data));
  const inserted = await sql.query<{ kind: string; id: string; hlc: string; opened: string | null }>(
    INSERT_RECORDS,
    [
      terminal.organizationId,
      terminal.id,
      items.map((i) => i.kind),
      items.map((i) => i.id),
      items.map((i) => i.hlc),
      hashes,
      items.map((i) => JSON.stringify(i.data)),
      SNAPSHOT_KINDS,
    ],
  );
  for (const row of inserted) results.set(`${row.kind}:${row.id}`, accepted(row.kind, row.id));
  // A separate statement: the movements' counters above may be the same rows (one statement must
  // not change a row twice).
  const snapshots = inserted.filter((row) => row.kind === "shift");
  if (snapshots.length > 0) {
    await sql.query(NAME_SNAPSHOTS, [
      terminal.organizationId,
      terminal.id,
      snapshots.map((r) => r.id),
      snapshots.map((r) => r.hlc),
      snapshots.map((r) => r.opened),
    ]);
  }
  const rest = items
    .map((item, index) => ({ item, hash: hashes[index] }))
    .filter(({ item }) => !results.has(`${item.kind}:${item.id}`));
  if (rest.length === 0) return results;
  const stored = await sql.query<{ kind: string; id: string; body_hash: string }>(STORED, [
    terminal.organizationId,
    terminal.id,
    [...new Set(rest.map(({ item }) => item.kind))],
    rest.map(({ item }) => item.id),
  ]);
  const byKey = new Map(stored.map((row) => [`${row.kind}:${row.id}`, row.body_hash]));
  for (const { item, hash } of rest) {
    const key = `${item.kind}:${item.id}`;
    results.set(
      key,
      byKey.get(key) === hash || SNAPSHOT_KINDS.includes(item.kind)
        ? duplicate(item.kind, item.id)
        : rejected(
            item.kind,
            item.id,
            "RECORD_CONFLICT",
            `${item.kind} ${item.id} is already stored with a different body; the stored one is kept.`,
          ),
    );
  }
  return results;
}
