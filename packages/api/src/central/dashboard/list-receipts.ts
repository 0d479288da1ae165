import { dashboardProcedure } from "./dashboard-procedure.ts";
import { ZListReceiptsInput, ZListReceiptsOutput } from "./list-receipts.types.ts";
import { listReceipts } from "./receipts.ts";

export const listReceiptsProcedure = dashboardProcedure
  .input(ZListReceiptsInput)
  .output(ZListReceiptsOutput)
  .query(({ ctx, input }) => {
    const { cursor, limit, ...filter } = input;
    return listReceipts(ctx.db, ctx.scope, filter, { cursor, limit });
  });
