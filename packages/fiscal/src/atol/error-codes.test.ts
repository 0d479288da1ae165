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
  [9999, "DEVICE_ERROR", false],
])("ATOL %i → %s (uncertain %s)", (code, kassaCode, uncertain) => {
  const e = atolError(code, "описание");
  expect(e).toBeInstanceOf(FiscalDeviceError);
  expect(e).toBeInstanceOf(AtolDeviceError);
  expect(e).toMatchObject({ kassaCode, uncertain, atolErrorCode: code });
  // Never the Shtrih-M byte field: the agent's content-refusal table is keyed by those bytes.
  expect(e.deviceCode).toBeUndefined();
  expect(e.message).toContain(`ATOL ${code}: описание`);
});
