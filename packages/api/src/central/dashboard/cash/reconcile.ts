import type { CentralDatabase } from "../../context.ts";
import type { DashboardScope } from "../scope.ts";
import { dayIn } from "./days.ts";
import {
  expectedCash,
  isProvisional,
  type MissingFromShift,
  missingByCounters,
  reconciliationState,
  seqGaps,
} from "./ledger.ts";
import { type LedgerRow, readLedger, type ShiftFilter, shiftSeqs, storedFigures } from "./ledger-queries.ts";
import type { TShiftSnapshot } from "./shift-snapshot.ts";
import type { TShiftReconciliation } from "./shift-view.types.ts";

/** Default when an organization row is missing its tolerance: 100 ₽ (schema.prisma, cashTolerance). */
export const DEFAULT_TOLERANCE = 10_000n;

export interface Reconciled {
  shifts: TShiftReconciliation[];
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
  const readable = records.filter((r): r is LedgerRow & { snapshot: TShiftSnapshot } => r.snapshot !== null);
  const unreadable = records
    .filter((r) => r.snapshot === null)
    .map((r) => ({ terminalId: r.terminalId, shiftId: r.shiftId }));
  const inputs = readable.map((r) => ({
    organizationId: r.organizationId,
    terminalId: r.terminalId,
    shiftId: r.shiftId,
    number: r.snapshot.number,
    openedAt: new Date(r.snapshot.openedAt),
    closedAt: r.snapshot.status === "closed" && r.snapshot.closedAt ? new Date(r.snapshot.closedAt) : null,
    openFd: r.snapshot.openFd ?? null,
    closeFd: r.snapshot.closeFd ?? null,
    closeHlc: r.snapshot.status === "closed" ? r.hlc : null,
  }));
  // Snapshots whose times SQL could not read as agents write them: summed from the parsed snapshot.
  const unsummed = readable.flatMap((r, index) => (r.figures === null ? [index] : []));
  const summed = await storedFigures(
    db,
    unsummed.map((index) => inputs[index]!),
  );
  const figures = readable.map((r) => r.figures!);
  unsummed.forEach((index, n) => {
    figures[index] = summed[n]!;
  });
  // Holes in the sequence: before the shift's first stored receipt, or inside its range.
  const holed = figures
    .map((f, index) => ({ f, index }))
    .filter(
      ({ f }) =>
        f.minSeq !== null &&
        f.maxSeq !== null &&
        (f.minSeq > f.previousSeq + 1 || f.maxSeq - f.minSeq + 1 > f.distinctSeqs),
    );
  const seqLists = await shiftSeqs(
    db,
    holed.map(({ index }) => inputs[index]!),
  );
  const gaps = new Map(holed.map(({ f, index }, n) => [index, seqGaps(f.previousSeq, seqLists[n] ?? [])]));

  const shifts = readable.map((record, index): TShiftReconciliation => {
    const s = record.snapshot;
    const f = figures[index]!;
    const input = inputs[index]!;
    const closed = input.closedAt !== null;
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
    const gap = gaps.get(index) ?? { ranges: [], count: 0 };
    const missing: MissingFromShift = {
      receiptSeqs: gap.ranges,
      missingReceipts: gap.count,
      ...missingByCounters({
        till: closed ? (s.cash ?? null) : null,
        storedIncludingVoided: { cashSales: f.cashSalesAll, cashRefunds: f.cashRefundsAll },
        storedMovements: { cashIn: f.cashIn, cashOut: f.cashOut },
        openFd: input.openFd,
        closeFd: closed ? input.closeFd : null,
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
      day: dayIn(record.timezone, input.openedAt),
      openedAt: input.openedAt,
      closedAt: input.closedAt,
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
  return { shifts, unreadable, truncated };
}
