export type { AlertRule as TAlertRule } from "../alerts/rules.ts";
export type { TAlertThresholds } from "../alerts/thresholds.ts";
export type {
  TGetRumMetricInput,
  TGetRumMetricOutput,
  TGetRumOverviewInput,
  TGetRumOverviewOutput,
  TReportWebVitalsInput,
  TRumMetricSummary,
} from "../rum/view-rum.types.ts";
export type { TAuditLogEntry, TListAuditLogInput } from "./admin/audit-log.types.ts";
export { acceptInvitation, previewInvitation } from "./admin/invitation.ts";
export type {
  InvitationPreview,
  TInviteMemberOutput,
  TListPeopleOutput,
  TMember,
  TPendingInvitation,
} from "./admin/people.types.ts";
export { defaultLocaleOf } from "./admin/settings.ts";
export type { TOrganizationSettings } from "./admin/settings.types.ts";
export type { TAdminStore } from "./admin/store.types.ts";
export type { TAdminTill, TListTillsInput, TTillKeyOutput } from "./admin/till.types.ts";
export type { TAlertView, TListAlertsInput, TListAlertsOutput } from "./alerts/list-alerts.types.ts";
export type { TGetAlertThresholdsOutput, TUpdateAlertThresholdsInput } from "./alerts/thresholds.types.ts";
export type {
  TBreakerIncidentView,
  TGetBreakerFleetInput,
  TGetBreakerFleetOutput,
} from "./breakers/get-fleet.types.ts";
export type { TGetBreakerTimelineInput, TGetBreakerTimelineOutput } from "./breakers/get-timeline.types.ts";
export type { TBreakerSegment } from "./breakers/window.types.ts";
export type { TCashDay, TListCashDaysInput } from "./cash/list-days.types.ts";
export type { TListCashShiftsInput, TListCashShiftsOutput } from "./cash/list-shifts.types.ts";
export type { TMissing, TReconciliationState, TShiftReconciliation } from "./cash/shift-view.types.ts";
export { type DashboardUser, dashboardProcedure } from "./dashboard-procedure.ts";
export type { TDlqActionOutput, TDlqSelection } from "./dlq/dlq-action.types.ts";
export type { TDlqCommandState, TDlqItemState } from "./dlq/dlq-filter.types.ts";
export type { TGetDlqItemOutput } from "./dlq/get-dlq-item.types.ts";
export type { TDlqActionEntry } from "./dlq/list-dlq-actions.types.ts";
export type { TDlqGroup, TListDlqGroupsInput } from "./dlq/list-dlq-groups.types.ts";
export type { TDlqItemSummary, TListDlqItemsInput } from "./dlq/list-dlq-items.types.ts";
export { ONLINE_WINDOW_MS } from "./fleet.ts";
export type { TGetMeOutput } from "./get-me.types.ts";
export type { TGetTerminalOutput } from "./get-terminal.types.ts";
export type { TListFleetOutput } from "./list-fleet.types.ts";
export type { TListReceiptsInput, TListReceiptsOutput } from "./list-receipts.types.ts";
export type { TReceiptDetail, TReceiptStatus, TReceiptSummary } from "./receipt-view.types.ts";
export { dashboardRouter } from "./router.ts";
export { type DashboardScope, type MembershipScope, scopeAllows, scopeWhere } from "./scope.ts";
export type { TTerminalView } from "./terminal-view.types.ts";
