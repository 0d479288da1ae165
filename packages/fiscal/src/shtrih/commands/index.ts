/** All protocol v1 commands Kassa uses, by name and by code (the emulator dispatches on `byCode`). */
import {
  allowance,
  cashIn,
  cashOut,
  closeReceiptClassic,
  discount,
  openReceipt,
  purchase,
  purchaseReturn,
  repeatDocument,
  sale,
  saleReturn,
} from "./classic.ts";
import { fnValidity, makeCorrection, makeCorrectionV2, startCorrection } from "./correction.ts";
import {
  beep,
  confirmDate,
  cutPaper,
  deviceType,
  fieldStructure,
  readMoneyRegister,
  readOperatingRegister,
  readTable,
  setDate,
  setTime,
  tableStructure,
  writeTable,
} from "./device.ts";
import { setExchangeParams } from "./exchange.ts";
import { findDocument, fnStatus, readDocumentTlv, requestDocumentTlv, shiftParams } from "./fn.ts";
import {
  ofdMessageLength,
  ofdStatus,
  readOfdBlock,
  startOfdAnswer,
  unconfirmedCount,
  writeOfdBlock,
} from "./ofd.ts";
import {
  cancelReceipt,
  closeReceipt,
  continuePrint,
  operation,
  printString,
  writeOperationTlv,
  writeReceiptTlv,
} from "./receipt.ts";
import { openShift, xReport, zReport } from "./shift.ts";
import { fullStatus, shortStatus } from "./status.ts";

export * from "./classic.ts";
export * from "./correction.ts";
export * from "./define.ts";
export * from "./device.ts";
export * from "./exchange.ts";
export * from "./fn.ts";
export * from "./ofd.ts";
export * from "./receipt.ts";
export * from "./shift.ts";
export * from "./status.ts";

export const commands = {
  shortStatus,
  fullStatus,
  setExchangeParams,
  printString,
  openShift,
  xReport,
  zReport,
  cancelReceipt,
  continuePrint,
  fnStatus,
  shiftParams,
  findDocument,
  requestDocumentTlv,
  readDocumentTlv,
  writeReceiptTlv,
  writeOperationTlv,
  operation,
  closeReceipt,
  ofdStatus,
  unconfirmedCount,
  ofdMessageLength,
  readOfdBlock,
  startOfdAnswer,
  writeOfdBlock,
  deviceType,
  beep,
  cutPaper,
  readMoneyRegister,
  readOperatingRegister,
  writeTable,
  readTable,
  tableStructure,
  fieldStructure,
  setTime,
  setDate,
  confirmDate,
  openReceipt,
  sale,
  purchase,
  saleReturn,
  purchaseReturn,
  closeReceiptClassic,
  discount,
  allowance,
  repeatDocument,
  cashIn,
  cashOut,
  startCorrection,
  makeCorrection,
  makeCorrectionV2,
  fnValidity,
} as const;

export type CommandName = keyof typeof commands;

/** Definitions by command code (0xFFxx for two-byte commands). */
export const byCode: ReadonlyMap<number, (typeof commands)[CommandName]> = new Map(
  Object.values(commands).map((def) => [def.code, def]),
);

/** The vendor driver's answer timeout for a command code, ms. */
export function answerTimeoutMs(code: number): number {
  return byCode.get(code)?.timeoutMs ?? 30_000;
}
