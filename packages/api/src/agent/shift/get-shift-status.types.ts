import { z } from "zod";
import { ZCashSummary, ZShiftView } from "./shift.types.ts";

export const ZShiftStatusOutput = z.object({
  /** The open shift, or the last closed one, or null before the first shift. */
  shift: ZShiftView.nullable(),
  open: z.boolean(),
  expired: z.boolean(),
  /** Milliseconds until the 24 h limit (negative once expired), null without an open shift. */
  expiresInMs: z.number().nullable(),
  /** Set when the shift expires soon or has expired: what the cashier should do. */
  warning: z.string().nullable(),
  cash: ZCashSummary.nullable(),
});
export type TShiftStatusOutput = z.infer<typeof ZShiftStatusOutput>;
