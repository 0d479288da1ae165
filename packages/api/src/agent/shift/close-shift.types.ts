import { MAX_RECEIPT_MONEY } from "@kassa/fiscal/ffd";
import { z } from "zod";
import { ZCashierRef, ZMoney, ZPositiveMoney } from "../schemas.ts";
import { ZCashSummary, ZShiftView } from "./shift.types.ts";

/** Counted cash: a plain amount, or notes and coins by denomination (value in kopecks × count). */
export const ZCountedCash = z.union([
  ZMoney,
  z.object({
    denominations: z
      .array(z.object({ value: ZPositiveMoney, count: z.int().min(0).max(1_000_000) }))
      .min(1)
      .max(50)
      // The counted total is money like any other: it must fit 10¹² kopecks (and stay a safe integer).
      .refine(
        (rows) => rows.reduce((sum, row) => sum + row.value * row.count, 0) <= MAX_RECEIPT_MONEY,
        "the counted total exceeds 10¹² kopecks",
      ),
  }),
]);
export type TCountedCash = z.infer<typeof ZCountedCash>;

export const ZCloseShiftInput = z.object({ cashier: ZCashierRef, countedCash: ZCountedCash.optional() });
export type TCloseShiftInput = z.infer<typeof ZCloseShiftInput>;

export const ZCloseShiftOutput = z.object({
  shift: ZShiftView,
  z: z.object({
    shiftNumber: z.number(),
    fdNumber: z.number(),
    fiscalSign: z.string(),
    dateTime: z.string(),
  }),
  cash: ZCashSummary.extend({ counted: z.number().nullable(), variance: z.number().nullable() }),
});
export type TCloseShiftOutput = z.infer<typeof ZCloseShiftOutput>;
