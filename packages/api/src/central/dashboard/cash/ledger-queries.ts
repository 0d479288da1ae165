import type { CentralDatabase } from "../../context.ts";
import type { DashboardScope } from "../scope.ts";
import { type ScopedTerminal, scopedTerminals } from "../scoped-terminals.ts";
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
 * A scoped shift as the ledger reads it: its record and what is kept for it — its counters and
 * latest approval (one statement), its register shift's stored documents and its organization's
 * tolerance (read beside it). `figures` is null only when the snapshot did not parse.
 */
export interface LedgerRow extends ShiftRecord {
  /** From the snapshot (when it parsed): its opening, its close (closed shifts only) and the store-local day. */
  openedAt: Date;
  closedAt: Date | null;
  /** The same instants as `toISOString()` text, made once per stored snapshot (see ParsedShift). */
  openedIso: string;
  closedIso: string | null;
  day: string;
  figures: StoredFigures | null;
  approval: ApprovalView | null;
  tolerance: bigint | null;
}

/**
 * A snapshot's ISO time as the instant the parsed snapshot has (`new Date(text)`), for every form
 * its schema accepts (ZShiftSnapshot: a real calendar day, seconds, any fraction, Z or ±hh:mm): the
 * wall time with its fraction cut to milliseconds as JS does, read as UTC, less its offset (applied
 * as an interval: PostgreSQL refuses offsets beyond ±15:59 that the schema allows). Anything else,
 * and year 0000 (JS has it, PostgreSQL does not), is NULL rather than failing the statement: such
 * a snapshot is unreadable (it does not parse) or has no receipts matched by time.
 */
const SNAPSHOT_TIME = (
  t: string,
) => `CASE WHEN ${t} ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$'
  AND left(${t}, 4) <> '0000'
  AND substr(${t}, 9, 2)::int <= extract(day FROM (left(${t}, 7) || '-01')::date + interval '1 month' - interval '1 day')
  THEN (left(${t}, 19) || coalesce(substring(${t} FROM '^.{19}(\\.[0-9]{1,3})'), '') || 'Z')::timestamptz
    - CASE WHEN right(${t}, 1) = 'Z' THEN interval '0' ELSE (right(${t}, 6) || ':00')::interval END
  END`;

const DAY_MS = 86_400_000;

/**
 * The scoped shifts opened on [dayFrom, dayTo] in their store's time zone, each with its figures:
 * one statement, the register shifts and tolerances read beside it. The SQL compares the
 * snapshot's ISO text (as stored) against widened bounds; the exact day is decided here per store. The rows
 * come in no particular order (the pages sort, with ties broken by ids); only a truncated view
 * sorts in SQL, to keep the newest: byte order ("C"), the same as the locale's for ISO times and
 * ULIDs, and far cheaper.
 *
 * The shifts are their counters rows (receipts naming it, cash in/out, the receipt before it, its
 * latest approval, and which snapshot is stored — kept by ingest and by approval,
 * sync/shift-cash.ts), one range of (organization_id, shift_opened), with that approval by key. Receipts
 * naming no shift (older agents) are matched by time only on tills that have any since the range
 * began (one probe per till, not per shift), and only for those is the till's previous receipt
 * probed instead of read from the counters. Its register shift's documents come from one range
 * read (registerShifts), fiscalStored's time window applied here to the parsed snapshot.
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
  // behind the wall clock that stamped its accept time); 14 h less for an opening written with an
  // offset, whose text may sort up to that much after its instant.
  const lowestHlc = bounds.from ? String(Date.parse(bounds.from) - 14 * 3600_000).padStart(13, "0") : "";
  const documents = registerShifts(db, terminals, filter.shiftId ? null : bounds.from);
  const tolerance = tolerances(db, terminals);
  const ledger = withoutJit(db).query<LedgerSqlRow>(
    `WITH legacy AS MATERIALIZED (
       SELECT t.org, t.terminal FROM unnest($7::text[], $2::text[]) AS t(org, terminal)
       WHERE EXISTS (SELECT 1 FROM receipts x WHERE x.organization_id = t.org AND x.terminal_id = t.terminal
         AND x.shift_id IS NULL AND x.hlc >= $8)
     ),
     -- The shifts whose snapshot opened in the range, from the rows that name them (NAME_SNAPSHOTS).
     named AS MATERIALIZED (
       SELECT k.organization_id, k.terminal_id, k.shift_id AS id, k.shift_hlc AS hlc, k.shift_opened,
         k.receipts, k.voided_receipts, k.cash_sales, k.cash_refunds, k.cash_sales_all, k.cash_refunds_all,
         k.min_seq, k.max_seq, k.first_hlc, k.prev_seq, k.cash_in, k.cash_out, k.approval_id
       FROM shift_cash_counters k
       WHERE k.organization_id = ANY($1::text[]) AND k.terminal_id = ANY($2::text[]) AND k.shift_hlc IS NOT NULL
         AND ($5::text IS NOT NULL OR (k.shift_opened >= $3 AND k.shift_opened < $4))
         AND ($5::text IS NULL OR k.shift_id = $5)
     ),
     -- All of them; beyond $6 only the newest $6 (the view then says it is truncated). Sorted only
     -- then: sorting a week's 3,200 rows to keep them all was a third of the statement.
     k AS MATERIALIZED (
       SELECT * FROM named WHERE (SELECT count(*) FROM named) <= $6
       UNION ALL
       (SELECT * FROM named WHERE (SELECT count(*) FROM named) > $6
        ORDER BY shift_opened COLLATE "C" DESC, terminal_id COLLATE "C", id COLLATE "C"
        LIMIT $6)
     ),
     f AS (
       -- A till whose receipts all name their shift (every till since receipts carry it): its
       -- counters are the figures, no per-shift probe at all.
       SELECT k.organization_id, k.terminal_id, k.id, k.hlc, k.approval_id,
         k.cash_sales AS sales, k.cash_refunds AS refunds, k.cash_sales_all AS sales_all,
         k.cash_refunds_all AS refunds_all, k.receipts, k.voided_receipts AS voided,
         k.min_seq, k.max_seq, k.receipts AS distinct_seqs, k.prev_seq, k.cash_in, k.cash_out
       FROM k
       WHERE NOT EXISTS (SELECT 1 FROM legacy g WHERE g.org = k.organization_id AND g.terminal = k.terminal_id)
       UNION ALL
       -- A till with receipts naming no shift: those accepted inside the snapshot's times count too.
       SELECT k.organization_id, k.terminal_id, k.id, k.hlc, k.approval_id,
         k.cash_sales + t.sales, k.cash_refunds + t.refunds, k.cash_sales_all + t.sales_all,
         k.cash_refunds_all + t.refunds_all, (k.receipts + t.receipts)::int, (k.voided_receipts + t.voided)::int,
         least(k.min_seq, t.min_seq), greatest(k.max_seq, t.max_seq), (k.receipts + t.distinct_seqs)::int,
         CASE WHEN t.first_hlc IS NOT NULL AND (k.first_hlc IS NULL OR t.first_hlc < k.first_hlc)
           THEN (SELECT x.seq FROM receipts x WHERE x.organization_id = v.org AND x.terminal_id = v.terminal
                 AND x.hlc < t.first_hlc ORDER BY x.hlc DESC LIMIT 1)
           ELSE k.prev_seq END,
         k.cash_in, k.cash_out
       FROM k
       JOIN legacy g ON g.org = k.organization_id AND g.terminal = k.terminal_id
       -- The snapshot's times (OFFSET 0: one probe per shift, not a join with every stored snapshot).
       CROSS JOIN LATERAL (
         SELECT r.data FROM terminal_records r
         WHERE r.organization_id = k.organization_id AND r.terminal_id = k.terminal_id AND r.kind = 'shift' AND r.id = k.id
         OFFSET 0
       ) rec
       CROSS JOIN LATERAL (
         SELECT k.organization_id AS org, k.terminal_id AS terminal, k.id AS shift,
           ${SNAPSHOT_TIME("(rec.data->>'openedAt')")} AS opened,
           CASE WHEN rec.data->>'status' = 'closed' THEN ${SNAPSHOT_TIME("(rec.data->>'closedAt')")} END AS closed,
           CASE WHEN rec.data->>'status' = 'closed' THEN k.hlc END AS close_hlc,
           ${PREVIOUS_SNAPSHOT_HLC("k.organization_id", "k.terminal_id", "k.id", "k.hlc")} AS prev_hlc
         OFFSET 0
       ) v
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
         FROM receipts x WHERE v.opened IS NOT NULL AND ${inShiftByTime("v.prev_hlc")}
       ) t
     )
     -- Most figures have their usual value (no voids, no cash in/out, no hole): sent as NULL then,
     -- 3,200 rows of a dozen numbers each cost more to send and parse than to compute.
     SELECT f.terminal_id, f.id, f.hlc, nullif((SELECT count(*) FROM named) > $6, false) AS truncated,
       f.sales, f.refunds, f.receipts,
       nullif(f.sales_all, f.sales) AS sales_all, nullif(f.refunds_all, f.refunds) AS refunds_all,
       nullif(f.voided, 0) AS voided, nullif(f.cash_in, 0) AS cash_in, nullif(f.cash_out, 0) AS cash_out,
       -- A hole before its first stored receipt or inside its range: the seq it counts from.
       CASE WHEN f.min_seq > coalesce(f.prev_seq, 0) + 1 OR f.max_seq - f.min_seq + 1 > f.distinct_seqs
         THEN coalesce(f.prev_seq, 0) END AS holed_after,
       CASE WHEN a.id IS NOT NULL THEN json_build_object('id', a.id, 'expected', a.expected::text,
         'counted', a.counted::text, 'variance', a.variance::text, 'tolerance', a.tolerance::text, 'note', a.note,
         'approved_by', a.approved_by, 'approved_by_name', a.approved_by_name, 'role', a.role,
         'approved_at', a.approved_at) END AS approval
     FROM f
     LEFT JOIN cash_approvals a
       ON a.organization_id = f.organization_id AND a.terminal_id = f.terminal_id AND a.shift_id = f.id
         AND a.id = f.approval_id`,
    [
      [...new Set(terminals.map((t) => t.organizationId))],
      terminals.map((t) => t.id),
      bounds.from,
      bounds.to,
      filter.shiftId ?? null,
      MAX_SHIFTS,
      terminals.map((t) => t.organizationId),
      lowestHlc,
    ],
  );
  const [rows, fnsOf, toleranceOf] = await Promise.all([ledger, documents, tolerance]);
  // The SQL kept at most the newest MAX_SHIFTS, in no particular order (the pages sort).
  const snapshotOf = await snapshotsOf(db, rows, byId);
  const shifts: LedgerRow[] = [];
  rows.forEach((row, n) => {
    const terminal = byId.get(row.terminal_id)!;
    const parsed = snapshotOf[n] ?? null;
    const snapshot = parsed?.snapshot ?? null;
    const day = parsed ? dayOf(parsed, terminal.store.timezone) : "";
    if (parsed && !filter.shiftId && (day < filter.dayFrom || day > filter.dayTo)) return;
    const fns = snapshot ? (fnsOf.get(row.terminal_id)?.get(snapshot.number) ?? NO_DOCUMENTS) : NO_DOCUMENTS;
    shifts.push({
      organizationId: terminal.organizationId,
      terminalId: row.terminal_id,
      shiftId: row.id,
      terminalName: terminal.name,
      storeId: terminal.storeId,
      storeName: terminal.store.name,
      timezone: terminal.store.timezone,
      snapshot,
      hlc: row.hlc,
      openedAt: parsed?.openedAt ?? EPOCH,
      closedAt: parsed?.closedAt ?? null,
      openedIso: parsed?.openedIso ?? EPOCH_ISO,
      closedIso: parsed?.closedIso ?? null,
      day,
      figures: parsed ? toFigures(row, documentsInWindow(fns, parsed)) : null,
      approval: row.approval === null ? null : approvalOf(row.approval),
      tolerance: toleranceOf.get(terminal.organizationId) ?? null,
    });
  });
  return { shifts, truncated: rows[0]?.truncated === true, terminals };
}

/**
 * Snapshots already parsed, by terminal and shift, with the HLC of the one parsed: a stored snapshot
 * is replaced only by one with a later HLC, so the same HLC is the same snapshot. A chain's week is
 * thousands of them, read again on every page: sending and parsing them cost more than the
 * figures. Cleared when it grows. (Terminal ids are unique across organizations: terminals'
 * @@unique([id]).) Keyed by the row's own strings, not a key built per row: 3,200 lookups a page.
 */
const snapshots = new Map<string, Map<string, { hlc: string; parsed: ParsedShift | null }>>();
let snapshotCount = 0;

const EPOCH = new Date(0);
const EPOCH_ISO = EPOCH.toISOString();

/**
 * A snapshot that parsed, with its times as instants and as UTC ISO text (made once: thousands per
 * page, and a week's export wrote 6,400 of them with `toISOString`, ~1 µs each).
 */
interface ParsedShift {
  snapshot: TShiftSnapshot;
  openedAt: Date;
  closedAt: Date | null;
  openedIso: string;
  closedIso: string | null;
  /** Its store-local day, in the zone it was last worked out for (a store's zone rarely changes). */
  day?: { timezone: string; day: string };
}

function dayOf(parsed: ParsedShift, timezone: string): string {
  if (parsed.day?.timezone !== timezone) parsed.day = { timezone, day: dayIn(timezone, parsed.openedAt) };
  return parsed.day.day;
}

function parseShift(data: unknown): ParsedShift | null {
  const parsed = ZShiftSnapshot.safeParse(data);
  if (!parsed.success) return null;
  const s = parsed.data;
  const openedAt = new Date(s.openedAt);
  const closedAt = s.status === "closed" && s.closedAt ? new Date(s.closedAt) : null;
  return {
    snapshot: s,
    openedAt,
    closedAt,
    openedIso: openedAt.toISOString(),
    closedIso: closedAt?.toISOString() ?? null,
  };
}
/**
 * Each row's parsed snapshot (null: it does not parse), in the rows' order: from the cache, the
 * rest read by key. A snapshot replaced since the ledger's statement is read as it now is.
 */
async function snapshotsOf(
  db: CentralDatabase,
  rows: readonly { terminal_id: string; id: string; hlc: string }[],
  terminals: ReadonlyMap<string, ScopedTerminal>,
): Promise<(ParsedShift | null)[]> {
  const found: (ParsedShift | null)[] = new Array(rows.length);
  const missing = new Map<string, number>();
  rows.forEach((row, n) => {
    const known = snapshots.get(row.terminal_id)?.get(row.id);
    if (known?.hlc === row.hlc) found[n] = known.parsed;
    else missing.set(`${row.terminal_id}/${row.id}`, n);
  });
  if (missing.size === 0) return found;
  const wanted = [...missing.values()].map((n) => rows[n]!);
  const stored = await db.sql.query<{ terminal_id: string; id: string; hlc: string; data: unknown }>(
    `SELECT r.terminal_id, r.id, r.hlc, r.data
     FROM unnest($1::text[], $2::text[], $3::text[]) AS v(org, terminal, id)
     JOIN terminal_records r
       ON r.organization_id = v.org AND r.terminal_id = v.terminal AND r.kind = 'shift' AND r.id = v.id`,
    [
      wanted.map((r) => terminals.get(r.terminal_id)!.organizationId),
      wanted.map((r) => r.terminal_id),
      wanted.map((r) => r.id),
    ],
  );
  if (snapshotCount + stored.length > 100_000) {
    snapshots.clear();
    snapshotCount = 0;
  }
  for (const row of stored) {
    const parsed = parseShift(row.data);
    let ofTerminal = snapshots.get(row.terminal_id);
    if (!ofTerminal) {
      ofTerminal = new Map();
      snapshots.set(row.terminal_id, ofTerminal);
    }
    if (!ofTerminal.has(row.id)) snapshotCount += 1;
    ofTerminal.set(row.id, { hlc: row.hlc, parsed });
    found[missing.get(`${row.terminal_id}/${row.id}`)!] = parsed;
  }
  // A snapshot gone since the statement (none are deleted today) reads as unreadable, not as missing.
  for (const n of missing.values()) if (found[n] === undefined) found[n] = null;
  return found;
}

/** Each scoped organization's tolerance (kopecks). */
async function tolerances(
  db: CentralDatabase,
  terminals: readonly ScopedTerminal[],
): Promise<Map<string, bigint>> {
  const rows = await db.sql.query<{ id: string; cash_tolerance: bigint }>(
    "SELECT id, cash_tolerance FROM organizations WHERE id = ANY($1::text[])",
    [[...new Set(terminals.map((t) => t.organizationId))]],
  );
  return new Map(rows.map((r) => [r.id, BigInt(r.cash_tolerance)]));
}

/** The approval as the ledger's statement sends it (json_build_object: amounts as text). */
interface ApprovalJson {
  id: string;
  expected: string;
  counted: string;
  variance: string;
  tolerance: string;
  note: string;
  approved_by: string;
  approved_by_name: string;
  role: string;
  approved_at: string;
}

function approvalOf(a: ApprovalJson): ApprovalView {
  return toApproval({
    ...a,
    expected: BigInt(a.expected),
    counted: BigInt(a.counted),
    variance: BigInt(a.variance),
    tolerance: BigInt(a.tolerance),
    approved_at: new Date(a.approved_at),
  });
}

/**
 * The scoped tills' register shifts (FN and shift number: their stored documents, kept by ingest
 * in register_shift_documents) printed since `from` less two days — more than any shift opened in
 * the range can use (a day either side, fiscalStored's window, and a snapshot's time written with
 * an offset may lie up to 14 h before its text) — by terminal and shift number: one range of
 * (organization_id, last_fiscalized_at) instead of a probe per shift. `from` null (one shift):
 * all of its till's.
 */
async function registerShifts(
  db: CentralDatabase,
  terminals: readonly ScopedTerminal[],
  from: string | null,
): Promise<Map<string, Map<number, DocumentsRow[]>>> {
  const rows = await db.sql.query<DocumentsRow & { terminal_id: string; shift_number: number }>(
    `SELECT d.terminal_id, d.shift_number, d.receipts AS documents,
       (extract(epoch FROM d.first_fiscalized_at) * 1000)::float8 AS first_ms,
       (extract(epoch FROM d.last_fiscalized_at) * 1000)::float8 AS last_ms
     FROM register_shift_documents d
     WHERE d.organization_id = ANY($1::text[]) AND d.terminal_id = ANY($2::text[])
       AND ($3::timestamptz IS NULL OR d.last_fiscalized_at >= $3::timestamptz - interval '2 days')`,
    [[...new Set(terminals.map((t) => t.organizationId))], terminals.map((t) => t.id), from],
  );
  const byTerminal = new Map<string, Map<number, DocumentsRow[]>>();
  for (const row of rows) {
    let ofTerminal = byTerminal.get(row.terminal_id);
    if (!ofTerminal) {
      ofTerminal = new Map();
      byTerminal.set(row.terminal_id, ofTerminal);
    }
    const fns = ofTerminal.get(row.shift_number);
    if (fns) fns.push(row);
    else ofTerminal.set(row.shift_number, [row]);
  }
  return byTerminal;
}

/**
 * fiscalStored's rule on the register shifts of the snapshot's number: a shift without both FDs
 * has none; of the FNs that printed a shift of that number, the one whose documents were printed
 * while this shift was open (± a day).
 */
function documentsInWindow(fns: readonly DocumentsRow[], shift: ParsedShift): number {
  const s = shift.snapshot;
  if (s.openFd === null || s.openFd === undefined || s.closeFd === null || s.closeFd === undefined) return 0;
  const opened = shift.openedAt.getTime();
  const closed = shift.closedAt?.getTime() ?? opened;
  let stored = 0;
  for (const fn of fns) {
    if (Number(fn.last_ms) >= opened - DAY_MS && Number(fn.first_ms) <= closed + DAY_MS) {
      stored += Number(fn.documents);
    }
  }
  return stored;
}

const NO_DOCUMENTS: readonly DocumentsRow[] = [];

interface DocumentsRow {
  documents: number;
  first_ms: number;
  last_ms: number;
}

type Int8 = bigint | string | number;

/** A shift's figures as the ledger's statement sends them: NULL where the value is the usual one. */
interface LedgerSqlRow {
  terminal_id: string;
  id: string;
  hlc: string;
  /** True (on every row): more than MAX_SHIFTS matched, these are the newest. */
  truncated: boolean | null;
  sales: Int8;
  refunds: Int8;
  receipts: number;
  sales_all: Int8 | null;
  refunds_all: Int8 | null;
  voided: number | null;
  cash_in: Int8 | null;
  cash_out: Int8 | null;
  holed_after: Int8 | null;
  approval: ApprovalJson | null;
}

function toFigures(r: LedgerSqlRow, fiscalStored: number): StoredFigures {
  return {
    cashSales: BigInt(r.sales),
    cashRefunds: BigInt(r.refunds),
    cashSalesAll: BigInt(r.sales_all ?? r.sales),
    cashRefundsAll: BigInt(r.refunds_all ?? r.refunds),
    receipts: r.receipts,
    voidedReceipts: r.voided ?? 0,
    fiscalStored,
    holed: r.holed_after !== null,
    previousSeq: r.holed_after === null ? 0 : Number(r.holed_after),
    cashIn: r.cash_in === null ? 0n : BigInt(r.cash_in),
    cashOut: r.cash_out === null ? 0n : BigInt(r.cash_out),
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
  /** Its till's receipt sequence has a hole before its first stored receipt or inside its range. */
  holed: boolean;
  /** The till's last receipt seq before the shift opened (0 = none); meaningful when holed. */
  previousSeq: number;
  cashIn: bigint;
  cashOut: bigint;
}

// A voided receipt (status voided: no fiscal document, voided on the till) never counts as cash.
const COUNTED = "NOT (x.voided_at IS NOT NULL AND x.fd_number IS NULL)";

/**
 * Which receipts naming no shift are the shift's by time, as a range of the partial
 * (organization_id, terminal_id, hlc) WHERE shift_id IS NULL index plus the exact test on
 * accepted_at. A till's HLC is never behind the wall clock that stamped accepted_at, so nothing
 * accepted after the opening has an HLC below its wall time; and the HLC only grows, so everything
 * accepted before the close has an HLC below the closed snapshot's.
 *
 * Accept times alone overlap where shifts meet: a receipt accepted the very millisecond one shift
 * closed and the next opened (or while the till's clock had stepped back) lies in both windows.
 * The HLC decides, as it does for the close: a receipt at or below `prevHlc`, the till's previous
 * stored snapshot (PREVIOUS_SNAPSHOT_HLC), was accepted before that snapshot and so before this
 * shift opened — it is the earlier shift's, not this one's.
 */
const inShiftByTime = (
  prevHlc: string,
) => `x.organization_id = v.org AND x.terminal_id = v.terminal AND x.shift_id IS NULL
         AND x.hlc >= lpad((extract(epoch FROM v.opened) * 1000)::bigint::text, 13, '0')
         AND (${prevHlc} IS NULL OR x.hlc > ${prevHlc})
         AND (v.close_hlc IS NULL OR x.hlc <= v.close_hlc)
         AND x.accepted_at >= v.opened AND (v.closed IS NULL OR x.accepted_at <= v.closed)`;

/**
 * The HLC of the till's stored snapshot just before the shift's own (`hlc`): its previous shift's
 * close (or that shift's opening, while its close has not arrived). A till keeps one shift at a
 * time and its HLC only grows, so no other shift's snapshot lies between this one's opening and
 * its stored snapshot. The till's few shift rows by primary-key prefix; read only for tills with
 * receipts naming no shift.
 */
const PREVIOUS_SNAPSHOT_HLC = (org: string, terminal: string, shift: string, hlc: string) =>
  `(SELECT max(p.shift_hlc) FROM shift_cash_counters p
    WHERE p.organization_id = ${org} AND p.terminal_id = ${terminal} AND p.shift_id <> ${shift}
      AND p.shift_hlc < ${hlc})`;

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

/** A shift's stored snapshot's HLC, as its counters row names it (NAME_SNAPSHOTS). */
const OWN_SNAPSHOT_HLC = `(SELECT c.shift_hlc FROM shift_cash_counters c
    WHERE c.organization_id = v.org AND c.terminal_id = v.terminal AND c.shift_id = v.shift)`;

/** The stored seqs of the shifts whose sequence has holes (only those: the common case needs no list). */
export async function shiftSeqs(db: CentralDatabase, shifts: readonly ShiftKey[]): Promise<number[][]> {
  if (shifts.length === 0) return [];
  const rows = await withoutJit(db).query<{ i: number; seqs: bigint[] | null }>(
    `SELECT v.i, (SELECT array_agg(DISTINCT s.seq ORDER BY s.seq) FROM (
         SELECT x.seq FROM receipts x
         WHERE x.organization_id = v.org AND x.terminal_id = v.terminal AND x.shift_id = v.shift
         UNION ALL
         SELECT x.seq FROM receipts x WHERE ${inShiftByTime("pv.prev_hlc")}
       ) s) AS seqs
     FROM ${SHIFTS}
     CROSS JOIN LATERAL (
       SELECT ${PREVIOUS_SNAPSHOT_HLC("v.org", "v.terminal", "v.shift", OWN_SNAPSHOT_HLC)} AS prev_hlc
     ) pv
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
