/**
 * Cash reconciliation of one shift, as pure arithmetic on integer kopecks (bigint): the formula,
 * the variance against the organization's tolerance, the approval state and what is still missing.
 */

/** What the central server holds for a shift (receipts not voided, cash in/out records). */
export interface CentralCashFigures {
  openingFloat: bigint;
  cashSales: bigint;
  cashRefunds: bigint;
  cashIn: bigint;
  cashOut: bigint;
}

/** opening float + cash sales − cash refunds + cash in − cash out. */
export function expectedCash(f: CentralCashFigures): bigint {
  return f.openingFloat + f.cashSales - f.cashRefunds + f.cashIn - f.cashOut;
}

const abs = (n: bigint) => (n < 0n ? -n : n);

export type ReconciliationState = "open" | "not_counted" | "within_tolerance" | "needs_approval" | "approved";

export interface ApprovalRecord {
  expected: bigint;
  counted: bigint;
  variance: bigint;
}

/**
 * The shift's state. Counted minus expected beyond ± tolerance needs an approval; an approval holds
 * only for the figures it approved — a late receipt that changes them asks for a new one.
 */
export function reconciliationState(input: {
  closed: boolean;
  expected: bigint;
  counted: bigint | null;
  tolerance: bigint;
  latestApproval: ApprovalRecord | null;
}): { state: ReconciliationState; variance: bigint | null } {
  if (!input.closed) return { state: "open", variance: null };
  if (input.counted === null) return { state: "not_counted", variance: null };
  const variance = input.counted - input.expected;
  if (abs(variance) <= input.tolerance) return { state: "within_tolerance", variance };
  const a = input.latestApproval;
  const holds = a !== null && a.expected === input.expected && a.counted === input.counted;
  return { state: holds ? "approved" : "needs_approval", variance };
}

/** A run of the till's receipt sequence numbers the central server has not received. */
export interface SeqRange {
  from: number;
  to: number;
}

/** What is known to be missing from a shift on the central server; all zero/empty = complete. */
export interface MissingFromShift {
  /** Gaps in the till's per-terminal receipt `seq` up to this shift's last stored receipt. */
  receiptSeqs: SeqRange[];
  missingReceipts: number;
  /** The register's fiscal documents between the shift's open and Z report not stored as receipts. */
  fiscalDocuments: number;
  /** The till's own totals at close minus what is stored (kopecks; positive = not here yet). */
  cashSales: bigint;
  cashRefunds: bigint;
  cashIn: bigint;
  cashOut: bigint;
}

/** Gaps in `seqs` (ascending, distinct) counted from `previous` (the last seq before the shift; 0 = none). */
export function seqGaps(
  previous: number,
  seqs: readonly number[],
  limit = 20,
): { ranges: SeqRange[]; count: number } {
  const ranges: SeqRange[] = [];
  let count = 0;
  let last = previous;
  for (const seq of seqs) {
    if (seq > last + 1) {
      count += seq - last - 1;
      if (ranges.length < limit) ranges.push({ from: last + 1, to: seq - 1 });
    }
    if (seq > last) last = seq;
  }
  return { ranges, count };
}

/**
 * What the till's counters say is not here yet: its closing totals (they count voided receipts
 * only until voided, so they are compared with the central totals *including* voided receipts —
 * a void after close must not look like a missing receipt) and the fiscal documents between the
 * shift's opening report and its Z report (closeFd − openFd − 1, all receipts in Kassa).
 */
/** What the till counted beyond what is stored (0 when it has no figure or the server has it all). */
function short(till: number | undefined, stored: bigint): bigint {
  if (till === undefined) return 0n;
  const counted = BigInt(till);
  return counted <= stored ? 0n : counted - stored;
}

export function missingByCounters(input: {
  till: { cashSales: number; cashRefunds: number; cashIn: number; cashOut: number } | null;
  storedIncludingVoided: { cashSales: bigint; cashRefunds: bigint };
  storedMovements: { cashIn: bigint; cashOut: bigint };
  openFd: number | null;
  closeFd: number | null;
  fiscalStored: number;
}): Pick<MissingFromShift, "fiscalDocuments" | "cashSales" | "cashRefunds" | "cashIn" | "cashOut"> {
  const fiscalExpected =
    input.openFd !== null && input.closeFd !== null && input.closeFd > input.openFd
      ? input.closeFd - input.openFd - 1
      : 0;
  return {
    fiscalDocuments: Math.max(0, fiscalExpected - input.fiscalStored),
    cashSales: short(input.till?.cashSales, input.storedIncludingVoided.cashSales),
    cashRefunds: short(input.till?.cashRefunds, input.storedIncludingVoided.cashRefunds),
    cashIn: short(input.till?.cashIn, input.storedMovements.cashIn),
    cashOut: short(input.till?.cashOut, input.storedMovements.cashOut),
  };
}

export function isProvisional(m: MissingFromShift): boolean {
  return (
    m.missingReceipts > 0 ||
    m.fiscalDocuments > 0 ||
    m.cashSales > 0n ||
    m.cashRefunds > 0n ||
    m.cashIn > 0n ||
    m.cashOut > 0n
  );
}
