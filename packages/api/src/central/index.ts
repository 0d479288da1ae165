export { type AlertScheduler, startAlertScheduler } from "./alerts/scheduler.ts";
export { type CentralContext, type CentralDatabase, createCentralContext } from "./context.ts";
export { MAX_BATCH_CALLS, prepareTrpcRequest } from "./http/request-body.ts";
export { type CentralRouter, centralRouter } from "./router.ts";
export { startRumMaintenance } from "./rum/maintenance.ts";
export { createDayPartitions, listRumPartitions, maintainRumPartitions } from "./rum/partitions.ts";
export { scrapeCentralMetrics } from "./rum/server-metrics.ts";
export { type UpsertCashierInput, upsertCashier } from "./sync/cashiers.ts";
export { type AuthenticatedTerminal, createCallerFactory } from "./trpc.ts";
