import { router } from "../../trpc.ts";
import { approveVarianceProcedure } from "./approve-variance.ts";
import { exportCashCsvProcedure } from "./export-csv.ts";
import { getCashShiftProcedure } from "./get-shift.ts";
import { listCashDaysProcedure } from "./list-days.ts";
import { listCashShiftsProcedure } from "./list-shifts.ts";

/** Cash reconciliation: shifts, per store and day, one shift, approval of a variance, CSV export. */
export const cashRouter = router({
  shifts: listCashShiftsProcedure,
  days: listCashDaysProcedure,
  shift: getCashShiftProcedure,
  approve: approveVarianceProcedure,
  exportCsv: exportCashCsvProcedure,
});
