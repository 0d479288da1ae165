import { z } from "zod";
import { ZStoredText } from "../../content.ts";
import { ZReceiptView } from "./get-receipt.types.ts";

/**
 * Support resolves a receipt the register refused (`needs_attention`): it is voided, never printed,
 * and no fiscal document is made. Any other status is refused (409 RECEIPT_NOT_VOIDABLE).
 */
export const ZVoidReceiptInput = z.object({
  receiptId: z.string().min(1).max(64),
  /** Why (shown on the receipt centrally and kept in its audit): stored text, as central ingest takes it. */
  reason: ZStoredText(500),
  /** Who: the support person or system (default "support"). */
  by: ZStoredText(128).optional(),
});
export type TVoidReceiptInput = z.infer<typeof ZVoidReceiptInput>;

export const ZVoidReceiptOutput = ZReceiptView;
export type TVoidReceiptOutput = z.infer<typeof ZVoidReceiptOutput>;
