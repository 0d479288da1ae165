export { type DashboardUser, dashboardProcedure } from "./dashboard-procedure.ts";
export { ONLINE_WINDOW_MS } from "./fleet.ts";
export type { TGetMeOutput } from "./get-me.types.ts";
export type { TListFleetOutput } from "./list-fleet.types.ts";
export type { TListReceiptsInput, TListReceiptsOutput } from "./list-receipts.types.ts";
export type { TReceiptDetail, TReceiptStatus, TReceiptSummary } from "./receipt-view.types.ts";
export { dashboardRouter } from "./router.ts";
export { type DashboardScope, type MembershipScope, scopeAllows, scopeWhere } from "./scope.ts";
export type { TTerminalView } from "./terminal-view.types.ts";
