import { compareText } from "../compare-text.ts";
import { permitted } from "../permissions.ts";
import { filteredShifts } from "./filter.ts";
import { ZListCashShiftsInput, ZListCashShiftsOutput } from "./list-shifts.types.ts";
import type { TShiftReconciliation } from "./shift-view.types.ts";
import { textRanks } from "./text-rank.ts";

const size = (s: TShiftReconciliation) =>
  s.variance === null ? -1n : s.variance < 0n ? -s.variance : s.variance;

/** Shifts with expected, counted and variance, one page of them, sorted on the server. */
export const listCashShiftsProcedure = permitted("cash.view")
  .input(ZListCashShiftsInput)
  .output(ZListCashShiftsOutput)
  .query(async ({ ctx, input }) => {
    const { sort, order, page, pageSize, ...filter } = input;
    const result = await filteredShifts(ctx.db, ctx.scope, filter, ctx.now());
    const sign = order === "asc" ? 1 : -1;
    const terminals = textRanks(result.shifts.map((s) => s.terminalId));
    const sorted = result.shifts
      .map((s) => ({
        s,
        size: size(s),
        opened: s.openedAt.getTime(),
        terminal: terminals.get(s.terminalId)!,
      }))
      .sort((a, b) => {
        const primary =
          sort === "variance" ? (a.size === b.size ? 0 : a.size < b.size ? -1 : 1) : a.opened - b.opened;
        return sign * primary || a.terminal - b.terminal || compareText(a.s.shiftId, b.s.shiftId);
      })
      .map(({ s }) => s);
    return {
      shifts: sorted.slice(page * pageSize, (page + 1) * pageSize),
      total: sorted.length,
      page,
      pageSize,
      dayFrom: result.dayFrom,
      dayTo: result.dayTo,
      counts: {
        needsApproval: result.shifts.filter((s) => s.state === "needs_approval").length,
        provisional: result.shifts.filter((s) => s.provisional).length,
      },
      unreadable: result.unreadable,
      truncated: result.truncated,
    };
  });
