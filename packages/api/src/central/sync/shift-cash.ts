/**
 * Per-shift cash counters (shift_cash_counters), kept at ingest so the cash page reads a row per
 * shift instead of summing its receipts at read time (dashboard/cash/ledger-queries.ts). Each
 * fragment below is the tail of a statement whose CTE `rows` holds the receipts that statement
 * actually inserted or updated (ON CONFLICT DO NOTHING / WHERE … RETURNING): a second delivery
 * returns no rows, so it moves no counter. Receipts naming no shift (older agents) are not counted
 * here; the cash page matches those by time. Parameters $1, $2 are the organization and terminal.
 */

/** Adds newly stored receipts (`rows`: shift_id, kind, cash_total, seq, hlc) to their shifts. */
export const COUNT_STORED = (rows: string) => `
INSERT INTO shift_cash_counters AS c (organization_id, terminal_id, shift_id, receipts, cash_sales, cash_refunds,
  cash_sales_all, cash_refunds_all, min_seq, max_seq, first_hlc)
SELECT $1, $2, n.shift_id, count(*)::int,
  coalesce(sum(n.cash_total) FILTER (WHERE n.kind = 'sale'), 0), coalesce(sum(n.cash_total) FILTER (WHERE n.kind = 'refund'), 0),
  coalesce(sum(n.cash_total) FILTER (WHERE n.kind = 'sale'), 0), coalesce(sum(n.cash_total) FILTER (WHERE n.kind = 'refund'), 0),
  min(n.seq), max(n.seq), min(n.hlc)
FROM ${rows} n WHERE n.shift_id IS NOT NULL
GROUP BY n.shift_id
ON CONFLICT (organization_id, terminal_id, shift_id) DO UPDATE SET
  receipts = c.receipts + excluded.receipts,
  cash_sales = c.cash_sales + excluded.cash_sales,
  cash_refunds = c.cash_refunds + excluded.cash_refunds,
  cash_sales_all = c.cash_sales_all + excluded.cash_sales_all,
  cash_refunds_all = c.cash_refunds_all + excluded.cash_refunds_all,
  min_seq = least(c.min_seq, excluded.min_seq),
  max_seq = greatest(c.max_seq, excluded.max_seq),
  first_hlc = least(c.first_hlc, excluded.first_hlc)`;

/**
 * Moves receipts (`rows`: shift_id, kind, cash_total) between counted and voided: `-1` when they
 * were just voided (their cash leaves the shift's sales/refunds; the *_all sums keep it), `+1` when
 * a voided receipt was fiscalized after all (a fiscal document exists: it counts again).
 */
export const RECOUNT = (rows: string, sign: -1 | 1) => `
UPDATE shift_cash_counters c SET
  voided_receipts = c.voided_receipts - (${sign}) * d.n,
  cash_sales = c.cash_sales + (${sign}) * d.sales,
  cash_refunds = c.cash_refunds + (${sign}) * d.refunds
FROM (
  SELECT m.shift_id, count(*)::int AS n,
    coalesce(sum(m.cash_total) FILTER (WHERE m.kind = 'sale'), 0) AS sales,
    coalesce(sum(m.cash_total) FILTER (WHERE m.kind = 'refund'), 0) AS refunds
  FROM ${rows} m WHERE m.shift_id IS NOT NULL
  GROUP BY m.shift_id
) d
WHERE c.organization_id = $1 AND c.terminal_id = $2 AND c.shift_id = d.shift_id`;

/**
 * Adds newly stored fiscal documents (`rows`: fd_number, fn_number, shift_number, fiscalized_at —
 * receipts just inserted with their fiscal attributes, or just filled by receipt_fiscalized) to
 * their register shift's count (register_shift_documents). A void never moves it: only a receipt
 * without a fiscal document can be voided.
 */
export const COUNT_DOCUMENTS = (rows: string) => `
INSERT INTO register_shift_documents AS d (organization_id, terminal_id, shift_number, fn_number, receipts,
  first_fiscalized_at, last_fiscalized_at)
SELECT $1, $2, f.shift_number, f.fn_number, count(*)::int, min(f.fiscalized_at), max(f.fiscalized_at)
FROM ${rows} f
WHERE f.fd_number IS NOT NULL AND f.fn_number IS NOT NULL AND f.shift_number IS NOT NULL AND f.fiscalized_at IS NOT NULL
GROUP BY f.shift_number, f.fn_number
ON CONFLICT (organization_id, terminal_id, shift_number, fn_number) DO UPDATE SET
  receipts = d.receipts + excluded.receipts,
  first_fiscalized_at = least(d.first_fiscalized_at, excluded.first_fiscalized_at),
  last_fiscalized_at = greatest(d.last_fiscalized_at, excluded.last_fiscalized_at)`;
