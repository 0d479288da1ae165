import { AppError } from "../../../errors.ts";
import type { CentralDatabase } from "../../context.ts";
import type { DashboardScope } from "../scope.ts";
import { reconcileShifts } from "./reconcile.ts";
import type { TShiftReconciliation } from "./shift-view.types.ts";

/** One scoped shift, reconciled; NOT_FOUND when missing, outside the scope, or its snapshot is unreadable. */
export async function oneShift(
  db: CentralDatabase,
  scope: DashboardScope,
  ref: { terminalId: string; shiftId: string },
): Promise<TShiftReconciliation> {
  const { shifts, unreadable } = await reconcileShifts(db, scope, {
    terminalId: ref.terminalId,
    shiftId: ref.shiftId,
    dayFrom: "",
    dayTo: "",
  });
  const shift = shifts[0];
  if (shift) return shift;
  throw new AppError("NOT_FOUND", {
    message:
      unreadable.length > 0
        ? `Shift ${ref.shiftId} of terminal ${ref.terminalId} is stored in a form this server cannot read: it cannot be reconciled.`
        : `Shift ${ref.shiftId} of terminal ${ref.terminalId} was not found in your stores: pick it from the cash page.`,
  });
}
