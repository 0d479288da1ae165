import type { CentralDatabase } from "../../context.ts";
import type { DashboardScope } from "../scope.ts";
import {
  expectedCash,
  isProvisional,
  type MissingFromShift,
  missingByCounters,
  reconciliationState,
  type SeqRange,
  seqGaps,
} from "./ledger.ts";
import { type LedgerRow, readLedger, type ShiftFilter, shiftSeqs } from "./ledger-queries.ts";
import type { TShiftSnapshot } from "./shift-snapshot.ts";
import type { TShiftReconciliation } from "./shift-view.types.ts";

/** Default when an organization row is missing its tolerance: 100 ₽ (schema.prisma, cashTolerance). */
export const DEFAULT_TOLERANCE = 10_000n;

/** A shift without holes (shared: thousands of shifts, none of them changes it). */
const NO_GAP: { ranges: SeqRange[]; count: number } = { ranges: [], count: 0 };

/** A reconciled shift, with its times also as the UTC ISO text the CSV writes (kept per snapshot). */
export interface ReconciledShift extends TShiftReconciliation {
  openedIso: string;
  closedIso: string | null;
}

export interface Reconciled {
  shifts: ReconciledShift[];
  /** Shift records whose snapshot did not parse (an agent bug or a foreign writer): listed, never guessed at. */
  unreadable: { terminalId: string; shiftId: string }[];
  truncated: boolean;
}

/** Every scoped shift matching `filter`, reconciled: the one computation the list, the days, the CSV and approval share. */
export async function reconcileShifts(
  db: CentralDatabase,
  scope: DashboardScope,
  filter: ShiftFilter,
): Promise<Reconciled> {
  const { shifts: records, truncated } = await readLedger(db, scope, filter);
  const readable: (LedgerRow & { snapshot: TShiftSnapshot })[] = [];
  const unreadable: Reconciled["unreadable"] = [];
  for (const r of records) {
    if (r.snapshot) readable.push(r as LedgerRow & { snapshot: TShiftSnapshot });
    else unreadable.push({ terminalId: r.terminalId, shiftId: r.shiftId });
  }
  // What the seq lists need of a shift (only for the few with holes).
  const keyOf = (r: LedgerRow & { snapshot: TShiftSnapshot }) => ({
    organizationId: r.organizationId,
    terminalId: r.terminalId,
    shiftId: r.shiftId,
    number: r.snapshot.number,
    openedAt: r.openedAt,
    closedAt: r.closedAt,
    openFd: r.snapshot.openFd ?? null,
    closeFd: r.snapshot.closeFd ?? null,
    closeHlc: r.snapshot.status === "closed" ? r.hlc : null,
  });
  // A readable snapshot always has its figures (readLedger).
  const figures = readable.map((r) => r.figures!);
  // Holes in the sequence: before the shift's first stored receipt, or inside its range.
  const holed: number[] = [];
  figures.forEach((f, index) => {
    if (f.holed) holed.push(index);
  });
  const seqLists = await shiftSeqs(
    db,
    holed.map((index) => keyOf(readable[index]!)),
  );
  const gaps = new Map(
    holed.map((index, n) => [index, seqGaps(figures[index]!.previousSeq, seqLists[n] ?? [])]),
  );

  const shifts = readable.map((record, index): ReconciledShift => {
    const s = record.snapshot;
    const f = figures[index]!;
    const closed = record.closedAt !== null;
    const openingFloat = BigInt(s.openingFloat);
    const expected = expectedCash({
      openingFloat,
      cashSales: f.cashSales,
      cashRefunds: f.cashRefunds,
      cashIn: f.cashIn,
      cashOut: f.cashOut,
    });
    const counted =
      closed && s.countedCash !== null && s.countedCash !== undefined ? BigInt(s.countedCash) : null;
    const approval = record.approval;
    const orgTolerance = record.tolerance ?? DEFAULT_TOLERANCE;
    const { state, variance } = reconciliationState({
      closed,
      expected,
      counted,
      tolerance: orgTolerance,
      latestApproval: approval,
    });
    const gap = gaps.get(index) ?? NO_GAP;
    const missing: MissingFromShift = {
      receiptSeqs: gap.ranges,
      missingReceipts: gap.count,
      ...missingByCounters({
        till: closed ? (s.cash ?? null) : null,
        storedIncludingVoided: { cashSales: f.cashSalesAll, cashRefunds: f.cashRefundsAll },
        storedMovements: { cashIn: f.cashIn, cashOut: f.cashOut },
        openFd: s.openFd ?? null,
        closeFd: closed ? (s.closeFd ?? null) : null,
        fiscalStored: f.fiscalStored,
      }),
    };
    return {
      organizationId: record.organizationId,
      terminalId: record.terminalId,
      terminalName: record.terminalName,
      storeId: record.storeId,
      storeName: record.storeName,
      timezone: record.timezone,
      shiftId: record.shiftId,
      number: s.number,
      day: record.day,
      openedAt: record.openedAt,
      closedAt: record.closedAt,
      openedIso: record.openedIso,
      closedIso: record.closedIso,
      cashierName: s.cashierName,
      openingFloat,
      cashSales: f.cashSales,
      cashRefunds: f.cashRefunds,
      cashIn: f.cashIn,
      cashOut: f.cashOut,
      expected,
      tillExpected: closed && s.cash ? BigInt(s.cash.expected) : null,
      counted,
      variance,
      tolerance: orgTolerance,
      state,
      provisional: isProvisional(missing),
      missing,
      receipts: f.receipts,
      voidedReceipts: f.voidedReceipts,
      approval,
    };
  });
  // By id: the ledger reads shifts in no particular order.
  unreadable.sort((a, b) =>
    a.terminalId === b.terminalId ? (a.shiftId < b.shiftId ? -1 : 1) : a.terminalId < b.terminalId ? -1 : 1,
  );
  return { shifts, unreadable, truncated };
}
