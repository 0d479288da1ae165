import type { TFiscalAttributes } from "../ingest/ingest-items.types.ts";
import type { ItemResult } from "./item-result.ts";
import { COUNT_CORRECTION_CASH, COUNT_DOCUMENTS } from "./shift-cash.ts";
import type { SqlRunner, TerminalScope } from "./sql.ts";

const COUNT_CORRECTIONS = `
WITH f AS (
  SELECT * FROM unnest($3::int[], $4::text[], $5::int[], $6::timestamptz[])
    AS f(fd_number, fn_number, shift_number, fiscalized_at)
)${COUNT_DOCUMENTS("f")}`;

/**
 * A correction receipt is a fiscal document of its register shift like a receipt: cash
 * reconciliation expects closeFd − openFd − 1 documents stored, so a shift with a correction would
 * otherwise look provisional for ever. Counted for the `correction_fiscalized` records this batch
 * actually stored (accepted: a redelivery is a duplicate and counts nothing); the corrections
 * themselves are terminal_records (store-records.ts).
 */
export async function countCorrectionDocuments(
  sql: SqlRunner,
  terminal: TerminalScope,
  items: readonly { kind: string; id: string; data: unknown }[],
  results: ReadonlyMap<string, ItemResult>,
): Promise<void> {
  const stored = items
    .filter((i) => i.kind === "correction_fiscalized")
    .filter((i) => results.get(`${i.kind}:${i.id}`)?.status === "accepted")
    .map((i) => i.data as TFiscalAttributes);
  if (stored.length === 0) return;
  await sql.query(COUNT_CORRECTIONS, [
    terminal.organizationId,
    terminal.id,
    stored.map((f) => f.fdNumber),
    stored.map((f) => f.fnNumber),
    stored.map((f) => f.shiftNumber),
    stored.map((f) => f.dateTime),
  ]);
}

/**
 * A fiscalized correction moves its shift's drawer (shift-cash.ts COUNT_CORRECTION_CASH): counted
 * for the corrections of which this batch stored the correction or its correction_fiscalized
 * (accepted; a duplicate or a RECORD_CONFLICT stores nothing), once both halves are stored.
 */
export async function countCorrectionCash(
  sql: SqlRunner,
  terminal: TerminalScope,
  items: readonly { kind: string; id: string }[],
  results: ReadonlyMap<string, ItemResult>,
): Promise<void> {
  const ids = [
    ...new Set(
      items
        .filter((i) => i.kind === "correction" || i.kind === "correction_fiscalized")
        .filter((i) => results.get(`${i.kind}:${i.id}`)?.status === "accepted")
        .map((i) => i.id),
    ),
  ];
  if (ids.length === 0) return;
  await sql.query(COUNT_CORRECTION_CASH, [terminal.organizationId, terminal.id, ids]);
}
