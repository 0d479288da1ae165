import { posProcedure } from "../trpc.ts";
import { ZGetReceiptInput, ZReceiptView } from "./get-receipt.types.ts";

/** One receipt by id or idempotency key; 404 NOT_FOUND when unknown. */
export const getReceipt = posProcedure
  .input(ZGetReceiptInput)
  .output(ZReceiptView)
  .query(({ ctx, input }) => ctx.services.receipts.get(input));
