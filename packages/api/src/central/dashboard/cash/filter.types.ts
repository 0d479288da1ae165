import { z } from "zod";
import { daySpan, MAX_DAYS, ZDay } from "./days.ts";
import { ZReconciliationState } from "./shift-view.types.ts";

/** Which shifts: store, till, the store-local days they opened on (≤ 31), and their state. */
export const ZCashFilter = z.object({
  storeId: z.string().min(1).max(64).optional(),
  terminalId: z.string().min(1).max(64).optional(),
  /** Store-local days, inclusive; default: the stores' own today (filter.ts, storesToday). */
  dayFrom: ZDay.optional(),
  dayTo: ZDay.optional(),
  /** A reconciliation state, or "provisional" (receipts still missing centrally). */
  state: z.union([ZReconciliationState, z.literal("provisional")]).optional(),
});
export type TCashFilter = z.infer<typeof ZCashFilter>;

export function refineDays(
  input: { dayFrom?: string | undefined; dayTo?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (input.dayFrom && input.dayTo) {
    if (input.dayFrom > input.dayTo) {
      ctx.addIssue({ code: "custom", path: ["dayTo"], message: '"dayFrom" must not be after "dayTo".' });
    } else if (daySpan(input.dayFrom, input.dayTo) > MAX_DAYS) {
      ctx.addIssue({ code: "custom", path: ["dayFrom"], message: `at most ${MAX_DAYS} days at once` });
    }
  }
}
