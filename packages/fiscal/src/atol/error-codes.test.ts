import { expect, it } from "vitest";
import { FiscalDeviceError } from "../device/errors.ts";
import { AtolDeviceError, atolError } from "./error-codes.ts";

it.each([
  [44, "PAPER_OUT", false],
  [68, "SHIFT_EXPIRED", false],
  [73, "SHIFT_CLOSED", false],
  [83, "SHIFT_ALREADY_OPEN", false],
  [66, "PAYMENTS_LESS_THAN_TOTAL", false],
  [16, "BAD_PARAMETERS", false],
  [121, "FN_FULL", false],
  [139, "FN_OFD_BLOCKED", false],
  [2, "DEVICE_DISCONNECTED", true],
  [241, "DEVICE_DISCONNECTED", true],
  [177, "DEVICE_ERROR", true],
  // The FN exchange lost mid-task: the document may exist (certain would let the receipt print twice).
  [115, "DEVICE_ERROR", true],
  [140, "DEVICE_ERROR", true],
  [159, "DEVICE_ERROR", true],
  [178, "DEVICE_ERROR", true],
  // A code Kassa does not know may have come after the FN made the document: checked, never guessed.
  [9999, "DEVICE_ERROR", true],
  [80, "BAD_PARAMETERS", false],
  // Refused by the driver's task script before anything ran (validateTask): the receipt's content.
  [501, "BAD_PARAMETERS", false],
  [502, "DEVICE_ERROR", false],
  [82, "NOT_ALLOWED_IN_MODE", false],
])("ATOL %i → %s (uncertain %s)", (code, kassaCode, uncertain) => {
  const e = atolError(code, "описание");
  expect(e).toBeInstanceOf(FiscalDeviceError);
  expect(e).toBeInstanceOf(AtolDeviceError);
  expect(e).toMatchObject({ kassaCode, uncertain, atolErrorCode: code });
  // Never the Shtrih-M byte field: the agent's content-refusal table is keyed by those bytes.
  expect(e.deviceCode).toBeUndefined();
  expect(e.message).toContain(`ATOL ${code}: описание`);
});

it("the cashier messages say what to do, not what Kassa does not do", () => {
  expect(atolError(80, "").message).toMatch(/^Not enough cash in the drawer/);
  // Kassa's cancelReceipt is a no-op on ATOL: the message must not promise a cancel.
  expect(atolError(82, "").message).not.toMatch(/cancelled first/);
});
