import { z } from "zod";
import { AppError, zodFieldErrors } from "../../errors.ts";
import type { CentralDatabase } from "../context.ts";
import {
  BUFFER_WARN_PERCENT,
  CLOCK_SKEW_WARN_MS,
  FN_OFD_LIMIT_DAYS,
  FN_OFD_WARN_DAYS,
} from "../dashboard/fleet-health.ts";

const whole = (min: number, max: number) => z.number().int().min(min).max(max);

/**
 * An organization's alert thresholds (`organizations.alert_thresholds`). Every field has a default,
 * so an organization that never opened its settings is alerted by the same bounds Fleet warns at.
 */
export const ZAlertThresholds = z
  .object({
    /** p95 of accept → stored at central over the receipts accepted in the last hour, seconds. Default 300. */
    syncLatencySeconds: whole(10, 86_400).default(300),
    /** The till's buffer fill, percent. Default 80 (the agent's own warning). */
    bufferFillPercent: whole(1, 100).default(BUFFER_WARN_PERCENT),
    /** A breaker not closed for this long (per destination), minutes. Default 15. */
    breakerOpenMinutes: whole(1, 10_080).default(15),
    /** Days since the FN's oldest document the OFD has not confirmed. Default 25 (the FN stops at 30). */
    fnUnsentDays: whole(1, FN_OFD_LIMIT_DAYS - 1).default(FN_OFD_WARN_DAYS),
    /** |till clock − central clock|, seconds. Default 120. */
    clockSkewSeconds: whole(1, 86_400).default(CLOCK_SKEW_WARN_MS / 1000),
    /** No sync from an active till for this long, minutes. Default 30. */
    tillSilentMinutes: whole(5, 10_080).default(30),
    /** More than this many items dead-lettered by one till within the window. Default 10. */
    dlqGrowthItems: whole(0, 100_000).default(10),
    /** The DLQ growth window, minutes. Default 60. */
    dlqGrowthWindowMinutes: whole(5, 1_440).default(60),
  })
  .strict();
export type TAlertThresholds = z.infer<typeof ZAlertThresholds>;
export type TAlertThresholdsInput = z.input<typeof ZAlertThresholds>;

export const DEFAULT_ALERT_THRESHOLDS: TAlertThresholds = ZAlertThresholds.parse({});

/**
 * What is in force for a stored value: each stored field that is still valid, the default for the
 * rest — so a column written by an older version (a field renamed, a bound tightened) never stops
 * evaluation, it only falls back where it no longer fits.
 */
export function effectiveThresholds(stored: unknown): TAlertThresholds {
  const source = stored && typeof stored === "object" && !Array.isArray(stored) ? stored : {};
  const result: Record<string, unknown> = { ...DEFAULT_ALERT_THRESHOLDS };
  for (const [key, schema] of Object.entries(ZAlertThresholds.shape)) {
    const parsed = schema.safeParse((source as Record<string, unknown>)[key]);
    if (parsed.success) result[key] = parsed.data;
  }
  return result as TAlertThresholds;
}

/** The thresholds in force for each organization named (defaults for one not stored). */
export async function readThresholds(
  db: CentralDatabase,
  organizationIds: readonly string[],
): Promise<Map<string, TAlertThresholds>> {
  const rows = await db.sql.query<{ id: string; alert_thresholds: unknown }>(
    "SELECT id, alert_thresholds FROM organizations WHERE id = ANY($1::text[])",
    [organizationIds],
  );
  return new Map(rows.map((row) => [row.id, effectiveThresholds(row.alert_thresholds)]));
}

/**
 * Replaces an organization's thresholds. Invalid input is a VALIDATION_FAILED with the field
 * errors and writes nothing; omitted fields take their defaults.
 */
export async function updateThresholds(
  db: CentralDatabase,
  organizationId: string,
  input: unknown,
): Promise<TAlertThresholds> {
  const parsed = ZAlertThresholds.safeParse(input);
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", {
      message: "These alert thresholds are out of range: correct the fields marked and save again.",
      fieldErrors: zodFieldErrors(parsed.error),
    });
  }
  const rows = await db.sql.query<{ id: string }>(
    "UPDATE organizations SET alert_thresholds = $2::jsonb WHERE id = $1 RETURNING id",
    [organizationId, JSON.stringify(parsed.data)],
  );
  if (rows.length === 0) {
    throw new AppError("NOT_FOUND", { message: `Organization ${organizationId} not found.` });
  }
  return parsed.data;
}
