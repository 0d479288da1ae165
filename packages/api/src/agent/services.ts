import type { TLoginInput, TLoginOutput } from "./auth/login-cashier.types.ts";
import type { TMoveCashInput, TMoveCashOutput } from "./cash/move-cash.types.ts";
import type {
  TDlqDiscardInput,
  TDlqDiscardOutput,
  TDlqListInput,
  TDlqListOutput,
  TDlqRetryInput,
  TDlqRetryOutput,
} from "./dlq/dlq.types.ts";
import type { TCorrectReceiptInput, TCorrectReceiptOutput } from "./receipts/correct-receipt.types.ts";
import type { TCreateReceiptInput, TCreateReceiptOutput } from "./receipts/create-receipt.types.ts";
import type { TGetReceiptInput, TReceiptView } from "./receipts/get-receipt.types.ts";
import type { TListReceiptsInput, TListReceiptsOutput } from "./receipts/list-receipts.types.ts";
import type { TVoidReceiptInput, TVoidReceiptOutput } from "./receipts/void-receipt.types.ts";
import type { TReportRumInput, TReportRumOutput } from "./rum/report-rum.types.ts";
import type { TCloseShiftInput, TCloseShiftOutput } from "./shift/close-shift.types.ts";
import type { TShiftStatusOutput } from "./shift/get-shift-status.types.ts";
import type { TOpenShiftInput, TOpenShiftOutput } from "./shift/open-shift.types.ts";
import type { TXReportInput, TXReportOutput } from "./shift/x-report.types.ts";
import type { TAgentStatus, TBreakerState, TCentralKeyProblem } from "./status/get-status.types.ts";
import type { TSyncReport } from "./sync/sync-now.types.ts";

type MaybePromise<T> = T | Promise<T>;

/** What the sync worker tells `status`. */
export interface SyncStatus {
  online: boolean;
  breakers: { central: TBreakerState; ofd: TBreakerState };
  /** ISO-8601 of the last successful round with the central server, null before the first. */
  lastSyncAt: string | null;
  /** Local clock minus the central server's, measured during sync; null until measured. */
  clockSkewMs: number | null;
  /** The central server refuses this till's key (rotated, retired, wrong) since when; null/absent = not refused. */
  centralKey?: TCentralKeyProblem | null;
}

/**
 * The sync worker as the agent sees it. Helper S implements it with `createSyncWorker(deps)` in
 * apps/terminal-agent/src/sync; the local API's `sync.now`, `status` and `dlq.*` call through it.
 */
export interface SyncEngine {
  now(): Promise<TSyncReport>;
  status(): SyncStatus;
  dlq: {
    list(input: TDlqListInput): MaybePromise<TDlqListOutput>;
    retry(input: TDlqRetryInput): MaybePromise<TDlqRetryOutput>;
    discard(input: TDlqDiscardInput): MaybePromise<TDlqDiscardOutput>;
  };
  /** Stops timers and in-flight rounds (agent shutdown). */
  stop?(): Promise<void>;
}

/** The domain the local router calls. The terminal agent implements it; tests may fake it. */
export interface AgentServices {
  receipts: {
    create(input: TCreateReceiptInput): Promise<TCreateReceiptOutput>;
    get(input: TGetReceiptInput): MaybePromise<TReceiptView>;
    list(input: TListReceiptsInput): MaybePromise<TListReceiptsOutput>;
    /** Support voids a receipt needing attention (never printed, no fiscal document made). */
    void(input: TVoidReceiptInput): MaybePromise<TVoidReceiptOutput>;
    /** A correction receipt (FFD 1.2), exactly once like a sale; absent where the register cannot make one. */
    correct?(input: TCorrectReceiptInput): Promise<TCorrectReceiptOutput>;
  };
  shift: {
    open(input: TOpenShiftInput): Promise<TOpenShiftOutput>;
    close(input: TCloseShiftInput): Promise<TCloseShiftOutput>;
    xReport(input: TXReportInput): Promise<TXReportOutput>;
    status(): MaybePromise<TShiftStatusOutput>;
  };
  cash: { move(input: TMoveCashInput): MaybePromise<TMoveCashOutput> };
  auth: { login(input: TLoginInput): Promise<TLoginOutput> };
  status(): MaybePromise<TAgentStatus>;
  sync: { now(): Promise<TSyncReport>; dlq: SyncEngine["dlq"] };
  /** The POS front-end's web vitals and marks, queued as RUM samples (docs/agent-api.md, "RUM"). */
  rum: { report(input: TReportRumInput): MaybePromise<TReportRumOutput> };
}
