import { describe, expect, it } from "vitest";
import { FiscalDeviceError } from "../device/errors.ts";
import * as codes from "./error-codes.ts";
import { describeDeviceError, deviceError } from "./error-codes.ts";

describe("device error codes", () => {
  it.each([
    [0x6b, "PAPER_OUT", /paper/i],
    [0x4e, "SHIFT_EXPIRED", /24 hours/],
    [0x16, "SHIFT_EXPIRED", /Z report/],
    [0x14, "FN_OFD_BLOCKED", /30 days/],
    [0x12, "FN_FULL", /Replace/],
    [0x45, "PAYMENTS_LESS_THAN_TOTAL", /full amount/],
    [0x4f, "WRONG_PASSWORD", /password/],
    [0x50, "DEVICE_BUSY", /printing/],
    [0x73, "NOT_ALLOWED_IN_MODE", /shift/],
  ] as const)("0x%s maps to %s with a message saying what to do", (code, kassaCode, text) => {
    const err = deviceError(code, 0xff46);
    expect(err).toBeInstanceOf(FiscalDeviceError);
    expect(err.kassaCode).toBe(kassaCode);
    expect(err.deviceCode).toBe(code);
    expect(err.uncertain).toBe(false);
    expect(err.message).toMatch(text);
    expect(err.message).toMatch(/FF46/);
  });
  it("an unknown code still gets a typed error with the code in hex", () => {
    expect(describeDeviceError(0xee)).toMatchObject({
      kassaCode: "DEVICE_ERROR",
      meaning: "device error 0xEE",
    });
  });
  it("every error byte the driver or the emulator names has its own entry (not the generic fallback)", () => {
    const named = Object.entries(codes).filter(([name]) => name.startsWith("ERR_") && name !== "ERR_OK");
    expect(named.length).toBeGreaterThan(10);
    for (const [name, code] of named) {
      expect(describeDeviceError(code as number).meaning, name).not.toMatch(/^device error 0x/);
    }
  });
});
