import { dashboardProcedure } from "./dashboard-procedure.ts";
import { ZGetReceiptInput, ZGetReceiptOutput } from "./get-receipt.types.ts";
import { getReceipt } from "./receipts.ts";

export const getReceiptProcedure = dashboardProcedure
  .input(ZGetReceiptInput)
  .output(ZGetReceiptOutput)
  .query(({ ctx, input }) => getReceipt(ctx.db, ctx.scope, input));
