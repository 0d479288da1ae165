import type { TWaitingReason } from "@kassa/api/agent";
import { FiscalDeviceError } from "@kassa/fiscal/device";

/**
 * Device error bytes (Shtrih-M protocol v1 "Коды ошибок", packages/fiscal/src/shtrih/error-codes.ts)
 * that speak about the receipt being printed, not about the register: another receipt would print.
 * - 0x09 bad parameter value, 0x10 TLV data too large, 0x33 bad parameters in the command,
 *   0x45 payments less than the total, 0x8E zero total, 0xA0–0xA5 marking code errors.
 * Deliberately NOT here, because they stop every receipt alike and so must keep the queue's order:
 * 0x01 (unknown command / bad format: a driver–firmware mismatch), 0x07 and 0x17 (the device clock),
 * 0x02 / 0x4A / 0x72 / 0x73 (mode: shift, open document, printing), paper, busy, 24 h, FN full or
 * blocked, and every error byte Kassa does not know (DEVICE_ERROR).
 */
const CONTENT_DEVICE_CODES = new Set([0x09, 0x10, 0x33, 0x45, 0x8e, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5]);

/** Refusals the driver makes itself, before sending anything (its own checks of the receipt's data). */
const CONTENT_DRIVER_CODES = new Set(["BAD_PARAMETERS", "PAYMENTS_LESS_THAN_TOTAL"]);

/**
 * Did the register (or its driver) refuse this receipt for what it contains? Only a certain answer
 * counts: an uncertain outcome (timeout, cable, power) may have made a document and must go
 * through recovery, never be set aside. Such a receipt leaves the queue as `needs_attention`;
 * every other error is a device state the queue waits out in order.
 */
export function isContentRefusal(error: unknown): error is FiscalDeviceError {
  if (!(error instanceof FiscalDeviceError) || error.uncertain) return false;
  if (error.deviceCode === undefined) return CONTENT_DRIVER_CODES.has(error.kassaCode);
  return CONTENT_DEVICE_CODES.has(error.deviceCode);
}

/** What the POS and support read about a receipt set aside: the register's own reason, then what to do. */
export function attentionReasonFor(error: FiscalDeviceError): TWaitingReason {
  return {
    kassaCode: error.kassaCode,
    message: `The fiscal register refused this receipt: ${error.message} It will not print; the sales after it go on. Support can void it (receipts.void) once the sale is settled with the customer.`,
  };
}

/** The waiting reason of a register that refused `refusals` different receipts in a row for their content. */
export const DEVICE_REFUSES_ALL = "DEVICE_REFUSES_ALL";

/**
 * Several different receipts refused in a row is the register's configuration (tax table,
 * department, a field its firmware refuses), not the receipts: setting every sale aside would let
 * the shop go on selling with no fiscal receipt, so the queue waits instead, like for paper.
 */
export function refusesAllReason(refusals: number, error: FiscalDeviceError): TWaitingReason {
  // The code, not the driver's message: that one tells the cashier to check the receipt's data.
  const code =
    error.deviceCode === undefined
      ? error.kassaCode
      : `${error.kassaCode}, error 0x${error.deviceCode.toString(16).toUpperCase().padStart(2, "0")}`;
  return {
    kassaCode: DEVICE_REFUSES_ALL,
    message: `The fiscal register refused ${refusals} sales in a row for their content (last answer: ${code}); its configuration is probably wrong (tax table, departments, firmware settings). Call support to fix the register. The sales are saved and will print, in order, once it is fixed.`,
  };
}
