import { posProcedure } from "../trpc.ts";
import { ZVoidReceiptInput, ZVoidReceiptOutput } from "./void-receipt.types.ts";

/**
 * Voids a receipt the register refused (`needs_attention`): status `voided`, no fiscal document,
 * the void synced and audited centrally. 404 NOT_FOUND when unknown, 409 RECEIPT_NOT_VOIDABLE otherwise.
 */
export const voidReceipt = posProcedure
  .input(ZVoidReceiptInput)
  .output(ZVoidReceiptOutput)
  .mutation(({ ctx, input }) => ctx.services.receipts.void(input));
