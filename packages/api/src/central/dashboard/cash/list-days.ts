import { compareText } from "../compare-text.ts";
import { permitted } from "../permissions.ts";
import { filteredShifts } from "./filter.ts";
import { type TCashDay, ZListCashDaysInput, ZListCashDaysOutput } from "./list-days.types.ts";

/** Cash per store and store-local day: totals of the day's shifts, how many need approval or are provisional. */
export const listCashDaysProcedure = permitted("cash.view")
  .input(ZListCashDaysInput)
  .output(ZListCashDaysOutput)
  .query(async ({ ctx, input }) => {
    const result = await filteredShifts(ctx.db, ctx.scope, input, ctx.now());
    const days = new Map<string, TCashDay>();
    for (const s of result.shifts) {
      const key = `${s.storeId}/${s.day}`;
      const day = days.get(key) ?? {
        storeId: s.storeId,
        storeName: s.storeName,
        day: s.day,
        shifts: 0,
        openShifts: 0,
        expected: 0n,
        counted: 0n,
        variance: 0n,
        needsApproval: 0,
        provisional: 0,
      };
      day.shifts += 1;
      if (s.state === "open") day.openShifts += 1;
      day.expected += s.expected;
      if (s.counted !== null && s.variance !== null) {
        day.counted += s.counted;
        day.variance += s.variance;
      }
      if (s.state === "needs_approval") day.needsApproval += 1;
      if (s.provisional) day.provisional += 1;
      days.set(key, day);
    }
    return {
      days: [...days.values()].sort(
        // Namesake stores (two organizations' "Central") by id, whatever order the ledger read them in.
        (a, b) =>
          compareText(b.day, a.day) ||
          compareText(a.storeName, b.storeName) ||
          (a.storeId < b.storeId ? -1 : a.storeId > b.storeId ? 1 : 0),
      ),
      dayFrom: result.dayFrom,
      dayTo: result.dayTo,
      truncated: result.truncated,
    };
  });
