import type { CentralDatabase } from "../context.ts";
import { type EvaluationResult, evaluateAlerts } from "./evaluate.ts";
import { type AlertLog, centralLog } from "./log.ts";

/** How often the central server evaluates alerts: a minute, well inside every rule's smallest bound. */
export const ALERT_INTERVAL_MS = 60_000;

export interface AlertSchedulerOptions {
  /** The process's database (opened on first use). */
  db: () => Promise<CentralDatabase>;
  /** Default ALERT_INTERVAL_MS. */
  intervalMs?: number;
  /** Injected so tests drive time with a fake clock. */
  now?: () => Date;
  log?: AlertLog;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

export interface AlertScheduler {
  /** One round now (the timer calls it; overlapping calls share the round in progress). */
  tick(): Promise<EvaluationResult | null>;
  stop(): void;
}

/**
 * Evaluates alerts on an interval. Every central instance may run one: evaluation takes a per-
 * organization advisory lock and is idempotent, so N instances fire each alert once. A failed round
 * is logged and the next one tries again.
 */
export function startAlertScheduler(options: AlertSchedulerOptions): AlertScheduler {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? centralLog;
  const schedule = options.setInterval ?? ((fn, ms) => setInterval(fn, ms).unref());
  const cancel = options.clearInterval ?? ((handle) => clearInterval(handle as NodeJS.Timeout));
  let running: Promise<EvaluationResult | null> | null = null;

  function tick(): Promise<EvaluationResult | null> {
    running ??= (async () => {
      try {
        return await evaluateAlerts(await options.db(), { now: now(), log });
      } catch (error) {
        log("alert evaluation failed", { event: "alert_evaluation_failed", error: (error as Error).message });
        return null;
      } finally {
        running = null;
      }
    })();
    return running;
  }

  const handle = schedule(() => void tick(), options.intervalMs ?? ALERT_INTERVAL_MS);
  return { tick, stop: () => cancel(handle) };
}
