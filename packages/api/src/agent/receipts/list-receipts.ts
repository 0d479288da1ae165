import { posProcedure } from "../trpc.ts";
import { ZListReceiptsInput, ZListReceiptsOutput } from "./list-receipts.types.ts";

/** Newest first, filtered by status and acceptance time, with cursor pagination. */
export const listReceipts = posProcedure
  .input(ZListReceiptsInput)
  .output(ZListReceiptsOutput)
  .query(({ ctx, input }) => ctx.services.receipts.list(input));
