import { posProcedure } from "../trpc.ts";
import { ZCreateReceiptInput, ZCreateReceiptOutput } from "./create-receipt.types.ts";

/** Accepts a sale or refund: answered once durably stored, with the fiscal attributes if the device printed. */
export const createReceipt = posProcedure
  .input(ZCreateReceiptInput)
  .output(ZCreateReceiptOutput)
  .mutation(({ ctx, input }) => ctx.services.receipts.create(input));
