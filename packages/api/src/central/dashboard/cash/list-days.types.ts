import { z } from "zod";
import { refineDays, ZCashFilter } from "./filter.types.ts";

export const ZListCashDaysInput = ZCashFilter.omit({ state: true }).superRefine(refineDays);
export type TListCashDaysInput = z.input<typeof ZListCashDaysInput>;

export const ZCashDay = z.object({
  storeId: z.string(),
  storeName: z.string(),
  day: z.string(),
  shifts: z.number().int(),
  openShifts: z.number().int(),
  expected: z.bigint(),
  /** Sums over the counted shifts only. */
  counted: z.bigint(),
  variance: z.bigint(),
  needsApproval: z.number().int(),
  provisional: z.number().int(),
});
export type TCashDay = z.infer<typeof ZCashDay>;

export const ZListCashDaysOutput = z.object({
  days: z.array(ZCashDay),
  dayFrom: z.string(),
  dayTo: z.string(),
  truncated: z.boolean(),
});
export type TListCashDaysOutput = z.infer<typeof ZListCashDaysOutput>;
