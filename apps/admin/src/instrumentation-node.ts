import { startAlertScheduler, startRumMaintenance } from "@kassa/api/central";
import { getEnv } from "./env.ts";
import { getDb } from "./server/db.ts";

// Validate the environment at start-up, so a missing or bad setting stops `next start` with one
// clear line instead of failing the first request.
try {
  getEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

// Alerts are evaluated on a schedule by every instance; evaluation takes a per-organization
// advisory lock and is idempotent, so several instances fire each alert once (packages/api alerts/).
startAlertScheduler({ db: getDb, intervalMs: getEnv().alertIntervalMs });

// RUM partitions: made a week ahead and dropped whole past retention, hourly on every instance
// (an advisory lock lets one work at a time; packages/api/src/central/rum/partitions.ts).
startRumMaintenance(async () => (await getDb()).sql, {
  policy: { retentionDays: getEnv().rumRetentionDays },
});
