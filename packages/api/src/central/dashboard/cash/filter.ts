import type { CentralDatabase } from "../../context.ts";
import type { DashboardScope } from "../scope.ts";
import { addDays, daySpan, MAX_DAYS } from "./days.ts";
import type { TCashFilter } from "./filter.types.ts";
import { type Reconciled, reconcileShifts } from "./reconcile.ts";
import type { TShiftReconciliation } from "./shift-view.types.ts";

/** The day range a filter means: both given, one given (that day alone), or today (UTC) by default. */
export function dayRange(filter: TCashFilter, now: Date): { dayFrom: string; dayTo: string } {
  const today = now.toISOString().slice(0, 10);
  const dayTo = filter.dayTo ?? filter.dayFrom ?? today;
  let dayFrom = filter.dayFrom ?? dayTo;
  if (daySpan(dayFrom, dayTo) > MAX_DAYS) dayFrom = addDays(dayTo, -(MAX_DAYS - 1));
  return { dayFrom, dayTo };
}

export function matchesState(shift: TShiftReconciliation, state: TCashFilter["state"]): boolean {
  if (state === undefined) return true;
  return state === "provisional" ? shift.provisional : shift.state === state;
}

/** The reconciled shifts a filter selects, newest first. */
export async function filteredShifts(
  db: CentralDatabase,
  scope: DashboardScope,
  filter: TCashFilter,
  now: Date,
): Promise<Reconciled & { dayFrom: string; dayTo: string }> {
  const days = dayRange(filter, now);
  const result = await reconcileShifts(db, scope, {
    storeId: filter.storeId,
    terminalId: filter.terminalId,
    ...days,
  });
  return { ...result, ...days, shifts: result.shifts.filter((s) => matchesState(s, filter.state)) };
}
