import { router } from "../trpc.ts";
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
});
