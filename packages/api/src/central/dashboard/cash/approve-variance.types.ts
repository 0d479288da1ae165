import { z } from "zod";
import { ZStoredText } from "../../../content.ts";
import { ZShiftRef } from "./get-shift.types.ts";
import { ZShiftReconciliation } from "./shift-view.types.ts";

export const ZApproveVarianceInput = ZShiftRef.extend({
  /** Why the drawer differs (the audit keeps it): at least a few words. */
  note: ZStoredText(1000)
    .transform((s) => s.trim())
    .pipe(z.string().min(3, "say why the drawer differs (3 characters or more)")),
});
export type TApproveVarianceInput = z.input<typeof ZApproveVarianceInput>;

export const ZApproveVarianceOutput = ZShiftReconciliation;
export type TApproveVarianceOutput = z.infer<typeof ZApproveVarianceOutput>;
