import { loginCashier } from "./auth/login-cashier.ts";
import { moveCash } from "./cash/move-cash.ts";
import { discardDlq } from "./dlq/discard-dlq.ts";
import { listDlq } from "./dlq/list-dlq.ts";
import { retryDlq } from "./dlq/retry-dlq.ts";
import { correctReceipt } from "./receipts/correct-receipt.ts";
import { createReceipt } from "./receipts/create-receipt.ts";
import { getReceipt } from "./receipts/get-receipt.ts";
import { listReceipts } from "./receipts/list-receipts.ts";
import { voidReceipt } from "./receipts/void-receipt.ts";
import { reportRum } from "./rum/report-rum.ts";
import { closeShift } from "./shift/close-shift.ts";
import { getShiftStatus } from "./shift/get-shift-status.ts";
import { openShift } from "./shift/open-shift.ts";
import { xReport } from "./shift/x-report.ts";
import { getStatus } from "./status/get-status.ts";
import { syncNow } from "./sync/sync-now.ts";
import { router } from "./trpc.ts";

/** The terminal agent's local API (docs/agent-api.md). Keys only; each procedure lives in its own file. */
export const agentRouter = router({
  receipts: router({
    create: createReceipt,
    get: getReceipt,
    list: listReceipts,
    void: voidReceipt,
    correct: correctReceipt,
  }),
  shift: router({ open: openShift, close: closeShift, xReport, status: getShiftStatus }),
  cash: router({ move: moveCash }),
  auth: router({ login: loginCashier }),
  status: getStatus,
  sync: router({ now: syncNow }),
  dlq: router({ list: listDlq, retry: retryDlq, discard: discardDlq }),
  rum: router({ report: reportRum }),
});

/** `createTRPCClient<AgentRouter>` gives a TypeScript POS the whole contract. */
export type AgentRouter = typeof agentRouter;
