import { permitted } from "../permissions.ts";
import { csvCell, csvRow, roubles } from "./csv.ts";
import { ZExportCashCsvInput, ZExportCashCsvOutput } from "./export-csv.types.ts";
import { filteredShifts } from "./filter.ts";
import type { TShiftReconciliation } from "./shift-view.types.ts";
import { textRanks } from "./text-rank.ts";

const COLUMNS: [string, (s: TShiftReconciliation) => string][] = [
  ["store", (s) => csvCell(s.storeName)],
  ["day", (s) => csvCell(s.day)],
  ["terminal", (s) => csvCell(s.terminalName)],
  ["shift_number", (s) => csvCell(s.number, "number")],
  ["shift_id", (s) => csvCell(s.shiftId)],
  ["opened_at", (s) => csvCell(s.openedAt.toISOString())],
  ["closed_at", (s) => csvCell(s.closedAt?.toISOString())],
  ["cashier", (s) => csvCell(s.cashierName)],
  ["opening_float", (s) => roubles(s.openingFloat)],
  ["cash_sales", (s) => roubles(s.cashSales)],
  ["cash_refunds", (s) => roubles(s.cashRefunds)],
  ["cash_in", (s) => roubles(s.cashIn)],
  ["cash_out", (s) => roubles(s.cashOut)],
  ["expected", (s) => roubles(s.expected)],
  ["counted", (s) => roubles(s.counted)],
  ["variance", (s) => roubles(s.variance)],
  ["tolerance", (s) => roubles(s.tolerance)],
  ["state", (s) => csvCell(s.state)],
  ["provisional", (s) => (s.provisional ? "yes" : "no")],
  ["missing_receipts", (s) => csvCell(s.missing.missingReceipts + s.missing.fiscalDocuments, "number")],
  ["approved_by", (s) => csvCell(s.state === "approved" ? s.approval?.approvedByName : null)],
  ["approved_at", (s) => csvCell(s.state === "approved" ? s.approval?.approvedAt.toISOString() : null)],
  ["approval_note", (s) => csvCell(s.state === "approved" ? s.approval?.note : null)],
];

/** The filter's shifts as CSV text (the page downloads it; apps/admin's route handler serves it as a file). */
export const exportCashCsvProcedure = permitted("cash.view")
  .input(ZExportCashCsvInput)
  .output(ZExportCashCsvOutput)
  .query(async ({ ctx, input }) => {
    const result = await filteredShifts(ctx.db, ctx.scope, input, ctx.now());
    const days = textRanks(result.shifts.map((s) => s.day));
    const stores = textRanks(result.shifts.map((s) => s.storeName));
    const terminals = textRanks(result.shifts.map((s) => s.terminalName));
    const shifts = result.shifts
      .map((s) => ({
        s,
        day: days.get(s.day)!,
        store: stores.get(s.storeName)!,
        terminal: terminals.get(s.terminalName)!,
        opened: s.openedAt.getTime(),
      }))
      .sort((a, b) => a.day - b.day || a.store - b.store || a.terminal - b.terminal || a.opened - b.opened)
      .map(({ s }) => s);
    const csv =
      csvRow(COLUMNS.map(([name]) => name)) +
      shifts.map((s) => csvRow(COLUMNS.map(([, cell]) => cell(s)))).join("");
    return {
      filename: `kassa-cash-${result.dayFrom}_${result.dayTo}.csv`,
      csv,
      rows: shifts.length,
      truncated: result.truncated,
    };
  });
