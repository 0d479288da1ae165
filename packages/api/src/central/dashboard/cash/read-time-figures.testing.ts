import type { CentralDatabase } from "../../context.ts";
import type { ShiftKey, StoredFigures } from "./ledger-queries.ts";

/**
 * The read-time sums the ledger's counters replaced (tests only): per shift, its receipts (those
 * naming it and those matched by time), its cash movements and fiscalized corrections summed from
 * the stored rows, and its register shift's stored documents. The cash page reads the counters
 * ingest keeps (readLedger); cash-ledger-review.integration.test.ts holds every shift it pushed
 * against these sums, written independently of the ledger's statement on purpose.
 */

// A voided receipt (status voided: no fiscal document, voided on the till) never counts as cash.
const COUNTED = "NOT (x.voided_at IS NOT NULL AND x.fd_number IS NULL)";
// Cash records are stored as the till sent them: an amount that is not a plain integer is ignored.
const AMOUNT = "CASE WHEN c.data->>'amount' ~ '^[0-9]{1,15}$' THEN (c.data->>'amount')::bigint END";

/**
 * A fiscalized correction receipt's cash (the cash paid less the change) moves the drawer like a cash
 * in (income, expense return) or out (income return, expense): the till's journal counts it so too
 * (the agent's cashSummary). Only with its fiscal document (correction_fiscalized): one the register
 * refused never moved cash. Corrections are terminal_records (ingest/ingest-items.types.ts).
 */
const CORRECTION_CASH = `
SELECT coalesce(sum(x.net) FILTER (WHERE x.kind IN ('income', 'expense_return')), 0)::bigint AS cash_in,
       coalesce(sum(x.net) FILTER (WHERE x.kind IN ('income_return', 'expense')), 0)::bigint AS cash_out
FROM (
  SELECT r.data->>'kind' AS kind,
    (r.data->'payments'->>'cash')::bigint - least((r.data->'payments'->>'cash')::bigint, greatest(0,
      (r.data->'payments'->>'cash')::bigint + (r.data->'payments'->>'electronic')::bigint - (r.data->>'total')::bigint)) AS net
  FROM terminal_records r
  WHERE r.organization_id = v.org AND r.terminal_id = v.terminal AND r.kind = 'correction'
    AND r.data->>'shiftId' = v.shift
    AND EXISTS (SELECT 1 FROM terminal_records f WHERE f.organization_id = r.organization_id
      AND f.terminal_id = r.terminal_id AND f.kind = 'correction_fiscalized' AND f.id = r.id)
) x`;

/**
 * Which receipts naming no shift are the shift's by time, as a range of the partial
 * (organization_id, terminal_id, hlc) WHERE shift_id IS NULL index plus the exact test on
 * accepted_at. A till's HLC is never behind the wall clock that stamped accepted_at, so nothing
 * accepted after the opening has an HLC below its wall time; and the HLC only grows, so everything
 * accepted before the close has an HLC below the closed snapshot's.
 */
const IN_SHIFT_BY_TIME = `x.organization_id = v.org AND x.terminal_id = v.terminal AND x.shift_id IS NULL
         AND x.hlc >= lpad((extract(epoch FROM v.opened) * 1000)::bigint::text, 13, '0')
         AND (v.close_hlc IS NULL OR x.hlc <= v.close_hlc)
         AND x.accepted_at >= v.opened AND (v.closed IS NULL OR x.accepted_at <= v.closed)
         -- Where two shifts' times meet, the receipt is the earlier one's if it came before that
         -- shift's snapshot (another snapshot of the till at or after it, before this one's).
         AND NOT EXISTS (
           SELECT 1 FROM terminal_records o, terminal_records own
           WHERE own.organization_id = v.org AND own.terminal_id = v.terminal AND own.kind = 'shift' AND own.id = v.shift
             AND o.organization_id = v.org AND o.terminal_id = v.terminal AND o.kind = 'shift' AND o.id <> v.shift
             AND o.hlc >= x.hlc AND o.hlc < own.hlc)`;

/**
 * The shifts as one JSON parameter (shiftParams), one row each with its place `i` (1…n). Thousands
 * of shifts as eight typed arrays cost more to serialize in node-postgres (escaping each element,
 * formatting each Date in JS) than the statements took to run; JSON.stringify and PostgreSQL's
 * json_to_recordset are native on both ends.
 */
const SHIFTS = `json_to_recordset($1::json)
       AS v(i int, org text, terminal text, shift text, number int, opened timestamptz, closed timestamptz,
            open_fd int, close_fd int, close_hlc text)`;

const shiftParams = (shifts: readonly ShiftKey[]) => [
  JSON.stringify(
    shifts.map((s, n) => ({
      i: n + 1,
      org: s.organizationId,
      terminal: s.terminalId,
      shift: s.shiftId,
      number: s.number,
      opened: s.openedAt.toISOString(),
      closed: s.closedAt?.toISOString() ?? null,
      open_fd: s.openFd,
      close_fd: s.closeFd,
      close_hlc: s.closeHlc,
    })),
  ),
];

/**
 * Two statements for all the shifts, run side by side: per shift, its counters row (receipts
 * naming it) and the receipts matched by time (IN_SHIFT_BY_TIME), the till's receipt just before its first (seq and HLC both grow in accept order, so the previous
 * HLC is the previous seq: one index probe), and its cash in/out. A till numbers its receipts once
 * each (seq is unique per till), so the counted receipts are as many distinct seqs; and the
 * stored fiscal documents of its register shift (fiscalStored).
 */
export async function readTimeFigures(
  db: CentralDatabase,
  shifts: readonly ShiftKey[],
): Promise<StoredFigures[]> {
  if (shifts.length === 0) return [];
  const [rows, fiscal] = await Promise.all([receiptFigures(db, shifts), fiscalStored(db, shifts)]);
  return rows.map((r, n) => {
    const previousSeq = r.prev_seq === null ? 0 : Number(r.prev_seq);
    const min = r.min_seq === null ? null : Number(r.min_seq);
    const max = r.max_seq === null ? null : Number(r.max_seq);
    return {
      cashSales: BigInt(r.sales),
      cashRefunds: BigInt(r.refunds),
      cashSalesAll: BigInt(r.sales_all),
      cashRefundsAll: BigInt(r.refunds_all),
      receipts: Number(r.receipts),
      voidedReceipts: Number(r.voided),
      fiscalStored: fiscal[n]!,
      holed:
        min !== null && max !== null && (min > previousSeq + 1 || max - min + 1 > Number(r.distinct_seqs)),
      previousSeq,
      cashIn: BigInt(r.cash_in),
      cashOut: BigInt(r.cash_out),
    };
  });
}

function receiptFigures(db: CentralDatabase, shifts: readonly ShiftKey[]) {
  return db.sql.query<{
    i: number;
    sales: bigint;
    refunds: bigint;
    sales_all: bigint;
    refunds_all: bigint;
    receipts: bigint;
    voided: bigint;
    min_seq: bigint | null;
    max_seq: bigint | null;
    distinct_seqs: bigint;
    prev_seq: bigint | null;
    cash_in: bigint;
    cash_out: bigint;
  }>(
    `SELECT v.i,
       coalesce(k.cash_sales, 0) + t.sales AS sales, coalesce(k.cash_refunds, 0) + t.refunds AS refunds,
       coalesce(k.cash_sales_all, 0) + t.sales_all AS sales_all,
       coalesce(k.cash_refunds_all, 0) + t.refunds_all AS refunds_all,
       (coalesce(k.receipts, 0) + t.receipts)::int AS receipts, (coalesce(k.voided_receipts, 0) + t.voided)::int AS voided,
       least(k.min_seq, t.min_seq) AS min_seq, greatest(k.max_seq, t.max_seq) AS max_seq,
       coalesce(k.receipts, 0) + t.distinct_seqs AS distinct_seqs,
       p.prev_seq, m.cash_in, m.cash_out
     FROM ${SHIFTS}
     LEFT JOIN shift_cash_counters k
       ON k.organization_id = v.org AND k.terminal_id = v.terminal AND k.shift_id = v.shift
     CROSS JOIN LATERAL (
       SELECT
         coalesce(sum(x.cash_total) FILTER (WHERE x.kind = 'sale' AND ${COUNTED}), 0)::bigint AS sales,
         coalesce(sum(x.cash_total) FILTER (WHERE x.kind = 'refund' AND ${COUNTED}), 0)::bigint AS refunds,
         coalesce(sum(x.cash_total) FILTER (WHERE x.kind = 'sale'), 0)::bigint AS sales_all,
         coalesce(sum(x.cash_total) FILTER (WHERE x.kind = 'refund'), 0)::bigint AS refunds_all,
         count(*) AS receipts,
         count(*) FILTER (WHERE NOT ${COUNTED}) AS voided,
         min(x.seq) AS min_seq, max(x.seq) AS max_seq, count(DISTINCT x.seq) AS distinct_seqs,
         min(x.hlc) AS first_hlc
       FROM receipts x WHERE ${IN_SHIFT_BY_TIME}
     ) t
     CROSS JOIN LATERAL (
       SELECT (SELECT x.seq FROM receipts x
               WHERE x.organization_id = v.org AND x.terminal_id = v.terminal
                 AND x.hlc < least(k.first_hlc, t.first_hlc)
               ORDER BY x.hlc DESC LIMIT 1) AS prev_seq
     ) p
     CROSS JOIN LATERAL (
       SELECT coalesce(sum(${AMOUNT}) FILTER (WHERE c.data->>'kind' = 'in'), 0)::bigint AS cash_in,
              coalesce(sum(${AMOUNT}) FILTER (WHERE c.data->>'kind' = 'out'), 0)::bigint AS cash_out
       FROM terminal_records c
       WHERE c.organization_id = v.org AND c.terminal_id = v.terminal AND c.kind = 'cash_movement'
         AND c.data->>'shiftId' = v.shift
     ) m0
     CROSS JOIN LATERAL (${CORRECTION_CASH}) q
     CROSS JOIN LATERAL (SELECT m0.cash_in + q.cash_in AS cash_in, m0.cash_out + q.cash_out AS cash_out) m
     ORDER BY v.i`,
    shiftParams(shifts),
  );
}

/**
 * Per shift, how many of its register shift's fiscal documents are stored (shifts without both FDs:
 * 0): the counts ingest keeps per FN and shift number (register_shift_documents,
 * sync/shift-cash.ts), one primary-key probe per shift instead of counting the receipts inside its
 * Z report's FD range. The snapshot names the register's shift number but not its FN, and numbers
 * restart on a new FN: the FN is the one whose documents of that number were printed while the
 * shift was open (± a day, the bound the FD-range count used).
 */
async function fiscalStored(db: CentralDatabase, shifts: readonly ShiftKey[]): Promise<number[]> {
  const rows = await db.sql.query<{ i: number; fiscal: number }>(
    `SELECT v.i, sum(d.receipts)::int AS fiscal
     FROM ${SHIFTS}
     JOIN register_shift_documents d
       ON v.open_fd IS NOT NULL AND v.close_fd IS NOT NULL
         AND d.organization_id = v.org AND d.terminal_id = v.terminal AND d.shift_number = v.number
         AND d.last_fiscalized_at >= v.opened - interval '1 day'
         AND d.first_fiscalized_at <= coalesce(v.closed, v.opened) + interval '1 day'
     GROUP BY v.i`,
    shiftParams(shifts),
  );
  const counts = shifts.map(() => 0);
  for (const r of rows) counts[Number(r.i) - 1] = Number(r.fiscal);
  return counts;
}
