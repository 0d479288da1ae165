import { posProcedure } from "../trpc.ts";
import { ZDlqDiscardInput, ZDlqDiscardOutput } from "./dlq.types.ts";

/** Discards dead-lettered items with a reason (kept, audited, never silently dropped). */
export const discardDlq = posProcedure
  .input(ZDlqDiscardInput)
  .output(ZDlqDiscardOutput)
  .mutation(({ ctx, input }) => ctx.services.sync.dlq.discard(input));
