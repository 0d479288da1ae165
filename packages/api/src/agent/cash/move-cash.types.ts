import { z } from "zod";
import { ZCashierRef, ZPositiveMoney } from "../schemas.ts";
import { ZCashSummary } from "../shift/shift.types.ts";

export const ZMoveCashInput = z.object({
  /**
   * Optional, as for receipts: a retry with the same key and body returns the original movement;
   * the same key with another body is 409 IDEMPOTENCY_CONFLICT. Without it every call moves cash.
   */
  idempotencyKey: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be 1-64 characters of A-Z a-z 0-9 _ . : -")
    .optional(),
  direction: z.enum(["in", "out"]),
  amount: ZPositiveMoney,
  reason: z.string().trim().min(1, "say why cash moves (e.g. change fund, collection)").max(200),
  /** Who moved it; required when the terminal requires PIN login. */
  cashier: ZCashierRef.optional(),
});
export type TMoveCashInput = z.infer<typeof ZMoveCashInput>;

export const ZMoveCashOutput = z.object({
  movementId: z.string(),
  shiftId: z.string(),
  direction: z.enum(["in", "out"]),
  amount: z.number(),
  at: z.string(),
  cash: ZCashSummary,
});
export type TMoveCashOutput = z.infer<typeof ZMoveCashOutput>;
