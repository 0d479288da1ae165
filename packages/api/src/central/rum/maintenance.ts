import type { TransactionalSql } from "../sync/sql.ts";
import { DEFAULT_RUM_POLICY, maintainRumPartitions, type RumPartitionPolicy } from "./partitions.ts";

/** The clock and timers the schedule uses: real ones in the server, fake ones in tests. */
export interface MaintenanceClock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): { unref?(): void } | number;
  clearTimeout(handle: unknown): void;
}

const realClock: MaintenanceClock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface RumMaintenanceOptions {
  policy?: Partial<RumPartitionPolicy>;
  /** Between runs; default one hour (a day's partition is made 7 days ahead, so hourly is plenty). */
  intervalMs?: number;
  clock?: MaintenanceClock;
  log?: (line: string) => void;
}

/**
 * Runs the RUM partition upkeep at start-up and then every `intervalMs` on this central instance
 * (several instances may all run it: the advisory lock lets one work at a time). A failed run is
 * logged and retried at the next tick; it never stops the server. `db` may be a getter, so a
 * database still starting is retried at the next tick too. Returns a stop function.
 */
export function startRumMaintenance(
  db: TransactionalSql | (() => Promise<TransactionalSql>),
  options: RumMaintenanceOptions = {},
): () => void {
  const policy = { ...DEFAULT_RUM_POLICY, ...options.policy };
  const intervalMs = options.intervalMs ?? 3_600_000;
  const clock = options.clock ?? realClock;
  const log = options.log ?? ((line: string) => console.log(line));
  let stopped = false;
  let handle: unknown;
  const tick = async () => {
    try {
      const sql = typeof db === "function" ? await db() : db;
      const result = await maintainRumPartitions(sql, clock.now(), policy);
      if (result.created.length > 0 || result.dropped.length > 0)
        log(
          `rum: partitions created ${result.created.join(", ") || "none"}; dropped ${result.dropped.join(", ") || "none"} (retention ${policy.retentionDays} days)`,
        );
    } catch (error) {
      log(`rum: partition maintenance failed, retrying in ${intervalMs} ms: ${(error as Error).message}`);
    }
    if (stopped) return;
    const next = clock.setTimeout(() => void tick(), intervalMs);
    if (typeof next === "object") next.unref?.();
    handle = next;
  };
  void tick();
  return () => {
    stopped = true;
    clock.clearTimeout(handle);
  };
}
