import { compareText } from "../compare-text.ts";
import { permitted } from "../permissions.ts";
import { filteredShifts } from "./filter.ts";
import { ZListCashShiftsInput, ZListCashShiftsOutput } from "./list-shifts.types.ts";
import type { TShiftReconciliation } from "./shift-view.types.ts";

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
    const sorted = [...result.shifts].sort((a, b) => {
      const primary =
        sort === "variance"
          ? size(a) === size(b)
            ? 0
            : size(a) < size(b)
              ? -1
              : 1
          : a.openedAt.getTime() - b.openedAt.getTime();
      return sign * primary || compareText(a.terminalId, b.terminalId) || compareText(a.shiftId, b.shiftId);
    });
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
