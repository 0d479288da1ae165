import { posProcedure } from "../trpc.ts";
import { ZDlqListInput, ZDlqListOutput } from "./dlq.types.ts";

/** Dead-lettered outbox items with their last error. */
export const listDlq = posProcedure
  .input(ZDlqListInput)
  .output(ZDlqListOutput)
  .query(({ ctx, input }) => ctx.services.sync.dlq.list(input));
