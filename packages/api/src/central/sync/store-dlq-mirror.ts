import type { TDlqData } from "../ingest/ingest-items.types.ts";
import { accepted, duplicate, type ItemResult } from "./item-result.ts";
import type { SqlRunner, TerminalScope } from "./sql.ts";
import { storableText } from "./storable.ts";

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
  decode(v.payload, 'base64'), v.discard, v.hlc, $4
FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::int[],
  $13::text[], $14::text[], $15::text[], $16::text[])
  AS v(id, dest, ikind, iid, status, reason, fp, attempts, errors, payload, discard, hlc)
ON CONFLICT (organization_id, terminal_id, id) DO UPDATE SET
  status = EXCLUDED.status, reason = EXCLUDED.reason, fingerprint = EXCLUDED.fingerprint,
  attempts = EXCLUDED.attempts, errors = EXCLUDED.errors, discard_reason = EXCLUDED.discard_reason,
  hlc = EXCLUDED.hlc, updated_at = EXCLUDED.updated_at
WHERE dlq_items.hlc < EXCLUDED.hlc
RETURNING id`;

/**
 * The dead item's payload as stored: its bytes (`bytea`), never parsed, so the mirror cannot fail
 * the way the item did (U+0000, a lone surrogate, a number jsonb refuses — all just bytes here).
 * An agent before `payloadBase64` sent the parsed payload: its JSON text is stored instead.
 */
function payloadBase64(data: TDlqData): string {
  if (data.payloadBase64 !== undefined) return data.payloadBase64;
  return Buffer.from(JSON.stringify(data.payload ?? null) ?? "null", "utf8").toString("base64");
}

/** A mirrored payload for people: the bytes as UTF-8 text and, when it is JSON, pretty-printed. */
export function readDlqPayload(bytes: Uint8Array): { text: string; json: unknown; pretty: string } {
  const text = Buffer.from(bytes).toString("utf8");
  try {
    const json: unknown = JSON.parse(text);
    // JSON.stringify spells U+0000 and lone surrogates as \u escapes: the view shows what broke.
    return { text, json, pretty: JSON.stringify(json, null, 2) };
  } catch {
    return { text, json: undefined, pretty: text };
  }
}

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
    // The words around the payload describe a failure and may quote what broke it: made storable.
    items.map((i) => storableText(i.data.destination)),
    items.map((i) => storableText(i.data.itemKind)),
    items.map((i) => storableText(i.data.itemId)),
    items.map((i) => i.data.status),
    items.map((i) => storableText(i.data.reason)),
    items.map((i) => storableText(i.data.fingerprint)),
    items.map((i) => i.data.attempts),
    items.map((i) =>
      JSON.stringify(i.data.errors.map((e) => ({ at: e.at, message: storableText(e.message) }))),
    ),
    items.map((i) => payloadBase64(i.data)),
    items.map((i) => (i.data.discardReason === undefined ? null : storableText(i.data.discardReason))),
    items.map((i) => i.hlc),
  ]);
  const done = new Set(rows.map((r) => r.id));
  for (const item of items) {
    results.set(item.id, done.has(item.id) ? accepted("dlq_item", item.id) : duplicate("dlq_item", item.id));
  }
  return results;
}
