import { ZGetReceiptInput, ZGetReceiptOutput } from "./get-receipt.types.ts";
import { permitted } from "./permissions.ts";
import { getReceipt } from "./receipts.ts";

export const getReceiptProcedure = permitted("receipts.view")
  .input(ZGetReceiptInput)
  .output(ZGetReceiptOutput)
  .query(({ ctx, input }) => getReceipt(ctx.db, ctx.scope, input));
