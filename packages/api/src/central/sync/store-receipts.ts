import type { TReceiptData } from "../ingest/ingest-items.types.ts";
import { bodyHash } from "./body-hash.ts";
import { accepted, duplicate, type ItemResult, rejected } from "./item-result.ts";
import { COUNT_DOCUMENTS, COUNT_STORED, RECOMPUTE_PREVIOUS } from "./shift-cash.ts";
import type { SqlRunner, TerminalScope } from "./sql.ts";
import { storeFiscalizations } from "./store-fiscalizations.ts";

export interface ReceiptItem {
  id: string;
  hlc: string;
  data: TReceiptData;
}

// One statement for the whole batch: unnest() turns column arrays into rows, so 1,000 receipts
// cost one round trip and one plan (Prisma's createMany is ~15× slower here: docs/stack.md). The
// rows it actually inserted (RETURNING: a duplicate returns nothing) go on their shift's counters
// and, when printed already, on their register shift's document count, in the same statement.
const INSERT_RECEIPTS = `
WITH stored AS (
INSERT INTO receipts (organization_id, terminal_id, store_id, id, idempotency_key, body_hash, seq, hlc, kind,
  tax_system, cashier_name, cashier_inn, total, cash_total, change, items, payments, accepted_at,
  fd_number, fiscal_sign, fn_number, shift_number, fiscalized_at, shift_id)
SELECT $1, $2, $3, v.id, v.ikey, v.hash, v.seq, v.hlc, v.kind::"ReceiptKind", v.tax, v.cname, v.cinn, v.total,
  v.cash, v.change, v.items::jsonb, v.payments::jsonb, v.accepted, v.fd, v.sign, v.fn, v.shift, v.fat, v.sid
FROM unnest($4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[],
  $12::text[], $13::bigint[], $14::bigint[], $15::bigint[], $16::text[], $17::text[], $18::timestamptz[],
  $19::int[], $20::text[], $21::text[], $22::int[], $23::timestamptz[], $24::text[])
  AS v(id, ikey, hash, seq, hlc, kind, tax, cname, cinn, total, cash, change, items, payments, accepted,
       fd, sign, fn, shift, fat, sid)
ON CONFLICT DO NOTHING
RETURNING id, shift_id, kind, cash_total, seq, hlc, fd_number, fn_number, shift_number, fiscalized_at
), counted AS (${COUNT_STORED("stored")}), documented AS (${COUNT_DOCUMENTS("stored")})
SELECT id, shift_id, hlc FROM stored`;

const EXISTING = `
SELECT id, body_hash, idempotency_key FROM receipts
WHERE organization_id = $1 AND terminal_id = $2 AND (id = ANY($3::text[]) OR idempotency_key = ANY($4::text[]))`;

/**
 * The body a receipt's hash covers: everything the till decided, not the fiscal attributes added
 * later, nor its shiftId — which older agents did not send, so a receipt stored from one and
 * delivered again after the till's upgrade is still the same receipt (a duplicate, not a conflict).
 */
function hashedBody(data: TReceiptData): string {
  const { fiscal: _fiscal, shiftId: _shiftId, ...body } = data;
  return bodyHash(body);
}

function cashTotal(data: TReceiptData): number {
  const cash = data.payments.filter((p) => p.type === "cash").reduce((sum, p) => sum + p.amount, 0);
  return cash - data.change;
}

/**
 * Stores receipts idempotently: a receipt already stored with the same body is a duplicate; the
 * same id (or idempotency key) with another body is rejected and the stored one is kept.
 */
export async function storeReceipts(
  sql: SqlRunner,
  terminal: TerminalScope,
  items: readonly ReceiptItem[],
): Promise<Map<string, ItemResult>> {
  const results = new Map<string, ItemResult>();
  const hashes = new Map<string, string>();
  const fresh: ReceiptItem[] = [];
  const freshKeys = new Set<string>();
  // Ids are unique here (the batch was de-duplicated by the caller); idempotency keys may not be.
  for (const item of items) {
    hashes.set(item.id, hashedBody(item.data));
    if (freshKeys.has(item.data.idempotencyKey)) {
      results.set(item.id, idempotencyConflict(item.id, item.data.idempotencyKey));
      continue;
    }
    freshKeys.add(item.data.idempotencyKey);
    fresh.push(item);
  }

  const inserted = new Set<string>();
  if (fresh.length > 0) {
    const rows = await sql.query<{ id: string; shift_id: string | null; hlc: string }>(INSERT_RECEIPTS, [
      terminal.organizationId,
      terminal.id,
      terminal.storeId,
      fresh.map((r) => r.id),
      fresh.map((r) => r.data.idempotencyKey),
      fresh.map((r) => hashes.get(r.id)),
      fresh.map((r) => r.data.seq),
      fresh.map((r) => r.hlc),
      fresh.map((r) => r.data.kind),
      fresh.map((r) => r.data.taxSystem),
      fresh.map((r) => r.data.cashier.name),
      fresh.map((r) => r.data.cashier.inn ?? null),
      fresh.map((r) => r.data.total),
      fresh.map((r) => cashTotal(r.data)),
      fresh.map((r) => r.data.change),
      fresh.map((r) => JSON.stringify(r.data.items)),
      fresh.map((r) => JSON.stringify(r.data.payments)),
      fresh.map((r) => r.data.acceptedAt),
      fresh.map((r) => r.data.fiscal?.fdNumber ?? null),
      fresh.map((r) => r.data.fiscal?.fiscalSign ?? null),
      fresh.map((r) => r.data.fiscal?.fnNumber ?? null),
      fresh.map((r) => r.data.fiscal?.shiftNumber ?? null),
      fresh.map((r) => r.data.fiscal?.dateTime ?? null),
      fresh.map((r) => r.data.shiftId ?? null),
    ]);
    for (const row of rows) inserted.add(row.id);
    if (rows.length > 0) {
      // The stored receipts may be the previous receipt of their shift or of the one after them.
      const hlcs = rows.map((r) => r.hlc).sort();
      await sql.query(RECOMPUTE_PREVIOUS, [
        terminal.organizationId,
        terminal.id,
        [...new Set(rows.flatMap((r) => (r.shift_id ? [r.shift_id] : [])))],
        hlcs[0],
        hlcs[hlcs.length - 1],
      ]);
    }
  }

  const missed = fresh.filter((r) => !inserted.has(r.id));
  const withFiscal: { id: string; hlc: string; data: NonNullable<TReceiptData["fiscal"]> }[] = [];
  if (missed.length > 0) {
    const existing = await sql.query<{ id: string; body_hash: string; idempotency_key: string }>(EXISTING, [
      terminal.organizationId,
      terminal.id,
      missed.map((r) => r.id),
      missed.map((r) => r.data.idempotencyKey),
    ]);
    const byId = new Map(existing.map((row) => [row.id, row]));
    const byKey = new Map(existing.map((row) => [row.idempotency_key, row]));
    for (const item of missed) {
      const row = byId.get(item.id);
      if (row && row.body_hash === hashes.get(item.id)) {
        results.set(item.id, duplicate("receipt", item.id));
        if (item.data.fiscal) withFiscal.push({ id: item.id, hlc: item.hlc, data: item.data.fiscal });
      } else if (row) {
        results.set(item.id, conflict(item.id));
      } else {
        const other = byKey.get(item.data.idempotencyKey);
        results.set(item.id, idempotencyConflict(item.id, item.data.idempotencyKey, other?.id));
      }
    }
  }
  for (const id of inserted) results.set(id, accepted("receipt", id));
  // A duplicate that now carries fiscal attributes completes the stored row (same rules as
  // receipt_fiscalized); its own answer stays "duplicate".
  if (withFiscal.length > 0) await storeFiscalizations(sql, terminal, withFiscal);
  return results;
}

function conflict(id: string): ItemResult {
  return rejected(
    "receipt",
    id,
    "RECEIPT_CONFLICT",
    `Receipt ${id} is already stored with a different body; the stored receipt is kept. Issue the sale again under a new receipt id.`,
  );
}

function idempotencyConflict(id: string, key: string, otherId?: string): ItemResult {
  return rejected(
    "receipt",
    id,
    "IDEMPOTENCY_CONFLICT",
    `Idempotency key "${key}" already belongs to ${otherId ? `receipt ${otherId}` : "another receipt in this batch"}; receipt ${id} was not stored.`,
  );
}
