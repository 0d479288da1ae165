import { posProcedure } from "../trpc.ts";
import { ZReportRumInput, ZReportRumOutput } from "./report-rum.types.ts";

/** The POS front-end's web vitals and marks, kept through outages with the till's own RUM samples. */
export const reportRum = posProcedure
  .input(ZReportRumInput)
  .output(ZReportRumOutput)
  .mutation(({ ctx, input }) => ctx.services.rum.report(input));
