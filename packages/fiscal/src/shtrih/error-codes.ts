/**
 * Shtrih-M device error bytes → typed errors with a message a cashier can act on.
 * Codes: docs/fiscal-reference.md "Modes and errors" and Shtrih-M protocol v1.17 appendix "Коды ошибок"
 * (00–3F are FN errors relayed by the KKT, 40+ are the KKT's own).
 */
import { FiscalDeviceError, type FiscalErrorCode } from "../device/errors.ts";

export interface DeviceErrorInfo {
  kassaCode: FiscalErrorCode;
  /** Short description of the device's error. */
  meaning: string;
  /** What the cashier (or support) should do next. */
  action: string;
}

/** Device error bytes Kassa (driver and emulator) refers to by name; the table below describes each. */
export const ERR_OK = 0x00;
export const ERR_BAD_FORMAT = 0x01;
export const ERR_FN_ARCHIVE_FULL = 0x06;
export const ERR_NO_DATA = 0x08;
export const ERR_FN_OFD_30_DAYS = 0x14;
export const ERR_FN_SHIFT_OVER_24H = 0x16;
export const ERR_FN_OFD_ANSWER_REJECTED = 0x20;
export const ERR_BAD_PARAMETERS = 0x33;
export const ERR_NOT_SUPPORTED = 0x37;
export const ERR_PAYMENTS_LESS_THAN_TOTAL = 0x45;
export const ERR_NOT_ENOUGH_CASH = 0x46;
export const ERR_OPERATION_NOT_IN_RECEIPT_TYPE = 0x49;
export const ERR_RECEIPT_OPEN = 0x4a;
export const ERR_NON_CASH_OVER_TOTAL = 0x4d;
export const ERR_SHIFT_OVER_24H = 0x4e;
export const ERR_WRONG_PASSWORD = 0x4f;
export const ERR_BUSY = 0x50;
export const ERR_RECEIPT_CLOSED = 0x55;
export const ERR_NO_DOCUMENT_TO_REPEAT = 0x56;
export const ERR_AWAITING_CONTINUE_PRINT = 0x58;
export const ERR_DISCOUNT_OVER_RECEIPT = 0x5a;
export const ERR_NO_PAPER = 0x6b;
export const ERR_NOT_IN_MODE = 0x73;
export const ERR_DATE_MISMATCH = 0x7c;
export const ERR_BAD_DATE = 0x7d;
export const ERR_ZERO_TOTAL = 0x8e;

const CALL_SUPPORT = "Call support: the fiscal storage (FN) may need service.";

const TABLE: Record<number, DeviceErrorInfo> = {
  [ERR_BAD_FORMAT]: {
    kassaCode: "BAD_PARAMETERS",
    meaning: "unknown command or bad command format",
    action: "Update the driver or the device firmware; call support.",
  },
  2: {
    kassaCode: "NOT_ALLOWED_IN_MODE",
    meaning: "the FN is in the wrong state for this command",
    action: "Check the shift (open or close it) and retry.",
  },
  3: { kassaCode: "DEVICE_ERROR", meaning: "fiscal storage (FN) failure", action: CALL_SUPPORT },
  4: { kassaCode: "DEVICE_ERROR", meaning: "FN crypto coprocessor failure", action: CALL_SUPPORT },
  5: {
    kassaCode: "DEVICE_ERROR",
    meaning: "the FN's service life is over",
    action: "Replace the fiscal storage (FN).",
  },
  [ERR_FN_ARCHIVE_FULL]: {
    kassaCode: "FN_FULL",
    meaning: "the FN archive is full",
    action: "Replace the fiscal storage (FN); sales are kept and will print after the replacement.",
  },
  7: {
    kassaCode: "BAD_PARAMETERS",
    meaning: "wrong date or time",
    action: "Check the device clock and retry.",
  },
  [ERR_NO_DATA]: {
    kassaCode: "DEVICE_ERROR",
    meaning: "the requested data is not in the FN",
    action: "Check the document number.",
  },
  9: {
    kassaCode: "BAD_PARAMETERS",
    meaning: "bad parameter value",
    action: "Check the receipt data and retry.",
  },
  16: {
    kassaCode: "BAD_PARAMETERS",
    meaning: "TLV data too large",
    action: "Shorten the item names or extra attributes and retry.",
  },
  17: {
    kassaCode: "DEVICE_ERROR",
    meaning: "no transport connection to the OFD",
    action: "Check the network; documents are kept and sent later.",
  },
  18: {
    kassaCode: "FN_FULL",
    meaning: "the FN's crypto key has expired",
    action: "Replace the fiscal storage (FN) before selling again.",
  },
  [ERR_FN_OFD_30_DAYS]: {
    kassaCode: "FN_OFD_BLOCKED",
    meaning: "the FN is blocked: documents were not confirmed by the OFD for 30 days",
    action:
      "Restore the internet connection so documents reach the OFD; sales resume once they are confirmed.",
  },
  21: {
    kassaCode: "FN_OFD_BLOCKED",
    meaning: "the FN's wait for OFD transmission is exhausted",
    action: "Restore the internet connection so documents reach the OFD.",
  },
  [ERR_FN_SHIFT_OVER_24H]: {
    kassaCode: "SHIFT_EXPIRED",
    meaning: "the shift has lasted more than 24 hours",
    action: "Close the shift (Z report) and open a new one; the sale is kept and will print then.",
  },
  23: {
    kassaCode: "BAD_PARAMETERS",
    meaning: "the device clock went backwards between documents",
    action: "Check the device clock.",
  },
  [ERR_FN_OFD_ANSWER_REJECTED]: {
    kassaCode: "DEVICE_ERROR",
    meaning: "the FN rejected the OFD's answer",
    action: "Support: check the OFD settings.",
  },
  [ERR_BAD_PARAMETERS]: {
    kassaCode: "BAD_PARAMETERS",
    meaning: "bad parameters in the command",
    action: "Check the receipt data (prices, quantities, VAT) and retry.",
  },
  [ERR_NOT_SUPPORTED]: {
    kassaCode: "PROTOCOL_ERROR",
    meaning: "command not supported by this device",
    action: "Update the device firmware or call support.",
  },
  [ERR_PAYMENTS_LESS_THAN_TOTAL]: {
    kassaCode: "PAYMENTS_LESS_THAN_TOTAL",
    meaning: "payments are less than the receipt total",
    action: "Take the full amount and retry.",
  },
  [ERR_NOT_ENOUGH_CASH]: {
    kassaCode: "BAD_PARAMETERS",
    meaning: "not enough cash in the drawer by the register's count",
    action: "Check the drawer: take out no more than the register says it holds.",
  },
  [ERR_OPERATION_NOT_IN_RECEIPT_TYPE]: {
    kassaCode: "BAD_PARAMETERS",
    meaning: "this operation is not allowed in the open receipt's type",
    action: "Cancel the open receipt, then sell (or refund) in a receipt of the right type.",
  },
  [ERR_NON_CASH_OVER_TOTAL]: {
    kassaCode: "BAD_PARAMETERS",
    meaning: "the non-cash payment is more than the receipt total",
    action: "Change can only be given in cash: lower the card payment and retry.",
  },
  [ERR_RECEIPT_CLOSED]: {
    kassaCode: "NOT_ALLOWED_IN_MODE",
    meaning: "no receipt is open",
    action: "Open a receipt first.",
  },
  [ERR_NO_DOCUMENT_TO_REPEAT]: {
    kassaCode: "NOT_ALLOWED_IN_MODE",
    meaning: "there is no document to repeat",
    action: "Nothing to reprint yet.",
  },
  [ERR_DISCOUNT_OVER_RECEIPT]: {
    kassaCode: "BAD_PARAMETERS",
    meaning: "the discount is more than the receipt's sum",
    action: "Lower the discount and retry.",
  },
  [ERR_DATE_MISMATCH]: {
    kassaCode: "BAD_PARAMETERS",
    meaning: "the confirmed date differs from the programmed one",
    action: "Program the date again (22) and confirm the same date (23).",
  },
  [ERR_BAD_DATE]: {
    kassaCode: "BAD_PARAMETERS",
    meaning: "bad date or time format",
    action: "Check the date and time values.",
  },
  [ERR_RECEIPT_OPEN]: {
    kassaCode: "NOT_ALLOWED_IN_MODE",
    meaning: "a receipt is open on the device",
    action: "Finish or cancel the open receipt and retry.",
  },
  [ERR_SHIFT_OVER_24H]: {
    kassaCode: "SHIFT_EXPIRED",
    meaning: "the shift has lasted more than 24 hours",
    action: "Close the shift (Z report) and open a new one; the sale is kept and will print then.",
  },
  [ERR_WRONG_PASSWORD]: {
    kassaCode: "WRONG_PASSWORD",
    meaning: "wrong operator password",
    action: "Check the cashier/admin password in the till settings.",
  },
  [ERR_BUSY]: {
    kassaCode: "DEVICE_BUSY",
    meaning: "the device is still printing the previous command",
    action: "Wait a moment; Kassa retries by itself.",
  },
  [ERR_AWAITING_CONTINUE_PRINT]: {
    kassaCode: "DEVICE_BUSY",
    meaning: "the device waits for the continue-print command after paper was loaded",
    action: "Kassa sends continue-print by itself; if this persists, press the feed button.",
  },
  [ERR_NO_PAPER]: {
    kassaCode: "PAPER_OUT",
    meaning: "the printer is out of receipt paper",
    action: "Load a new paper roll; the sale is kept and will print when paper is loaded.",
  },
  108: {
    kassaCode: "PAPER_OUT",
    meaning: "the printer is out of journal paper",
    action: "Load a new journal roll; the sale is kept and will print when paper is loaded.",
  },
  114: {
    kassaCode: "NOT_ALLOWED_IN_MODE",
    meaning: "command not allowed in this submode",
    action: "Wait for printing to finish (load paper if it ran out) and retry.",
  },
  [ERR_NOT_IN_MODE]: {
    kassaCode: "NOT_ALLOWED_IN_MODE",
    meaning: "command not allowed in this mode",
    action: "Check the shift state (open a shift, or close an expired one) and retry.",
  },
  [ERR_ZERO_TOTAL]: {
    kassaCode: "BAD_PARAMETERS",
    meaning: "the receipt total is zero",
    action: "Add items with a non-zero price and retry.",
  },
};

for (let code = 0xa0; code <= 0xa5; code++) {
  TABLE[code] = {
    kassaCode: "BAD_PARAMETERS",
    meaning: `marking code error (0x${code.toString(16).toUpperCase()})`,
    action: "Re-scan the marking code or sell the item without it after checking with support.",
  };
}

export function describeDeviceError(code: number): DeviceErrorInfo {
  return (
    TABLE[code] ?? {
      kassaCode: "DEVICE_ERROR",
      meaning: `device error 0x${code.toString(16).padStart(2, "0").toUpperCase()}`,
      action: "Check the device's display and paper, then retry; call support if it repeats.",
    }
  );
}

/** The typed error for an error byte in the answer to `command` (a command code). */
export function deviceError(code: number, command?: number): FiscalDeviceError {
  const info = describeDeviceError(code);
  const where = command === undefined ? "" : ` (command ${command.toString(16).toUpperCase()})`;
  return new FiscalDeviceError(info.kassaCode, `${capitalize(info.meaning)}${where}. ${info.action}`, {
    deviceCode: code,
  });
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
