import { posProcedure } from "../trpc.ts";
import { ZShiftStatusOutput } from "./get-shift-status.types.ts";

/** The current shift, its 24 h deadline and the expected cash. */
export const getShiftStatus = posProcedure
  .output(ZShiftStatusOutput)
  .query(({ ctx }) => ctx.services.shift.status());
