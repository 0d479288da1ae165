import { rumRouter } from "../rum/router.ts";
import { router } from "../trpc.ts";
import { adminRouter } from "./admin/router.ts";
import { alertsRouter } from "./alerts/router.ts";
import { breakersRouter } from "./breakers/router.ts";
import { cashRouter } from "./cash/router.ts";
import { discardDlqItemsProcedure } from "./dlq/discard-dlq-items.ts";
import { getDlqItemProcedure } from "./dlq/get-dlq-item.ts";
import { listDlqActionsProcedure } from "./dlq/list-dlq-actions.ts";
import { listDlqGroupsProcedure } from "./dlq/list-dlq-groups.ts";
import { listDlqItemsProcedure } from "./dlq/list-dlq-items.ts";
import { retryDlqItemsProcedure } from "./dlq/retry-dlq-items.ts";
import { getMeProcedure } from "./get-me.ts";
import { getReceiptProcedure } from "./get-receipt.ts";
import { getTerminalProcedure } from "./get-terminal.ts";
import { listFleetProcedure } from "./list-fleet.ts";
import { listReceiptsProcedure } from "./list-receipts.ts";

/** The web dashboard's procedures. Each is built with `permitted(…)`: session, tenancy and the permission it needs. */
export const dashboardRouter = router({
  me: getMeProcedure,
  fleet: router({ list: listFleetProcedure }),
  terminals: router({ get: getTerminalProcedure }),
  receipts: router({ list: listReceiptsProcedure, get: getReceiptProcedure }),
  breakers: breakersRouter,
  cash: cashRouter,
  alerts: alertsRouter,
  admin: adminRouter,
  rum: rumRouter,
  dlq: router({
    list: listDlqItemsProcedure,
    groups: listDlqGroupsProcedure,
    get: getDlqItemProcedure,
    retry: retryDlqItemsProcedure,
    discard: discardDlqItemsProcedure,
    actions: listDlqActionsProcedure,
  }),
});
