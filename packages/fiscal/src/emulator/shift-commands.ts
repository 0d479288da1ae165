/** E0 open shift, 40 X report, 41 Z report (closes the shift). */
import { openShift, xReport, zReport } from "../shtrih/commands/shift.ts";
import { ERR_FN_ARCHIVE_FULL, ERR_NOT_IN_MODE, ERR_RECEIPT_OPEN } from "../shtrih/error-codes.ts";
import { handle, handleAdmin, type KktDevice } from "./kkt-device.ts";

const LINES_SHIFT_OPEN = 8;
const LINES_REPORT = 24;

export function registerShiftCommands(device: KktDevice): void {
  device.register(
    openShift.code,
    handle(openShift, (d, _req, operator) => {
      const now = d.now();
      if (d.receipt) return ERR_RECEIPT_OPEN;
      if (d.fn.shiftOpen) return ERR_NOT_IN_MODE;
      const e = d.printer.check();
      if (e) return e;
      const fnError = d.fn.canIssue(now);
      if (fnError) return fnError;
      d.fn.openShift(now, []);
      d.nextDocumentNumber();
      d.printer.print(LINES_SHIFT_OPEN);
      return { operator };
    }),
  );

  device.register(
    xReport.code,
    handleAdmin(xReport, (d, _req, operator) => {
      if (d.receipt) return ERR_RECEIPT_OPEN;
      const e = d.printer.check();
      if (e) return e;
      d.nextDocumentNumber();
      d.printer.print(LINES_REPORT);
      return { operator };
    }),
  );

  device.register(
    zReport.code,
    handleAdmin(zReport, (d, _req, operator) => {
      const now = d.now();
      if (d.receipt) return ERR_RECEIPT_OPEN;
      if (!d.fn.shiftOpen) return ERR_NOT_IN_MODE;
      const e = d.printer.check();
      if (e) return e;
      // Design assumption: the 30-day OFD block still lets the cashier close the shift; only a
      // full archive stops the shift-close report.
      if (d.fn.canIssue(now) === ERR_FN_ARCHIVE_FULL) return ERR_FN_ARCHIVE_FULL;
      d.fn.closeShift(now, []);
      d.nextDocumentNumber();
      d.printer.print(LINES_REPORT);
      return { operator };
    }),
  );
}
