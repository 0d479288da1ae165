import { permitted } from "../permissions.ts";
import { csvCell, csvRow, csvTextCells, roubles } from "./csv.ts";
import { ZExportCashCsvInput, ZExportCashCsvOutput } from "./export-csv.types.ts";
import { filteredShifts } from "./filter.ts";
import type { ReconciledShift } from "./reconcile.ts";
import { textRanks } from "./text-rank.ts";

const COLUMNS = [
  "store",
  "day",
  "terminal",
  "shift_number",
  "shift_id",
  "opened_at",
  "closed_at",
  "cashier",
  "opening_float",
  "cash_sales",
  "cash_refunds",
  "cash_in",
  "cash_out",
  "expected",
  "counted",
  "variance",
  "tolerance",
  "state",
  "provisional",
  "missing_receipts",
  "approved_by",
  "approved_at",
  "approval_note",
];

/** One shift's line, its cells in COLUMNS order (`text` quotes and neutralises text, see csvCell). */
function line(s: ReconciledShift, text: (value: string | null | undefined) => string): string {
  const approved = s.state === "approved" ? s.approval : null;
  return csvRow([
    text(s.storeName),
    text(s.day),
    text(s.terminalName),
    csvCell(s.number, "number"),
    csvCell(s.shiftId),
    csvCell(s.openedIso),
    csvCell(s.closedIso),
    text(s.cashierName),
    roubles(s.openingFloat),
    roubles(s.cashSales),
    roubles(s.cashRefunds),
    roubles(s.cashIn),
    roubles(s.cashOut),
    roubles(s.expected),
    roubles(s.counted),
    roubles(s.variance),
    roubles(s.tolerance),
    s.state,
    s.provisional ? "yes" : "no",
    String(s.missing.missingReceipts + s.missing.fiscalDocuments),
    text(approved?.approvedByName),
    csvCell(approved?.approvedAt.toISOString()),
    text(approved?.note),
  ]);
}

/** The filter's shifts as CSV text (the page downloads it; apps/admin's route handler serves it as a file). */
export const exportCashCsvProcedure = permitted("cash.view")
  .input(ZExportCashCsvInput)
  .output(ZExportCashCsvOutput)
  .query(async ({ ctx, input }) => {
    const result = await filteredShifts(ctx.db, ctx.scope, input, ctx.now());
    return {
      filename: `kassa-cash-${result.dayFrom}_${result.dayTo}.csv`,
      csv: cashCsv(result.shifts),
      rows: result.shifts.length,
      truncated: result.truncated,
    };
  });

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The header and one line per shift, by day, store, till and opening. */
export function cashCsv(unsorted: readonly ReconciledShift[]): string {
  const days = textRanks(unsorted.map((s) => s.day));
  const stores = textRanks(unsorted.map((s) => s.storeName));
  const terminals = textRanks(unsorted.map((s) => s.terminalName));
  const shifts = unsorted
    .map((s) => ({
      s,
      day: days.get(s.day)!,
      store: stores.get(s.storeName)!,
      terminal: terminals.get(s.terminalName)!,
      opened: s.openedAt.getTime(),
    }))
    .sort(
      (a, b) =>
        a.day - b.day ||
        a.store - b.store ||
        a.terminal - b.terminal ||
        a.opened - b.opened ||
        // Ties (namesakes opened in the same millisecond) by ids, whatever order the ledger read them in.
        byteOrder(a.s.terminalId, b.s.terminalId) ||
        byteOrder(a.s.shiftId, b.s.shiftId),
    )
    .map(({ s }) => s);
  const text = csvTextCells();
  return csvRow(COLUMNS) + shifts.map((s) => line(s, text)).join("");
}
