import type { CentralDatabase } from "../../context.ts";
import { type ScopedTerminal, scopedTerminals } from "../breakers/queries.ts";
import type { DashboardScope } from "../scope.ts";
import { dayIn, widenedBounds } from "./days.ts";
import type { ApprovalRecord } from "./ledger.ts";
import { type ShiftRecord, type TShiftSnapshot, ZShiftSnapshot } from "./shift-snapshot.ts";

export interface ShiftFilter {
  storeId?: string | undefined;
  terminalId?: string | undefined;
  /** One shift: then the days are not looked at. */
  shiftId?: string | undefined;
  dayFrom: string;
  dayTo: string;
}

/** Most shifts one view reconciles (31 days × ~500 tills); beyond it the page asks for a narrower filter. */
export const MAX_SHIFTS = 20_000;

/**
 * A scoped shift as the ledger reads it: its record and, in the same statement, everything kept
 * for it — its counters, its register shift's stored documents, its latest approval and its
 * organization's tolerance. `figures` is null for the rare shift whose receipts are matched by time
 * (a till with receipts naming no shift) and whose snapshot's times are not in the form agents
 * write (UTC `toISOString()`), which SQL cannot safely read: storedFigures sums those from the
 * parsed snapshot.
 */
export interface LedgerRow extends ShiftRecord {
  figures: StoredFigures | null;
  approval: ApprovalView | null;
  tolerance: bigint | null;
}

/**
 * An ISO time SQL can cast without failing the statement: the form agents write, on a real
 * calendar day (a snapshot is stored as the till sent it; anything else is left to the parsed
 * snapshot in JS, see LedgerRow.figures).
 */
const CANONICAL_TIME = (
  t: string,
) => `CASE WHEN ${t} ~ '^[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?Z$'
  AND substr(${t}, 9, 2)::int <= extract(day FROM (left(${t}, 7) || '-01')::date + interval '1 month' - interval '1 day')
  THEN ${t}::timestamptz END`;

const DAY_MS = 86_400_000;

/**
 * The scoped shifts opened on [dayFrom, dayTo] in their store's time zone, newest first, each with
 * its figures: one statement, keyed probes only. The SQL compares the snapshot's ISO text against
 * widened bounds, a range of terminal_records_shift_opened_idx; the exact day is decided here per
 * store. The SQL order only decides which shifts a truncated view keeps (the pages sort
 * themselves): byte order ("C"), the same as the locale's for ISO times and ULIDs, and far cheaper.
 *
 * Per shift: its counters row (receipts naming it, cash in/out, the receipt before it — kept by
 * ingest, sync/shift-cash.ts); its register shift's documents by FN (the shift-number probe of
 * fiscalStored, its time window applied here to the parsed snapshot: casting thousands of ISO
 * texts in SQL cost more than the probes); its latest approval (the audit rows are append-only).
 * Receipts naming no shift (older agents) are matched by time only on tills that have any since
 * the range began (one probe per till, not per shift), and only for those is the till's previous
 * receipt probed instead of read from the counters.
 */
export async function readLedger(
  db: CentralDatabase,
  scope: DashboardScope,
  filter: ShiftFilter,
): Promise<{ shifts: LedgerRow[]; truncated: boolean; terminals: ScopedTerminal[] }> {
  const terminals = await scopedTerminals(db, scope, {
    storeId: filter.storeId,
    terminalId: filter.terminalId,
  });
  if (terminals.length === 0) return { shifts: [], truncated: false, terminals };
  const byId = new Map(terminals.map((t) => [t.id, t]));
  // One shift by id: its days do not matter (an approval names the shift, not its day).
  const bounds = filter.shiftId ? { from: "", to: "" } : widenedBounds(filter.dayFrom, filter.dayTo);
  // A receipt of a shift opened at or after `from` has an HLC at or above it (the HLC never runs
  // behind the wall clock that stamped its accept time).
  const lowestHlc = bounds.from ? String(Date.parse(bounds.from)).padStart(13, "0") : "";
  const rows = await withoutJit(db).query<LedgerSqlRow>(
    `WITH legacy AS MATERIALIZED (
       SELECT t.org, t.terminal FROM unnest($7::text[], $2::text[]) AS t(org, terminal)
       WHERE EXISTS (SELECT 1 FROM receipts x WHERE x.organization_id = t.org AND x.terminal_id = t.terminal
         AND x.shift_id IS NULL AND x.hlc >= $8)
     )
     SELECT sh.organization_id, sh.terminal_id, sh.id, sh.hlc, o.cash_tolerance,
       g.terminal IS NULL OR (v.opened IS NOT NULL AND (NOT sh.is_closed OR v.closed_text IS NULL OR v.closed IS NOT NULL))
         AS canonical,
       coalesce(k.cash_sales, 0) + t.sales AS sales, coalesce(k.cash_refunds, 0) + t.refunds AS refunds,
       coalesce(k.cash_sales_all, 0) + t.sales_all AS sales_all,
       coalesce(k.cash_refunds_all, 0) + t.refunds_all AS refunds_all,
       (coalesce(k.receipts, 0) + t.receipts)::int AS receipts, (coalesce(k.voided_receipts, 0) + t.voided)::int AS voided,
       least(k.min_seq, t.min_seq) AS min_seq, greatest(k.max_seq, t.max_seq) AS max_seq,
       (coalesce(k.receipts, 0) + t.distinct_seqs)::int AS distinct_seqs,
       CASE WHEN t.first_hlc IS NOT NULL AND (k.first_hlc IS NULL OR t.first_hlc < k.first_hlc)
         THEN (SELECT x.seq FROM receipts x WHERE x.organization_id = v.org AND x.terminal_id = v.terminal
               AND x.hlc < t.first_hlc ORDER BY x.hlc DESC LIMIT 1)
         ELSE k.prev_seq END AS prev_seq,
       coalesce(k.cash_in, 0) AS cash_in, coalesce(k.cash_out, 0) AS cash_out,
       d.receipts AS documents, (extract(epoch FROM d.first_fiscalized_at) * 1000)::float8 AS first_ms,
       (extract(epoch FROM d.last_fiscalized_at) * 1000)::float8 AS last_ms,
       a.id AS a_id, a.expected AS a_expected, a.counted AS a_counted, a.variance AS a_variance,
       a.tolerance AS a_tolerance, a.note AS a_note, a.approved_by AS a_approved_by,
       a.approved_by_name AS a_approved_by_name, a.role AS a_role, a.approved_at AS a_approved_at
     FROM (
       SELECT r.organization_id, r.terminal_id, r.id, r.data, r.hlc,
         r.data->>'status' = 'closed' AS is_closed,
         -- (Nested: a CASE is the one place SQL promises not to cast a non-number.)
         CASE WHEN jsonb_typeof(r.data->'number') = 'number' AND jsonb_typeof(r.data->'openFd') = 'number'
           AND jsonb_typeof(r.data->'closeFd') = 'number'
           THEN CASE WHEN (r.data->'number')::numeric BETWEEN 0 AND 2147483647 THEN (r.data->'number')::numeric::int END
         END AS documented_number
       FROM terminal_records r
       WHERE r.organization_id = ANY($1::text[]) AND r.terminal_id = ANY($2::text[]) AND r.kind = 'shift'
         AND ($5::text IS NOT NULL OR (r.data->>'openedAt' >= $3 AND r.data->>'openedAt' < $4))
         AND ($5::text IS NULL OR r.id = $5)
       ORDER BY r.data->>'openedAt' COLLATE "C" DESC, r.terminal_id COLLATE "C", r.id COLLATE "C"
       LIMIT $6
     ) sh
     LEFT JOIN legacy g ON g.org = sh.organization_id AND g.terminal = sh.terminal_id
     -- The snapshot's times, read in SQL only for the shifts matched by time.
     LEFT JOIN LATERAL (
       SELECT sh.organization_id AS org, sh.terminal_id AS terminal, sh.id AS shift,
         ${CANONICAL_TIME("(sh.data->>'openedAt')")} AS opened,
         nullif(sh.data->>'closedAt', '') AS closed_text,
         CASE WHEN sh.is_closed THEN ${CANONICAL_TIME("nullif(sh.data->>'closedAt', '')")} END AS closed,
         CASE WHEN sh.is_closed THEN sh.hlc END AS close_hlc
       WHERE g.terminal IS NOT NULL OFFSET 0
     ) v ON true
     LEFT JOIN organizations o ON o.id = sh.organization_id
     LEFT JOIN shift_cash_counters k
       ON k.organization_id = sh.organization_id AND k.terminal_id = sh.terminal_id AND k.shift_id = sh.id
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
       FROM receipts x WHERE v.opened IS NOT NULL AND ${IN_SHIFT_BY_TIME}
     ) t
     -- One row per FN that printed a register shift of this number (nearly always one).
     LEFT JOIN register_shift_documents d
       ON sh.documented_number IS NOT NULL
         AND d.organization_id = sh.organization_id AND d.terminal_id = sh.terminal_id
         AND d.shift_number = sh.documented_number
     LEFT JOIN cash_approvals a
       ON a.organization_id = k.organization_id AND a.terminal_id = k.terminal_id AND a.shift_id = k.shift_id
         AND a.id = k.approval_id`,
    [
      [...new Set(terminals.map((t) => t.organizationId))],
      terminals.map((t) => t.id),
      bounds.from,
      bounds.to,
      filter.shiftId ?? null,
      MAX_SHIFTS + 1,
      terminals.map((t) => t.organizationId),
      lowestHlc,
    ],
  );
  // A shift comes once per FN that printed a register shift of its number (nearly always one).
  const fnsOf = new Map<string, DocumentsRow[]>();
  const distinct: LedgerSqlRow[] = [];
  for (const row of rows) {
    const key = shiftKey(row.organization_id, row.terminal_id, row.id);
    let fns = fnsOf.get(key);
    if (!fns) {
      fns = [];
      fnsOf.set(key, fns);
      distinct.push(row);
    }
    if (row.documents !== null) fns.push(row);
  }
  // The SQL kept the newest MAX_SHIFTS + 1; the order they come in is the joins' (the pages sort).
  const kept = distinct.slice(0, MAX_SHIFTS);
  const snapshotOf = await snapshotsOf(db, kept);
  const shifts: LedgerRow[] = [];
  for (const row of kept) {
    const terminal = byId.get(row.terminal_id)!;
    const snapshot = snapshotOf.get(shiftKey(row.organization_id, row.terminal_id, row.id)) ?? null;
    if (snapshot && !filter.shiftId) {
      const day = dayIn(terminal.store.timezone, new Date(snapshot.openedAt));
      if (day < filter.dayFrom || day > filter.dayTo) continue;
    }
    const fns = fnsOf.get(shiftKey(row.organization_id, row.terminal_id, row.id))!;
    shifts.push({
      organizationId: row.organization_id,
      terminalId: row.terminal_id,
      shiftId: row.id,
      terminalName: terminal.name,
      storeId: terminal.storeId,
      storeName: terminal.store.name,
      timezone: terminal.store.timezone,
      snapshot,
      hlc: row.hlc,
      figures: row.canonical && snapshot ? toFigures(row, documentsInWindow(fns, snapshot)) : null,
      approval:
        row.a_id === null
          ? null
          : toApproval({
              id: row.a_id,
              expected: BigInt(row.a_expected!),
              counted: BigInt(row.a_counted!),
              variance: BigInt(row.a_variance!),
              tolerance: BigInt(row.a_tolerance!),
              note: row.a_note!,
              approved_by: row.a_approved_by!,
              approved_by_name: row.a_approved_by_name!,
              role: row.a_role!,
              approved_at: row.a_approved_at!,
            }),
      tolerance: row.cash_tolerance === null ? null : BigInt(row.cash_tolerance),
    });
  }
  return { shifts, truncated: distinct.length > MAX_SHIFTS, terminals };
}

/**
 * Snapshots already parsed, by shift and HLC: a stored snapshot is replaced only by one with a later
 * HLC, so the same key is the same snapshot. A chain's week is thousands of them, read again on
 * every page: sending and parsing them cost more than the figures. Cleared when it grows.
 */
const snapshots = new Map<string, TShiftSnapshot | null>();
const versionKey = (r: { organization_id: string; terminal_id: string; id: string; hlc: string }) =>
  `${r.organization_id}/${r.terminal_id}/${r.id}/${r.hlc}`;

/**
 * Each shift's parsed snapshot (null: it does not parse), by shiftKey: from the cache, the rest
 * read by key. A snapshot replaced since the ledger's statement is read as it now is.
 */
async function snapshotsOf(
  db: CentralDatabase,
  rows: readonly { organization_id: string; terminal_id: string; id: string; hlc: string }[],
): Promise<Map<string, TShiftSnapshot | null>> {
  const found = new Map<string, TShiftSnapshot | null>();
  const missing: (typeof rows)[number][] = [];
  for (const row of rows) {
    const known = snapshots.get(versionKey(row));
    if (known === undefined) missing.push(row);
    else found.set(shiftKey(row.organization_id, row.terminal_id, row.id), known);
  }
  if (missing.length === 0) return found;
  const stored = await db.sql.query<{
    organization_id: string;
    terminal_id: string;
    id: string;
    hlc: string;
    data: unknown;
  }>(
    `SELECT r.organization_id, r.terminal_id, r.id, r.hlc, r.data
     FROM unnest($1::text[], $2::text[], $3::text[]) AS v(org, terminal, id)
     JOIN terminal_records r
       ON r.organization_id = v.org AND r.terminal_id = v.terminal AND r.kind = 'shift' AND r.id = v.id`,
    [missing.map((r) => r.organization_id), missing.map((r) => r.terminal_id), missing.map((r) => r.id)],
  );
  if (snapshots.size + stored.length > 100_000) snapshots.clear();
  for (const row of stored) {
    const parsed = ZShiftSnapshot.safeParse(row.data);
    const snapshot = parsed.success ? parsed.data : null;
    snapshots.set(versionKey(row), snapshot);
    found.set(shiftKey(row.organization_id, row.terminal_id, row.id), snapshot);
  }
  return found;
}

/**
 * fiscalStored's rule on the register shifts of the snapshot's number: a shift without both FDs
 * has none; of the FNs that printed a shift of that number, the one whose documents were printed
 * while this shift was open (± a day).
 */
function documentsInWindow(fns: readonly DocumentsRow[], s: TShiftSnapshot): number {
  if (s.openFd === null || s.openFd === undefined || s.closeFd === null || s.closeFd === undefined) return 0;
  const opened = Date.parse(s.openedAt);
  const closed = s.status === "closed" && s.closedAt ? Date.parse(s.closedAt) : opened;
  let stored = 0;
  for (const fn of fns) {
    if (Number(fn.last_ms) >= opened - DAY_MS && Number(fn.first_ms) <= closed + DAY_MS) {
      stored += Number(fn.documents);
    }
  }
  return stored;
}

interface DocumentsRow {
  documents: number | null;
  first_ms: Int8 | null;
  last_ms: Int8 | null;
}

type Int8 = bigint | string | number;

interface FigureColumns {
  sales: Int8;
  refunds: Int8;
  sales_all: Int8;
  refunds_all: Int8;
  receipts: Int8;
  voided: Int8;
  min_seq: Int8 | null;
  max_seq: Int8 | null;
  distinct_seqs: Int8;
  prev_seq: Int8 | null;
  cash_in: Int8;
  cash_out: Int8;
}

interface LedgerSqlRow extends FigureColumns, DocumentsRow {
  organization_id: string;
  terminal_id: string;
  id: string;
  data: unknown;
  hlc: string;
  cash_tolerance: Int8 | null;
  canonical: boolean;
  a_id: string | null;
  a_expected: Int8 | null;
  a_counted: Int8 | null;
  a_variance: Int8 | null;
  a_tolerance: Int8 | null;
  a_note: string | null;
  a_approved_by: string | null;
  a_approved_by_name: string | null;
  a_role: string | null;
  a_approved_at: Date | null;
}

function toFigures(r: FigureColumns, fiscalStored: number): StoredFigures {
  return {
    cashSales: BigInt(r.sales),
    cashRefunds: BigInt(r.refunds),
    cashSalesAll: BigInt(r.sales_all),
    cashRefundsAll: BigInt(r.refunds_all),
    receipts: Number(r.receipts),
    voidedReceipts: Number(r.voided),
    fiscalStored,
    minSeq: r.min_seq === null ? null : Number(r.min_seq),
    maxSeq: r.max_seq === null ? null : Number(r.max_seq),
    distinctSeqs: Number(r.distinct_seqs),
    previousSeq: r.prev_seq === null ? 0 : Number(r.prev_seq),
    cashIn: BigInt(r.cash_in),
    cashOut: BigInt(r.cash_out),
  };
}

/**
 * The central server's figures for one shift: its receipts are those naming it (their sums kept
 * by ingest in shift_cash_counters) plus, for receipts that name no shift (older agents, rows
 * stored before receipts had one), those accepted inside the shift's times.
 */
export interface StoredFigures {
  cashSales: bigint;
  cashRefunds: bigint;
  /** Including voided receipts: compared with the till's own totals (see missingByCounters). */
  cashSalesAll: bigint;
  cashRefundsAll: bigint;
  receipts: number;
  voidedReceipts: number;
  /** Receipts whose FD lies between the shift's opening report and its Z report. */
  fiscalStored: number;
  minSeq: number | null;
  maxSeq: number | null;
  distinctSeqs: number;
  /** The till's last receipt seq before the shift opened (0 = none). */
  previousSeq: number;
  cashIn: bigint;
  cashOut: bigint;
}

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
         AND x.accepted_at >= v.opened AND (v.closed IS NULL OR x.accepted_at <= v.closed)`;

/**
 * The shifts as one JSON parameter (shiftParams), one row each with its place `i` (1…n). Thousands
 * of shifts as eight typed arrays cost more to serialize in node-postgres (escaping each element,
 * formatting each Date in JS) than the statements took to run; JSON.stringify and PostgreSQL's
 * json_to_recordset are native on both ends.
 */
const SHIFTS = `json_to_recordset($1::json)
       AS v(i int, org text, terminal text, shift text, number int, opened timestamptz, closed timestamptz,
            open_fd int, close_fd int, close_hlc text)`;

/**
 * These statements are a few index probes per shift, but the planner multiplies its row estimates
 * over hundreds of shifts past jit_above_cost, and compiling the plan then took 600 ms of an 700 ms
 * query (measured at 500 shifts): run them with JIT off, in their own transaction (SET LOCAL).
 */
function withoutJit(db: CentralDatabase) {
  return {
    query<T>(text: string, params: readonly unknown[]): Promise<T[]> {
      return db.sql.transaction(async (tx) => {
        await tx.exec("SET LOCAL jit = off");
        return tx.query<T>(text, params);
      });
    },
  };
}

export interface ShiftKey {
  organizationId: string;
  terminalId: string;
  shiftId: string;
  /** The register's shift number (its fiscal documents carry it). */
  number: number;
  openedAt: Date;
  closedAt: Date | null;
  openFd: number | null;
  closeFd: number | null;
  /** The closed snapshot's HLC (null while open): the upper bound of its receipts' HLCs. */
  closeHlc: string | null;
}

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
export async function storedFigures(
  db: CentralDatabase,
  shifts: readonly ShiftKey[],
): Promise<StoredFigures[]> {
  if (shifts.length === 0) return [];
  const [rows, fiscal] = await Promise.all([receiptFigures(db, shifts), fiscalStored(db, shifts)]);
  return rows.map((r, n) => toFigures(r, fiscal[n]!));
}

function receiptFigures(db: CentralDatabase, shifts: readonly ShiftKey[]) {
  return withoutJit(db).query<{
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

/** The stored seqs of the shifts whose sequence has holes (only those: the common case needs no list). */
export async function shiftSeqs(db: CentralDatabase, shifts: readonly ShiftKey[]): Promise<number[][]> {
  if (shifts.length === 0) return [];
  const rows = await withoutJit(db).query<{ i: number; seqs: bigint[] | null }>(
    `SELECT v.i, (SELECT array_agg(DISTINCT s.seq ORDER BY s.seq) FROM (
         SELECT x.seq FROM receipts x
         WHERE x.organization_id = v.org AND x.terminal_id = v.terminal AND x.shift_id = v.shift
         UNION ALL
         SELECT x.seq FROM receipts x WHERE ${IN_SHIFT_BY_TIME}
       ) s) AS seqs
     FROM ${SHIFTS}
     ORDER BY v.i`,
    shiftParams(shifts),
  );
  return rows.map((r) => (r.seqs ?? []).map(Number));
}

export interface ApprovalView extends ApprovalRecord {
  id: string;
  tolerance: bigint;
  note: string;
  approvedBy: string;
  approvedByName: string;
  role: string;
  approvedAt: Date;
}

export function toApproval(r: {
  id: string;
  expected: bigint;
  counted: bigint;
  variance: bigint;
  tolerance: bigint;
  note: string;
  approved_by: string;
  approved_by_name: string;
  role: string;
  approved_at: Date;
}): ApprovalView {
  return {
    id: r.id,
    expected: r.expected,
    counted: r.counted,
    variance: r.variance,
    tolerance: r.tolerance,
    note: r.note,
    approvedBy: r.approved_by,
    approvedByName: r.approved_by_name,
    role: r.role,
    approvedAt: r.approved_at,
  };
}

export const shiftKey = (organizationId: string, terminalId: string, shiftId: string) =>
  `${organizationId}/${terminalId}/${shiftId}`;
