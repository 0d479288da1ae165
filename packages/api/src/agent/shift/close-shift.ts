import { posProcedure } from "../trpc.ts";
import { ZCloseShiftInput, ZCloseShiftOutput } from "./close-shift.types.ts";

/** Prints the Z report, closes the shift and returns expected vs counted cash. */
export const closeShift = posProcedure
  .input(ZCloseShiftInput)
  .output(ZCloseShiftOutput)
  .mutation(({ ctx, input }) => ctx.services.shift.close(input));
