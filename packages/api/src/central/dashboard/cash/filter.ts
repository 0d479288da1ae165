import type { CentralDatabase } from "../../context.ts";
import type { DashboardScope } from "../scope.ts";
import { scopedTerminals } from "../scoped-terminals.ts";
import { addDays, dayIn, daySpan, MAX_DAYS } from "./days.ts";
import type { TCashFilter } from "./filter.types.ts";
import { type Reconciled, reconcileShifts } from "./reconcile.ts";
import type { TShiftReconciliation } from "./shift-view.types.ts";

/** The day range a filter names: both days, or one (that day alone); null when it names none. */
export function dayRange(filter: TCashFilter): { dayFrom: string; dayTo: string } | null {
  const dayTo = filter.dayTo ?? filter.dayFrom;
  if (dayTo === undefined) return null;
  let dayFrom = filter.dayFrom ?? dayTo;
  if (daySpan(dayFrom, dayTo) > MAX_DAYS) dayFrom = addDays(dayTo, -(MAX_DAYS - 1));
  return { dayFrom, dayTo };
}

/**
 * Today as the filter's stores count days (shifts belong to the store-local day they opened on):
 * from the earliest of their local todays to the latest — one day for a chain in one zone, two
 * while midnight has reached Vladivostok and not Moscow. UTC's today when no till is in scope.
 * The UTC day alone showed a Moscow manager yesterday's shifts from 00:00 to 03:00 every night.
 */
export async function storesToday(
  db: CentralDatabase,
  scope: DashboardScope,
  filter: TCashFilter,
  now: Date,
): Promise<{ dayFrom: string; dayTo: string }> {
  const terminals = await scopedTerminals(db, scope, {
    storeId: filter.storeId,
    terminalId: filter.terminalId,
  });
  const days = [...new Set(terminals.map((t) => t.store.timezone))].map((zone) => dayIn(zone, now)).sort();
  if (days.length === 0) {
    const utc = now.toISOString().slice(0, 10);
    return { dayFrom: utc, dayTo: utc };
  }
  return { dayFrom: days[0]!, dayTo: days[days.length - 1]! };
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
  const days = dayRange(filter) ?? (await storesToday(db, scope, filter, now));
  const result = await reconcileShifts(db, scope, {
    storeId: filter.storeId,
    terminalId: filter.terminalId,
    ...days,
  });
  return { ...result, ...days, shifts: result.shifts.filter((s) => matchesState(s, filter.state)) };
}
