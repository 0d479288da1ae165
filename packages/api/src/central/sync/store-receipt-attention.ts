import type { TReceiptAttentionData, TReceiptVoidedData } from "../ingest/ingest-items.types.ts";
import { accepted, duplicate, type ItemResult, rejected } from "./item-result.ts";
import { RECOUNT } from "./shift-cash.ts";
import type { SqlRunner, TerminalScope } from "./sql.ts";

export interface ReceiptAttentionItem {
  id: string;
  hlc: string;
  data: TReceiptAttentionData;
}

export interface ReceiptVoidedItem {
  id: string;
  hlc: string;
  data: TReceiptVoidedData;
}

// Fills the columns only where still empty: a second delivery changes nothing, and a receipt
// that printed (fd_number set) never takes an attention mark — one receipt, one outcome.
const MARK_ATTENTION = `
UPDATE receipts r SET attention_code = v.code, attention_message = v.message, attention_at = v.at
FROM unnest($3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS v(id, code, message, at)
WHERE r.organization_id = $1 AND r.terminal_id = $2 AND r.id = v.id
  AND r.attention_at IS NULL AND r.fd_number IS NULL
RETURNING r.id`;

// The void is the audit record (who, when, why) and is written once. The till only voids a
// receipt that needed attention, so one that printed is refused instead of marked. The receipts it
// actually marked leave their shift's counted cash in the same statement (a repeat marks none).
const MARK_VOIDED = `
WITH voided AS (
UPDATE receipts r SET voided_at = v.at, voided_by = v.by, void_reason = v.reason
FROM unnest($3::text[], $4::timestamptz[], $5::text[], $6::text[]) AS v(id, at, by, reason)
WHERE r.organization_id = $1 AND r.terminal_id = $2 AND r.id = v.id
  AND r.voided_at IS NULL AND r.fd_number IS NULL
RETURNING r.id, r.shift_id, r.kind, r.cash_total
), uncounted AS (${RECOUNT("voided", -1)})
SELECT id FROM voided`;

const STORED = `
SELECT id, fd_number, attention_code, attention_message, voided_by, void_reason,
  to_char(attention_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS attention_at,
  to_char(voided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS voided_at
FROM receipts WHERE organization_id = $1 AND terminal_id = $2 AND id = ANY($3::text[])`;

interface StoredRow {
  id: string;
  fd_number: number | null;
  attention_code: string | null;
  attention_message: string | null;
  attention_at: string | null;
  voided_by: string | null;
  void_reason: string | null;
  voided_at: string | null;
}

const utcMs = (iso: string) => new Date(iso).toISOString().slice(0, 23);

/** `receipt_attention`: the till's register refused the receipt for its content. */
export async function storeReceiptAttention(
  sql: SqlRunner,
  terminal: TerminalScope,
  items: readonly ReceiptAttentionItem[],
): Promise<Map<string, ItemResult>> {
  const results = new Map<string, ItemResult>();
  if (items.length === 0) return results;
  const updated = await sql.query<{ id: string }>(MARK_ATTENTION, [
    terminal.organizationId,
    terminal.id,
    items.map((i) => i.id),
    items.map((i) => i.data.reason.kassaCode),
    items.map((i) => i.data.reason.message),
    items.map((i) => i.data.at),
  ]);
  for (const row of updated) results.set(row.id, accepted("receipt_attention", row.id));
  const rest = items.filter((i) => !results.has(i.id));
  if (rest.length === 0) return results;
  const stored = await storedRows(sql, terminal, rest);
  for (const item of rest) {
    const row = stored.get(item.id);
    if (!row) results.set(item.id, notYetHere("receipt_attention", item.id));
    else if (
      row.attention_code === item.data.reason.kassaCode &&
      row.attention_message === item.data.reason.message &&
      row.attention_at === utcMs(item.data.at)
    ) {
      results.set(item.id, duplicate("receipt_attention", item.id));
    } else {
      results.set(
        item.id,
        rejected(
          "receipt_attention",
          item.id,
          "ATTENTION_CONFLICT",
          row.fd_number !== null
            ? `Receipt ${item.id} is fiscalized as FD ${row.fd_number}; it cannot also be refused by the register. Check the till's fiscal archive.`
            : `Receipt ${item.id} already needs attention for another reason (${row.attention_code}); the stored reason is kept.`,
        ),
      );
    }
  }
  return results;
}

/** `receipt_voided`: support voided, on the till, a receipt its register refused. */
export async function storeReceiptVoids(
  sql: SqlRunner,
  terminal: TerminalScope,
  items: readonly ReceiptVoidedItem[],
): Promise<Map<string, ItemResult>> {
  const results = new Map<string, ItemResult>();
  if (items.length === 0) return results;
  const updated = await sql.query<{ id: string }>(MARK_VOIDED, [
    terminal.organizationId,
    terminal.id,
    items.map((i) => i.id),
    items.map((i) => i.data.at),
    items.map((i) => i.data.by),
    items.map((i) => i.data.reason),
  ]);
  for (const row of updated) results.set(row.id, accepted("receipt_voided", row.id));
  const rest = items.filter((i) => !results.has(i.id));
  if (rest.length === 0) return results;
  const stored = await storedRows(sql, terminal, rest);
  for (const item of rest) {
    const row = stored.get(item.id);
    if (!row) results.set(item.id, notYetHere("receipt_voided", item.id));
    else if (
      row.voided_by === item.data.by &&
      row.void_reason === item.data.reason &&
      row.voided_at === utcMs(item.data.at)
    ) {
      results.set(item.id, duplicate("receipt_voided", item.id));
    } else {
      results.set(
        item.id,
        rejected(
          "receipt_voided",
          item.id,
          "VOID_CONFLICT",
          row.fd_number !== null
            ? `Receipt ${item.id} is fiscalized as FD ${row.fd_number}: a fiscal receipt is undone with a refund, never voided.`
            : `Receipt ${item.id} was already voided by ${row.voided_by}; the stored void is kept.`,
        ),
      );
    }
  }
  return results;
}

async function storedRows(
  sql: SqlRunner,
  terminal: TerminalScope,
  items: readonly { id: string }[],
): Promise<Map<string, StoredRow>> {
  const rows = await sql.query<StoredRow>(STORED, [
    terminal.organizationId,
    terminal.id,
    items.map((i) => i.id),
  ]);
  return new Map(rows.map((row) => [row.id, row]));
}

/** The receipt itself is still on its way (or in this very batch after it): retry later. */
function notYetHere(kind: string, id: string): ItemResult {
  return rejected(
    kind,
    id,
    "RECEIPT_UNKNOWN",
    `Receipt ${id} has not reached the central server yet; deliver the receipt first.`,
    true,
  );
}
