import { posProcedure } from "../trpc.ts";
import { ZDlqRetryInput, ZDlqRetryOutput } from "./dlq.types.ts";

/** Moves dead-lettered items back into the outbox for another delivery attempt. */
export const retryDlq = posProcedure
  .input(ZDlqRetryInput)
  .output(ZDlqRetryOutput)
  .mutation(({ ctx, input }) => ctx.services.sync.dlq.retry(input));
