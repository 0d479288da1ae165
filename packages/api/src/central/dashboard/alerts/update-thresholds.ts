import { updateThresholds, ZAlertThresholds } from "../../alerts/thresholds.ts";
import { membershipIn } from "../dlq/dlq-sql.ts";
import { permitted } from "../permissions.ts";
import { ZUpdateAlertThresholdsInput } from "./thresholds.types.ts";

/**
 * `alerts.thresholds.update`: an owner replaces the organization's thresholds (omitted fields take
 * their defaults). Out-of-range values are VALIDATION_FAILED with field errors and change nothing;
 * the next evaluation round uses the new ones.
 */
export const updateAlertThresholdsProcedure = permitted("alerts.configure")
  .input(ZUpdateAlertThresholdsInput)
  .output(ZAlertThresholds)
  .mutation(async ({ ctx, input }) => {
    membershipIn(ctx.scope, input.organizationId);
    return updateThresholds(ctx.db, input.organizationId, input.thresholds);
  });
