import { z } from "zod";
import { refineDays, ZCashFilter } from "./filter.types.ts";
import { ZShiftReconciliation } from "./shift-view.types.ts";

export const ZListCashShiftsInput = ZCashFilter.extend({
  /** openedAt (default) or the size of the variance (|counted − expected|). */
  sort: z.enum(["openedAt", "variance"]).default("openedAt"),
  order: z.enum(["asc", "desc"]).default("desc"),
  /** Zero-based page (the table's server-side pagination). */
  page: z.number().int().min(0).max(10_000).default(0),
  pageSize: z.number().int().min(1).max(100).default(25),
}).superRefine(refineDays);
export type TListCashShiftsInput = z.input<typeof ZListCashShiftsInput>;

export const ZListCashShiftsOutput = z.object({
  shifts: z.array(ZShiftReconciliation),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  dayFrom: z.string(),
  dayTo: z.string(),
  /** Across the whole filter, not just the page. */
  counts: z.object({ needsApproval: z.number().int(), provisional: z.number().int() }),
  unreadable: z.array(z.object({ terminalId: z.string(), shiftId: z.string() })),
  truncated: z.boolean(),
});
export type TListCashShiftsOutput = z.infer<typeof ZListCashShiftsOutput>;
