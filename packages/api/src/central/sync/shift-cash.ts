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

/**
 * Adds newly stored cash_movement records (`rows`: kind, data — records the statement actually
 * inserted; they are immutable, so a redelivery inserts nothing) to their shift's cash in/out. The
 * shift's row may not exist yet (a movement synced before the shift's receipts): it is created.
 * Stored as the till sent them: an amount that is not a plain integer, or a kind other than in/out,
 * moves nothing (as the read-time sum it replaces did).
 */
export const COUNT_MOVEMENTS = (rows: string) => `
INSERT INTO shift_cash_counters AS c (organization_id, terminal_id, shift_id, cash_in, cash_out)
SELECT $1, $2, m.data->>'shiftId',
  coalesce(sum((m.data->>'amount')::bigint) FILTER (WHERE m.data->>'kind' = 'in'), 0),
  coalesce(sum((m.data->>'amount')::bigint) FILTER (WHERE m.data->>'kind' = 'out'), 0)
FROM ${rows} m
WHERE m.kind = 'cash_movement' AND m.data->>'shiftId' IS NOT NULL AND m.data->>'kind' IN ('in', 'out')
  AND m.data->>'amount' ~ '^[0-9]{1,15}$'
GROUP BY m.data->>'shiftId'
ON CONFLICT (organization_id, terminal_id, shift_id) DO UPDATE SET
  cash_in = c.cash_in + excluded.cash_in,
  cash_out = c.cash_out + excluded.cash_out`;

/**
 * Adds the cash of the corrections `$3` (ids) to their shifts, for those whose correction and
 * correction_fiscalized are both stored now. Run for the ids of which this batch stored one or the
 * other: a pair is complete in exactly one batch (the one storing its second half, or both), and a
 * redelivery stores neither — so each fiscalized correction counts once, in either arrival order,
 * and one the register refused (no fiscal document) never. Its cash is the cash paid less the
 * change, in for income and expense return, out for income return and expense (the till's
 * cashSummary counts it so too).
 */
export const COUNT_CORRECTION_CASH = `
INSERT INTO shift_cash_counters AS c (organization_id, terminal_id, shift_id, cash_in, cash_out)
SELECT $1, $2, x.shift_id,
  coalesce(sum(x.net) FILTER (WHERE x.kind IN ('income', 'expense_return')), 0),
  coalesce(sum(x.net) FILTER (WHERE x.kind IN ('income_return', 'expense')), 0)
FROM (
  SELECT r.data->>'shiftId' AS shift_id, r.data->>'kind' AS kind,
    (r.data->'payments'->>'cash')::bigint - least((r.data->'payments'->>'cash')::bigint, greatest(0,
      (r.data->'payments'->>'cash')::bigint + (r.data->'payments'->>'electronic')::bigint - (r.data->>'total')::bigint)) AS net
  FROM terminal_records r
  WHERE r.organization_id = $1 AND r.terminal_id = $2 AND r.kind = 'correction' AND r.id = ANY($3::text[])
    AND r.data->>'shiftId' IS NOT NULL
    AND EXISTS (SELECT 1 FROM terminal_records f WHERE f.organization_id = $1 AND f.terminal_id = $2
      AND f.kind = 'correction_fiscalized' AND f.id = r.id)
) x
GROUP BY x.shift_id
ON CONFLICT (organization_id, terminal_id, shift_id) DO UPDATE SET
  cash_in = c.cash_in + excluded.cash_in,
  cash_out = c.cash_out + excluded.cash_out`;

/**
 * Recomputes the previous receipt (prev_seq, prev_hlc: the till's receipt with the greatest HLC
 * below first_hlc) of the shifts a batch's stored receipts can have changed: those they were
 * added to (first_hlc may have moved down), and those starting after one of them whose previous
 * receipt is older than it (a late receipt, of another shift or of none, just before them). A
 * separate statement after the insert, which its own statement could not see. Set, not added:
 * the result is the same however often or in whatever order receipts arrive. `$3` the shifts
 * touched, `$4`/`$5` the lowest/highest HLC stored.
 */
export const RECOMPUTE_PREVIOUS = `
UPDATE shift_cash_counters c SET (prev_seq, prev_hlc) = (
  SELECT x.seq, x.hlc FROM receipts x
  WHERE x.organization_id = c.organization_id AND x.terminal_id = c.terminal_id AND x.hlc < c.first_hlc
  ORDER BY x.hlc DESC LIMIT 1)
WHERE c.organization_id = $1 AND c.terminal_id = $2 AND c.first_hlc IS NOT NULL
  AND (c.shift_id = ANY($3::text[]) OR (c.first_hlc > $4 AND (c.prev_hlc IS NULL OR c.prev_hlc < $5)))`;

/**
 * Names on each shift's row the snapshot just stored for it (`$3` ids, `$4` HLCs, `$5` openedAt as
 * stored): the rows INSERT_RECORDS inserted or replaced with a later HLC, so the row always names
 * the stored one, whatever order snapshots arrive in. The cash page reads a range's shifts from here.
 */
export const NAME_SNAPSHOTS = `
INSERT INTO shift_cash_counters AS c (organization_id, terminal_id, shift_id, shift_hlc, shift_opened)
SELECT $1, $2, v.id, v.hlc, v.opened FROM unnest($3::text[], $4::text[], $5::text[]) AS v(id, hlc, opened)
ON CONFLICT (organization_id, terminal_id, shift_id) DO UPDATE SET
  shift_hlc = excluded.shift_hlc, shift_opened = excluded.shift_opened`;
