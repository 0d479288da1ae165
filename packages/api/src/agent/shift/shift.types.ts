import { z } from "zod";

export const ZShiftView = z.object({
  shiftId: z.string(),
  /** The device's shift number. */
  number: z.number(),
  status: z.enum(["open", "closed"]),
  openedAt: z.string(),
  /** Opened + 24 h: after this no sale is accepted until the shift is closed (Z report). */
  expiresAt: z.string(),
  closedAt: z.string().nullable(),
  cashierName: z.string(),
  openingFloat: z.number(),
});
export type TShiftView = z.infer<typeof ZShiftView>;

export const ZCashSummary = z.object({
  openingFloat: z.number(),
  cashSales: z.number(),
  cashRefunds: z.number(),
  /** Cash moved in (cash.move) plus the cash of income and expense-return corrections. */
  cashIn: z.number(),
  /** Cash moved out (cash.move) plus the cash of income-return and expense corrections. */
  cashOut: z.number(),
  /** openingFloat + cashSales − cashRefunds + cashIn − cashOut. */
  expected: z.number(),
});
export type TCashSummary = z.infer<typeof ZCashSummary>;
