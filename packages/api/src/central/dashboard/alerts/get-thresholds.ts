import { DEFAULT_ALERT_THRESHOLDS, readThresholds } from "../../alerts/thresholds.ts";
import { permitted, roleCan } from "../permissions.ts";
import { ZGetAlertThresholdsOutput } from "./thresholds.types.ts";

/** `alerts.thresholds.get`: each of the user's organizations' thresholds in force, and whether they may change them. */
export const getAlertThresholdsProcedure = permitted("alerts.view")
  .output(ZGetAlertThresholdsOutput)
  .query(async ({ ctx }) => {
    const memberships = ctx.scope.memberships;
    const stored = await readThresholds(
      ctx.db,
      memberships.map((m) => m.organizationId),
    );
    return {
      organizations: memberships.map((m) => ({
        organizationId: m.organizationId,
        organizationName: m.organizationName,
        thresholds: stored.get(m.organizationId) ?? DEFAULT_ALERT_THRESHOLDS,
        canConfigure: roleCan(m.role, "alerts.configure"),
      })),
      defaults: DEFAULT_ALERT_THRESHOLDS,
    };
  });
