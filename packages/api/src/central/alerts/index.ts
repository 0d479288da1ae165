export { type AlertChange, type EvaluationResult, evaluateAlerts } from "./evaluate.ts";
export { type AlertLog, centralLog } from "./log.ts";
export { alertsFiringGauge, refreshAlertsGauge } from "./metrics.ts";
export { ALERT_RULES, ALERT_UNITS, type AlertRule } from "./rules.ts";
export { ALERT_INTERVAL_MS, type AlertScheduler, startAlertScheduler } from "./scheduler.ts";
export {
  DEFAULT_ALERT_THRESHOLDS,
  effectiveThresholds,
  type TAlertThresholds,
  type TAlertThresholdsInput,
  ZAlertThresholds,
} from "./thresholds.ts";
