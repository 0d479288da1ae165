import { z } from "zod";
import { ZStoredText } from "../../content.ts";
import { ZCashierRef, ZIdempotencyKey, ZPositiveMoney } from "../schemas.ts";
import { ZCashSummary } from "../shift/shift.types.ts";

export const ZMoveCashInput = z.object({
  /**
   * Optional, as for receipts: a retry with the same key and body returns the original movement;
   * the same key with another body is 409 IDEMPOTENCY_CONFLICT. Without it every call moves cash.
   */
  idempotencyKey: ZIdempotencyKey.optional(),
  direction: z.enum(["in", "out"]),
  amount: ZPositiveMoney,
  /** Free text, stored and shown, never printed. */
  reason: ZStoredText(200),
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
