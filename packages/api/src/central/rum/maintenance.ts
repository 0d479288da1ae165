import type { TransactionalSql } from "../sync/sql.ts";
import { foldRumHistograms } from "./fold.ts";
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
  /** Between folds of the fleet-wide histograms (fold.ts); default 15 s — how stale fleet-wide views may be. */
  intervalMs?: number;
  /** Between partition runs; default one hour (a day's partition is made 7 days ahead, so hourly is plenty). */
  partitionIntervalMs?: number;
  clock?: MaintenanceClock;
  log?: (line: string) => void;
}

/**
 * Runs the RUM upkeep on this central instance: the fleet-wide fold every `intervalMs`, the
 * partition upkeep at start-up and then every `partitionIntervalMs` (several instances may all run
 * it: advisory locks let one work at a time). A failed run is
 * logged and retried at the next tick; it never stops the server. `db` may be a getter, so a
 * database still starting is retried at the next tick too. Returns a stop function.
 */
export function startRumMaintenance(
  db: TransactionalSql | (() => Promise<TransactionalSql>),
  options: RumMaintenanceOptions = {},
): () => void {
  const policy = { ...DEFAULT_RUM_POLICY, ...options.policy };
  const intervalMs = options.intervalMs ?? 15_000;
  const partitionIntervalMs = options.partitionIntervalMs ?? 3_600_000;
  let partitionsDueAt = Number.NEGATIVE_INFINITY;
  const clock = options.clock ?? realClock;
  const log = options.log ?? ((line: string) => console.log(line));
  let stopped = false;
  let handle: unknown;
  const tick = async () => {
    try {
      const sql = typeof db === "function" ? await db() : db;
      const now = clock.now();
      if (now.getTime() >= partitionsDueAt) {
        const result = await maintainRumPartitions(sql, now, policy);
        partitionsDueAt = now.getTime() + partitionIntervalMs;
        if (result.created.length > 0 || result.dropped.length > 0)
          log(
            `rum: partitions created ${result.created.join(", ") || "none"}; dropped ${result.dropped.join(", ") || "none"} (retention ${policy.retentionDays} days)`,
          );
      }
      await foldRumHistograms(sql);
    } catch (error) {
      log(`rum: maintenance failed, retrying in ${intervalMs} ms: ${(error as Error).message}`);
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
