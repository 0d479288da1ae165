import { router } from "../../trpc.ts";
import { countAlertsProcedure } from "./count-alerts.ts";
import { getAlertThresholdsProcedure } from "./get-thresholds.ts";
import { listAlertsProcedure } from "./list-alerts.ts";
import { updateAlertThresholdsProcedure } from "./update-thresholds.ts";

export const alertsRouter = router({
  count: countAlertsProcedure,
  list: listAlertsProcedure,
  thresholds: router({ get: getAlertThresholdsProcedure, update: updateAlertThresholdsProcedure }),
});
