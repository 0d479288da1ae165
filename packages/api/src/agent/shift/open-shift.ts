import { posProcedure } from "../trpc.ts";
import { ZOpenShiftInput, ZOpenShiftOutput } from "./open-shift.types.ts";

/** Opens a shift on the device and records the opening float. */
export const openShift = posProcedure
  .input(ZOpenShiftInput)
  .output(ZOpenShiftOutput)
  .mutation(({ ctx, input }) => ctx.services.shift.open(input));
