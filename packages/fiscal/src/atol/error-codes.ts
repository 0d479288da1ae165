/**
 * ATOL driver error codes (`errorCode` of a task result) → Kassa's typed device errors, with the
 * cashier messages the Shtrih-M driver uses for the same situations. The numbers are the driver's
 * LIBFPTR_ERROR_* constants as published in the open client ExLuzZziVo/KKTServiceLib
 * (KKTServiceLib.Atol/Types/Enums/KKTErrorType.cs) and, identically, in the driver's Java binding
 * constants found in public code (LIBFPTR_ERROR_NO_PAPER = 44, …, LIBFPTR_ERROR_CONNECTION_LOST = 241).
 *
 * ATOL errors never set `deviceCode`: that field carries the Shtrih-M error byte, and the agent's
 * content-refusal table is keyed by those bytes (ATOL 16 "invalid sum" is Shtrih-M 0x10 "bad
 * parameter", but ATOL 69 is not Shtrih-M 0x45). The ATOL code travels in `atolErrorCode` instead,
 * and content refusals are `BAD_PARAMETERS` / `PAYMENTS_LESS_THAN_TOTAL` without a device code — the
 * agent's driver-refusal rule, which already means "this receipt, not the register".
 */
import { FiscalDeviceError, type FiscalErrorCode } from "../device/errors.ts";

export const ATOL_OK = 0;
export const ATOL_ERROR_CONNECTION_DISABLED = 1;
export const ATOL_ERROR_NO_CONNECTION = 2;
export const ATOL_ERROR_PORT_BUSY = 3;
export const ATOL_ERROR_PORT_NOT_AVAILABLE = 4;
export const ATOL_ERROR_INCORRECT_DATA = 5;
export const ATOL_ERROR_INVALID_PARAM = 13;
export const ATOL_ERROR_UNKNOWN = 15;
export const ATOL_ERROR_INVALID_SUM = 16;
export const ATOL_ERROR_INVALID_QUANTITY = 17;
export const ATOL_ERROR_NO_PAPER = 44;
export const ATOL_ERROR_COVER_OPENED = 45;
export const ATOL_ERROR_PRINTER_FAULT = 46;
export const ATOL_ERROR_BUSY = 55;
export const ATOL_ERROR_NOT_FULLY_PAID = 66;
export const ATOL_ERROR_SHIFT_EXPIRED = 68;
export const ATOL_ERROR_INVALID_PASSWORD = 71;
export const ATOL_ERROR_DENIED_IN_CLOSED_SHIFT = 73;
export const ATOL_ERROR_NO_CASH = 80;
export const ATOL_ERROR_DENIED_IN_OPENED_RECEIPT = 82;
export const ATOL_ERROR_DENIED_IN_OPENED_SHIFT = 83;
export const ATOL_ERROR_FN_EXCHANGE = 115;
export const ATOL_ERROR_FN_EXPIRED = 120;
export const ATOL_ERROR_FN_OVERFLOW = 121;
export const ATOL_ERROR_FN_NO_MORE_DATA = 123;
export const ATOL_ERROR_FN_RESOURCE_HAS_EXPIRED = 137;
/** "ФН: есть неотправленные документы" — the 30-day rule as the emulator answers it. Assumed: unverified which code a real FN gives. */
export const ATOL_ERROR_FN_HAS_NOT_SEND_DOCUMENTS = 139;
export const ATOL_ERROR_FN_TIMEOUT = 140;
export const ATOL_ERROR_FN_SHIFT_EXPIRED = 141;
export const ATOL_ERROR_INVALID_TAXATION_TYPE = 143;
export const ATOL_ERROR_INVALID_TAX_TYPE = 144;
export const ATOL_ERROR_FN_INTERFACE = 159;
export const ATOL_ERROR_OPEN_SHIFT_REPORT_INTERRUPTED = 175;
export const ATOL_ERROR_CLOSE_RECEIPT_INTERRUPTED = 177;
export const ATOL_ERROR_FN_QUERY_INTERRUPTED = 178;
export const ATOL_ERROR_CONNECTION_LOST = 241;
/** The driver's JSON task scripts refuse a field before running anything (their validateTask). */
export const ATOL_ERROR_RECEIPT_PARSE_ERROR = 501;
/** A task of the request not run because an earlier one failed. */
export const ATOL_ERROR_INTERRUPTED_BY_PREVIOUS_ERRORS = 502;

/**
 * Codes the driver answers before anything reached the FN: the register refused the task as it
 * stands (paper, shift, content, mode, password), so nothing was made and the receipt may be posted
 * again under its next attempt's UUID once the cause is fixed. Every other code — the link or the
 * FN exchange lost mid-task (2, 5, 115, 140, 159, 177, 178, 241), a report interrupted, and any code
 * Kassa does not know — may have come after the FN made the document: uncertain, settled by
 * recoverReceipt from the FN before anything prints again. An unknown code costs an FN lookup;
 * calling it certain could cost a second receipt.
 */
const CERTAIN = new Set([
  ATOL_ERROR_CONNECTION_DISABLED,
  ATOL_ERROR_PORT_BUSY,
  ATOL_ERROR_PORT_NOT_AVAILABLE,
  ATOL_ERROR_INVALID_PARAM,
  ATOL_ERROR_INVALID_SUM,
  ATOL_ERROR_INVALID_QUANTITY,
  ATOL_ERROR_NO_PAPER,
  ATOL_ERROR_COVER_OPENED,
  ATOL_ERROR_BUSY,
  ATOL_ERROR_NOT_FULLY_PAID,
  ATOL_ERROR_SHIFT_EXPIRED,
  ATOL_ERROR_INVALID_PASSWORD,
  ATOL_ERROR_DENIED_IN_CLOSED_SHIFT,
  ATOL_ERROR_NO_CASH,
  ATOL_ERROR_DENIED_IN_OPENED_RECEIPT,
  ATOL_ERROR_DENIED_IN_OPENED_SHIFT,
  ATOL_ERROR_FN_EXPIRED,
  ATOL_ERROR_FN_OVERFLOW,
  ATOL_ERROR_FN_NO_MORE_DATA,
  ATOL_ERROR_FN_RESOURCE_HAS_EXPIRED,
  ATOL_ERROR_FN_HAS_NOT_SEND_DOCUMENTS,
  ATOL_ERROR_FN_SHIFT_EXPIRED,
  ATOL_ERROR_INVALID_TAXATION_TYPE,
  ATOL_ERROR_INVALID_TAX_TYPE,
  ATOL_ERROR_RECEIPT_PARSE_ERROR,
  ATOL_ERROR_INTERRUPTED_BY_PREVIOUS_ERRORS,
]);

interface Mapping {
  kassaCode: FiscalErrorCode;
  message: string;
}

const MAP: Record<number, Mapping> = {
  [ATOL_ERROR_CONNECTION_DISABLED]: {
    kassaCode: "DEVICE_DISCONNECTED",
    message: "The ATOL driver has no connection to the register: check its cable and power.",
  },
  [ATOL_ERROR_NO_CONNECTION]: {
    kassaCode: "DEVICE_DISCONNECTED",
    message: "The ATOL driver lost the register: check its cable and power.",
  },
  [ATOL_ERROR_PORT_BUSY]: {
    kassaCode: "DEVICE_DISCONNECTED",
    message: "The register's port is used by another program: close it, then retry.",
  },
  [ATOL_ERROR_PORT_NOT_AVAILABLE]: {
    kassaCode: "DEVICE_DISCONNECTED",
    message: "The register's port is not available: check the cable and the driver's connection settings.",
  },
  [ATOL_ERROR_CONNECTION_LOST]: {
    kassaCode: "DEVICE_DISCONNECTED",
    message: "The ATOL driver lost the register mid-operation: check its cable and power.",
  },
  [ATOL_ERROR_INCORRECT_DATA]: {
    kassaCode: "PROTOCOL_ERROR",
    message: "The register answered the driver with garbled data: check the cable.",
  },
  [ATOL_ERROR_INVALID_PARAM]: {
    kassaCode: "BAD_PARAMETERS",
    message: "The register refused a value of this receipt.",
  },
  [ATOL_ERROR_INVALID_SUM]: { kassaCode: "BAD_PARAMETERS", message: "The register refused a price or sum." },
  [ATOL_ERROR_INVALID_QUANTITY]: { kassaCode: "BAD_PARAMETERS", message: "The register refused a quantity." },
  [ATOL_ERROR_INVALID_TAXATION_TYPE]: {
    kassaCode: "BAD_PARAMETERS",
    message: "The register is not registered for this tax system.",
  },
  [ATOL_ERROR_INVALID_TAX_TYPE]: { kassaCode: "BAD_PARAMETERS", message: "The register refused a VAT rate." },
  [ATOL_ERROR_NO_PAPER]: { kassaCode: "PAPER_OUT", message: "Out of paper: load a new roll." },
  [ATOL_ERROR_COVER_OPENED]: { kassaCode: "PAPER_OUT", message: "The printer cover is open: close it." },
  [ATOL_ERROR_PRINTER_FAULT]: {
    kassaCode: "DEVICE_ERROR",
    message: "The register lost its printer: switch the register off and on.",
  },
  [ATOL_ERROR_BUSY]: {
    kassaCode: "DEVICE_BUSY",
    message: "The register is finishing an operation: wait a moment.",
  },
  [ATOL_ERROR_NOT_FULLY_PAID]: {
    kassaCode: "PAYMENTS_LESS_THAN_TOTAL",
    message: "The payments do not cover the receipt total.",
  },
  [ATOL_ERROR_SHIFT_EXPIRED]: {
    kassaCode: "SHIFT_EXPIRED",
    message: "The shift is over 24 hours: close it (Z report) and open a new one.",
  },
  [ATOL_ERROR_FN_SHIFT_EXPIRED]: {
    kassaCode: "SHIFT_EXPIRED",
    message: "The shift is over 24 hours: close it (Z report) and open a new one.",
  },
  [ATOL_ERROR_INVALID_PASSWORD]: {
    kassaCode: "WRONG_PASSWORD",
    message: "The register refused the driver's password: check the ATOL driver's settings.",
  },
  [ATOL_ERROR_DENIED_IN_CLOSED_SHIFT]: {
    kassaCode: "SHIFT_CLOSED",
    message: "No shift is open: open a shift first.",
  },
  [ATOL_ERROR_DENIED_IN_OPENED_SHIFT]: {
    kassaCode: "SHIFT_ALREADY_OPEN",
    message: "A shift is already open.",
  },
  [ATOL_ERROR_NO_CASH]: {
    kassaCode: "BAD_PARAMETERS",
    message:
      "Not enough cash in the drawer by the register's count: take out (or refund in cash) no more than it holds.",
  },
  [ATOL_ERROR_DENIED_IN_OPENED_RECEIPT]: {
    // Kassa's tasks open and close their receipt in one task, so another program left this one open.
    kassaCode: "NOT_ALLOWED_IN_MODE",
    message:
      "A document is open on the register (left by another program): cancel it in the ATOL driver's test utility, then retry.",
  },
  [ATOL_ERROR_RECEIPT_PARSE_ERROR]: {
    kassaCode: "BAD_PARAMETERS",
    message: "The ATOL driver refused a field of this receipt before printing anything.",
  },
  [ATOL_ERROR_INTERRUPTED_BY_PREVIOUS_ERRORS]: {
    kassaCode: "DEVICE_ERROR",
    message: "The ATOL driver did not run the task after an earlier one failed: retry.",
  },
  [ATOL_ERROR_UNKNOWN]: {
    kassaCode: "DEVICE_ERROR",
    message:
      "The register reported an unknown error: it is checked before anything is printed again; call support if it repeats.",
  },
  [ATOL_ERROR_FN_EXCHANGE]: {
    kassaCode: "DEVICE_ERROR",
    message: "The register lost its exchange with the FN: it is checked before anything is printed again.",
  },
  [ATOL_ERROR_FN_TIMEOUT]: {
    kassaCode: "DEVICE_ERROR",
    message: "The FN did not answer the register in time: it is checked before anything is printed again.",
  },
  [ATOL_ERROR_FN_INTERFACE]: {
    kassaCode: "DEVICE_ERROR",
    message: "The register lost its link to the FN: it is checked before anything is printed again.",
  },
  [ATOL_ERROR_FN_QUERY_INTERRUPTED]: {
    kassaCode: "DEVICE_ERROR",
    message: "A query to the FN was interrupted: the register is checked before anything is printed again.",
  },
  [ATOL_ERROR_OPEN_SHIFT_REPORT_INTERRUPTED]: {
    kassaCode: "DEVICE_ERROR",
    message: "Opening the shift was interrupted: check the register's shift state, then retry.",
  },
  [ATOL_ERROR_FN_EXPIRED]: {
    kassaCode: "FN_FULL",
    message: "The fiscal storage (FN) has expired: it must be replaced. Call support.",
  },
  [ATOL_ERROR_FN_OVERFLOW]: {
    kassaCode: "FN_FULL",
    message: "The fiscal storage (FN) is full: it must be replaced. Call support.",
  },
  [ATOL_ERROR_FN_RESOURCE_HAS_EXPIRED]: {
    kassaCode: "FN_FULL",
    message: "The fiscal storage (FN) has expired: it must be replaced. Call support.",
  },
  [ATOL_ERROR_FN_HAS_NOT_SEND_DOCUMENTS]: {
    kassaCode: "FN_OFD_BLOCKED",
    message:
      "The FN stopped issuing documents: one has waited 30 days for the OFD. Check the ATOL driver's OFD connection; receipts are kept until then.",
  },
  [ATOL_ERROR_CLOSE_RECEIPT_INTERRUPTED]: {
    kassaCode: "DEVICE_ERROR",
    message: "Closing the receipt was interrupted: the register is checked before anything is printed again.",
  },
};

/** A typed device error for an ATOL task that ended with `errorCode`. */
export class AtolDeviceError extends FiscalDeviceError {
  override readonly name = "AtolDeviceError";
  /** The ATOL driver's own error code (LIBFPTR_ERROR_*). */
  readonly atolErrorCode: number;
  constructor(kassaCode: FiscalErrorCode, message: string, atolErrorCode: number, uncertain: boolean) {
    super(kassaCode, message, { uncertain });
    this.atolErrorCode = atolErrorCode;
  }
}

export function atolError(errorCode: number, errorDescription: string): AtolDeviceError {
  const known = MAP[errorCode];
  const said = errorDescription ? ` (ATOL ${errorCode}: ${errorDescription})` : ` (ATOL ${errorCode})`;
  const message = known
    ? `${known.message}${said}`
    : `The register refused the operation${said}. Call support if it repeats.`;
  return new AtolDeviceError(
    known?.kassaCode ?? "DEVICE_ERROR",
    message,
    errorCode,
    isUncertainAtolCode(errorCode),
  );
}

export function isUncertainAtolCode(errorCode: number): boolean {
  return !CERTAIN.has(errorCode);
}
