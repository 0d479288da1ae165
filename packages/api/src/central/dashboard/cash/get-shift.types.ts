import { z } from "zod";
import { ZApprovalView, ZShiftReconciliation } from "./shift-view.types.ts";

export const ZShiftRef = z.object({
  terminalId: z.string().min(1).max(64),
  shiftId: z.string().min(1).max(64),
});

export const ZGetCashShiftInput = ZShiftRef;
export type TGetCashShiftInput = z.infer<typeof ZGetCashShiftInput>;

export const ZGetCashShiftOutput = z.object({
  shift: ZShiftReconciliation,
  /** Every approval of the shift, newest first: the audit trail. */
  approvals: z.array(ZApprovalView),
  /** Cash in and out as the till recorded them (the float travels in the shift itself). */
  movements: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      amount: z.bigint().nullable(),
      reason: z.string().nullable(),
      at: z.string().nullable(),
    }),
  ),
});
export type TGetCashShiftOutput = z.infer<typeof ZGetCashShiftOutput>;
