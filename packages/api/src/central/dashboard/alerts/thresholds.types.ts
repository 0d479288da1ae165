import { z } from "zod";
import { ZAlertThresholds } from "../../alerts/thresholds.ts";

export const ZGetAlertThresholdsOutput = z.object({
  organizations: z.array(
    z.object({
      organizationId: z.string(),
      organizationName: z.string(),
      thresholds: ZAlertThresholds,
      /** Whether this user may change them (an owner of the organization). */
      canConfigure: z.boolean(),
    }),
  ),
  /** What a field falls back to (shown beside it). */
  defaults: ZAlertThresholds,
});
export type TGetAlertThresholdsOutput = z.infer<typeof ZGetAlertThresholdsOutput>;

export const ZUpdateAlertThresholdsInput = z.object({
  organizationId: z.string().min(1).max(64),
  thresholds: ZAlertThresholds,
});
export type TUpdateAlertThresholdsInput = z.input<typeof ZUpdateAlertThresholdsInput>;
