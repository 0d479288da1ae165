import { ZListReceiptsInput, ZListReceiptsOutput } from "./list-receipts.types.ts";
import { permitted } from "./permissions.ts";
import { listReceipts } from "./receipts.ts";

export const listReceiptsProcedure = permitted("receipts.view")
  .input(ZListReceiptsInput)
  .output(ZListReceiptsOutput)
  .query(({ ctx, input }) => {
    const { cursor, limit, ...filter } = input;
    return listReceipts(ctx.db, ctx.scope, filter, { cursor, limit });
  });
