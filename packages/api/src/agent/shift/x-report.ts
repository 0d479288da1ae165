import { posProcedure } from "../trpc.ts";
import { ZXReportInput, ZXReportOutput } from "./x-report.types.ts";

/** Prints an X report (shift totals without closing) and returns the cash summary. */
export const xReport = posProcedure
  .input(ZXReportInput)
  .output(ZXReportOutput)
  .mutation(({ ctx, input }) => ctx.services.shift.xReport(input));
