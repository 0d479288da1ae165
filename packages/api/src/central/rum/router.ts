import { router } from "../trpc.ts";
import { reportWebVitalsProcedure } from "./report-web-vitals.ts";
import { getRumMetricProcedure, getRumOverviewProcedure } from "./view-rum.ts";

/** `dashboard.rum.*`: the RUM page's reads, and the dashboard's own web-vitals beacon. */
export const rumRouter = router({
  overview: getRumOverviewProcedure,
  metric: getRumMetricProcedure,
  report: reportWebVitalsProcedure,
});
