/**
 * 0x10 short status and 0x11 full status. Layouts: Shtrih-M protocol v1.17 "Короткий запрос
 * состояния ФР" / "Запрос состояния ФР"; cross-checked with pyshtrih handlers/commands.py.
 */
import type { DeviceDateTime } from "../binary.ts";
import { defineCommand, type PasswordRequest } from "./define.ts";

/** Flag bits of the 2-byte "ФР flags" word (protocol v1.17). */
export const DeviceFlags = {
  journalRoll: 1 << 0,
  receiptRoll: 1 << 1,
  decimalPoint: 1 << 4,
  journalPaperSensor: 1 << 6,
  /** Optical sensor of the receipt tape: set when paper is present. */
  receiptPaperSensor: 1 << 7,
  coverOpen: 1 << 10,
  cashDrawerOpen: 1 << 11,
} as const;

/** Low nibble of the mode byte (the high nibble is the mode's status, e.g. receipt kind in mode 8). */
export const Mode = {
  dataOutput: 1,
  shiftOpen: 2,
  shiftExpired: 3,
  shiftClosed: 4,
  documentOpen: 8,
} as const;

/** Submodes of the print engine. */
export const Submode = {
  idle: 0,
  paperOutPassive: 1,
  paperOutActive: 2,
  /** Paper was loaded after running out: waiting for continue-print (B0). */
  awaitingContinuePrint: 3,
  printingLong: 4,
  printing: 5,
} as const;

export interface ShortStatus {
  operator: number;
  flags: number;
  /** Full mode byte: low nibble mode, high nibble mode status. */
  mode: number;
  submode: number;
  /** Operations in the open receipt. */
  receiptOperations: number;
  batteryVoltage: number;
  powerVoltage: number;
  fpError: number;
  eklzError: number;
}

export const shortStatus = defineCommand<PasswordRequest, ShortStatus>({
  code: 0x10,
  name: "short status",
  timeoutMs: 3_000,
  writeRequest: (w, r) => w.u32(r.password, "password"),
  readRequest: (r) => ({ password: r.u32("password") }),
  writeAnswer: (w, a) =>
    w
      .u8(a.operator)
      .u16(a.flags)
      .u8(a.mode)
      .u8(a.submode)
      .u8(a.receiptOperations & 0xff)
      .u8(a.batteryVoltage)
      .u8(a.powerVoltage)
      .u8(a.fpError)
      .u8(a.eklzError)
      .u8(a.receiptOperations >> 8)
      .fill(0, 3),
  readAnswer: (r) => {
    const operator = r.u8("operator");
    const flags = r.u16("flags");
    const mode = r.u8("mode");
    const submode = r.u8("submode");
    const opsLow = r.u8("operations");
    const batteryVoltage = r.u8("battery");
    const powerVoltage = r.u8("power");
    const fpError = r.u8("FP error");
    const eklzError = r.u8("EKLZ error");
    const opsHigh = r.remaining > 0 ? r.u8("operations") : 0;
    return {
      operator,
      flags,
      mode,
      submode,
      receiptOperations: opsLow | (opsHigh << 8),
      batteryVoltage,
      powerVoltage,
      fpError,
      eklzError,
    };
  },
});

export interface FullStatus {
  operator: number;
  firmwareVersion: string;
  firmwareBuild: number;
  documentNumber: number;
  flags: number;
  mode: number;
  submode: number;
  port: number;
  /** The device clock. */
  dateTime: DeviceDateTime;
  serialNumber: number;
  lastClosedShift: number;
  inn: number;
}

const ascii2 = (s: string) => Uint8Array.from([s.charCodeAt(0) || 0x30, s.charCodeAt(1) || 0x30]);

export const fullStatus = defineCommand<PasswordRequest, FullStatus>({
  code: 0x11,
  name: "full status",
  timeoutMs: 3_000,
  writeRequest: (w, r) => w.u32(r.password, "password"),
  readRequest: (r) => ({ password: r.u32("password") }),
  writeAnswer: (w, a) =>
    w
      .u8(a.operator)
      .bytes(ascii2(a.firmwareVersion))
      .u16(a.firmwareBuild)
      .date(a.dateTime)
      .u8(1) // number in the hall
      .u16(a.documentNumber & 0xffff)
      .u16(a.flags)
      .u8(a.mode)
      .u8(a.submode)
      .u8(a.port)
      .bytes(ascii2(a.firmwareVersion)) // FP firmware version
      .u16(a.firmwareBuild)
      .date(a.dateTime)
      .date(a.dateTime)
      .time(a.dateTime)
      .u8(0) // FP flags
      .u32(a.serialNumber)
      .u16(a.lastClosedShift)
      .u16(0) // free FP records
      .u8(1) // registrations
      .u8(0) // registrations left
      .uint(a.inn, 6, "inn"),
  readAnswer: (r) => {
    const operator = r.u8("operator");
    const v = r.bytes(2, "firmware version");
    const firmwareVersion = String.fromCharCode(v[0]!, v[1]!);
    const firmwareBuild = r.u16("firmware build");
    r.date("firmware date");
    r.u8("hall number");
    const documentNumber = r.u16("document number");
    const flags = r.u16("flags");
    const mode = r.u8("mode");
    const submode = r.u8("submode");
    const port = r.u8("port");
    r.bytes(2, "FP version");
    r.u16("FP build");
    r.date("FP date");
    const date = r.date("date");
    const time = r.time("time");
    r.u8("FP flags");
    const serialNumber = r.u32("serial number");
    const lastClosedShift = r.u16("last closed shift");
    r.u16("free FP records");
    r.u8("registrations");
    r.u8("registrations left");
    const inn = r.uint(6, "inn");
    return {
      operator,
      firmwareVersion,
      firmwareBuild,
      documentNumber,
      flags,
      mode,
      submode,
      port,
      dateTime: { ...date, ...time },
      serialNumber,
      lastClosedShift,
      inn,
    };
  },
});
