import type { TFiscalAttributes } from "../ingest/ingest-items.types.ts";
import { accepted, duplicate, type ItemResult, rejected } from "./item-result.ts";
import { COUNT_DOCUMENTS, RECOUNT } from "./shift-cash.ts";
import type { SqlRunner, TerminalScope } from "./sql.ts";

export interface FiscalizationItem {
  id: string;
  hlc: string;
  data: TFiscalAttributes;
}

// Fills the fiscal columns only where they are still empty: a second delivery changes nothing. A
// voided receipt that gets a fiscal document after all counts as cash again (its shift's counters);
// every filled receipt is one more stored document of its register shift.
const FILL_FISCAL = `
WITH filled AS (
UPDATE receipts r SET fd_number = v.fd, fiscal_sign = v.sign, fn_number = v.fn, shift_number = v.shift,
  fiscalized_at = v.fat
FROM unnest($3::text[], $4::int[], $5::text[], $6::text[], $7::int[], $8::timestamptz[])
  AS v(id, fd, sign, fn, shift, fat)
WHERE r.organization_id = $1 AND r.terminal_id = $2 AND r.id = v.id AND r.fd_number IS NULL
RETURNING r.id, r.shift_id, r.kind, r.cash_total, r.voided_at, r.fd_number, r.fn_number, r.shift_number,
  r.fiscalized_at
), recounted AS (${RECOUNT("(SELECT * FROM filled WHERE voided_at IS NOT NULL)", 1)}),
documented AS (${COUNT_DOCUMENTS("filled")})
SELECT id FROM filled`;

const STORED_FISCAL = `
SELECT id, fd_number, fiscal_sign, fn_number, shift_number FROM receipts
WHERE organization_id = $1 AND terminal_id = $2 AND id = ANY($3::text[])`;

/**
 * Records fiscal attributes on receipts already stored. The same attributes again are a duplicate;
 * other attributes for an already fiscalized receipt are rejected (one receipt, one fiscal
 * document); a receipt not yet here is a retryable rejection (it is still on its way).
 */
export async function storeFiscalizations(
  sql: SqlRunner,
  terminal: TerminalScope,
  items: readonly FiscalizationItem[],
): Promise<Map<string, ItemResult>> {
  const results = new Map<string, ItemResult>();
  if (items.length === 0) return results;
  const updated = await sql.query<{ id: string }>(FILL_FISCAL, [
    terminal.organizationId,
    terminal.id,
    items.map((i) => i.id),
    items.map((i) => i.data.fdNumber),
    items.map((i) => i.data.fiscalSign),
    items.map((i) => i.data.fnNumber),
    items.map((i) => i.data.shiftNumber),
    items.map((i) => i.data.dateTime),
  ]);
  const done = new Set(updated.map((row) => row.id));
  for (const id of done) results.set(id, accepted("receipt_fiscalized", id));
  const rest = items.filter((i) => !done.has(i.id));
  if (rest.length === 0) return results;

  const stored = await sql.query<{
    id: string;
    fd_number: number | null;
    fiscal_sign: string | null;
    fn_number: string | null;
    shift_number: number | null;
  }>(STORED_FISCAL, [terminal.organizationId, terminal.id, rest.map((i) => i.id)]);
  const byId = new Map(stored.map((row) => [row.id, row]));
  for (const item of rest) {
    const row = byId.get(item.id);
    if (!row) {
      results.set(
        item.id,
        rejected(
          "receipt_fiscalized",
          item.id,
          "RECEIPT_UNKNOWN",
          `Receipt ${item.id} has not reached the central server yet; deliver the receipt first.`,
          true,
        ),
      );
    } else if (
      row.fd_number === item.data.fdNumber &&
      row.fiscal_sign === item.data.fiscalSign &&
      row.fn_number === item.data.fnNumber &&
      row.shift_number === item.data.shiftNumber
    ) {
      results.set(item.id, duplicate("receipt_fiscalized", item.id));
    } else {
      results.set(
        item.id,
        rejected(
          "receipt_fiscalized",
          item.id,
          "FISCAL_CONFLICT",
          `Receipt ${item.id} is already fiscalized as FD ${row.fd_number} (FN ${row.fn_number}); the new attributes (FD ${item.data.fdNumber}) were refused. Check the device's fiscal archive.`,
        ),
      );
    }
  }
  return results;
}
