/**
 * The ATOL Driver v10 web requests API as Kassa uses it: JSON tasks posted to the driver's local
 * web server under a client-chosen UUID and polled for their results. Shared by `AtolDevice` (the
 * client) and the emulator (the server), so both sides speak one set of field names.
 *
 * Where each name comes from (public material, read through the search tool; none of it copied):
 * - Envelope: `POST /api/v2/requests` with `{ uuid, request: [task…] }`, `GET /api/v2/requests/{uuid}`
 *   answering `{ results: [{ status, errorCode, errorDescription, result }] }`, with status one of
 *   ready / error / wait / inProgress / interrupted / blocked / canceled — the task-result page of a
 *   service compatible with the ATOL web server (help-kassa.shop-ctrl.ru "API: Получение результата
 *   задания", post_id=280) and the open C# client of a Russian POS ("Cash8", `results[0].status ==
 *   "ready"`, `results[0].result.status.notSentCount`). "blocked" there reads "the result is unknown,
 *   the task queue is stopped": Kassa treats it as an uncertain outcome.
 * - Task types and their fields: the open client ExLuzZziVo/KKTServiceLib (KKTServiceLib.Atol/Types/…):
 *   sell / sellReturn / sellCorrection (`taxationType`, `operator {name, vatin}`, `items[]`,
 *   `payments[]`, `correctionType`, `correctionBaseDate` "yyyy.MM.dd", `correctionBaseNumber`),
 *   item `type: "position"` (`name`, `price`, `quantity`, `amount`, `tax {type}`, `paymentMethod`,
 *   `paymentObject`, `measurementUnit`), item `type: "additionalAttribute"` (`value` ≤ 16 chars, `print`)
 *   = tag 1192 "дополнительный реквизит чека", cashIn / cashOut (`cashSum`, answer `counters.cashSum`),
 *   getDeviceStatus → `deviceStatus {currentDateTime, shift, blocked, coverOpened, paperPresent, fiscal,
 *   fnFiscal, fnPresent, cashDrawerOpened}`, getShiftStatus → `shiftStatus {expiredTime, number, state:
 *   closed|opened|expired}`, getFnInfo → `fnInfo {serial, validityDate, ffdVersion, livePhase, warnings}`,
 *   getFnStatus → `fnStatus {fiscalDocumentNumber, fiscalReceiptNumber, warnings}`, getDeviceInfo →
 *   `deviceInfo {model, modelName, serial, firmwareVersion, ffdVersion}`, getShiftTotals →
 *   `shiftTotals.cashDrawer.sum`, getFnDocument (`fiscalDocumentNumber`, `withRawData`) →
 *   `{fiscalDocumentType, short, documentTLV, rawData (base64 TLV)}`; enums paymentMethod
 *   (fullPrepayment … creditPayment), paymentObject (commodity, excise, job, service, payment,
 *   another …), payment type (cash, electronically …), taxationType (osn, usnIncome, usnIncomeOutcome,
 *   esn, patent), tax type (none, vat0, vat10, vat110, vat20, vat120).
 * - `fiscalParams {fiscalDocumentDateTime, fiscalDocumentNumber, fiscalDocumentSign, fiscalReceiptNumber,
 *   fnNumber, registrationNumber, shiftNumber, receiptsCount, total, fnsUrl}` and `warnings.notPrinted`:
 *   mocks and parsers of several open integrations (a PHP KKT bridge's emulation answers, an ATOL
 *   sample in a Dynamics 365 Commerce extension, a 1C module reading `result.fiscalParams`).
 * - ofdExchangeStatus → `status {notSentCount, notSentFirstDocNumber, notSentFirstDocDateTime}`: a
 *   JSON-task script for the driver (`state.notSentCount = …`) and two open typed clients.
 *
 * Corroborated by a second open client (a POS's ATOL server-driver status code reading
 * `deviceStatus.paperPresent/coverOpened/blocked`, `shiftStatus.expiredTime/number`,
 * `fnStatus.fiscalDocumentNumber`, `deviceInfo.serial/modelName/firmwareVersion`, `status.notSentCount`).
 *
 * NOT verified (no public source found; marked where used): the HTTP status codes of the POST (201
 * created; what a duplicate UUID answers), the result wrapper names `fnInfo` and `shiftTotals`
 * (inferred from the client's class names), `livePhase`'s values, `vat22`/`vat122` for the 22 % rate
 * of 2026, which error code a missing FD number gets, and that `rawData` is the document's TLV
 * exactly as the FN stores it (the emulator sends the document's STLV, tag = document type).
 */

export const REQUESTS_PATH = "/api/v2/requests";

/** Where a task stands. Final: ready, error, interrupted, canceled. "blocked" = outcome unknown. */
export type AtolTaskStatus =
  | "wait"
  | "inProgress"
  | "ready"
  | "error"
  | "interrupted"
  | "blocked"
  | "canceled";

export const FINAL_STATUSES: ReadonlySet<AtolTaskStatus> = new Set([
  "ready",
  "error",
  "interrupted",
  "canceled",
]);

export interface AtolTaskResult {
  status: AtolTaskStatus;
  errorCode: number;
  errorDescription: string;
  result?: unknown;
}

export interface AtolRequestBody {
  uuid: string;
  request: AtolTask[];
}

export interface AtolRequestState {
  results: AtolTaskResult[];
}

export interface AtolOperator {
  name: string;
  vatin?: string;
}

export type AtolTaxType = "none" | "vat0" | "vat10" | "vat110" | "vat20" | "vat120" | "vat22" | "vat122";

export interface AtolPosition {
  type: "position";
  name: string;
  /** Rubles, two decimals. */
  price: number;
  quantity: number;
  /** Rubles: price × quantity as the receipt states it. */
  amount: number;
  tax: { type: AtolTaxType };
  paymentMethod: string;
  paymentObject: string;
  /** FFD 1.2 measure unit (tag 2108) by name: piece, kilogram, liter, otherUnits (KKTServiceLib ItemUnitType). */
  measurementUnit?: string;
}

export interface AtolAdditionalAttribute {
  type: "additionalAttribute";
  value: string;
  print?: boolean;
}

export type AtolItem = AtolPosition | AtolAdditionalAttribute;

export interface AtolPayment {
  type: "cash" | "electronically" | "prepaid" | "credit" | "other";
  /** Rubles. */
  sum: number;
}

export type AtolReceiptType = "sell" | "sellReturn" | "buy" | "buyReturn";
export type AtolCorrectionType =
  | "sellCorrection"
  | "sellReturnCorrection"
  | "buyCorrection"
  | "buyReturnCorrection";

export interface AtolReceiptTask {
  type: AtolReceiptType | AtolCorrectionType;
  taxationType: string;
  operator: AtolOperator;
  items: AtolItem[];
  payments: AtolPayment[];
  /** Corrections only. */
  correctionType?: "self" | "instruction";
  correctionBaseDate?: string;
  correctionBaseNumber?: string;
}

export interface AtolOperatorTask {
  type: "openShift" | "closeShift" | "reportX";
  operator?: AtolOperator;
}

export interface AtolCashTask {
  type: "cashIn" | "cashOut";
  cashSum: number;
  operator?: AtolOperator;
}

export interface AtolQueryTask {
  type:
    | "getDeviceStatus"
    | "getShiftStatus"
    | "getFnInfo"
    | "getFnStatus"
    | "getDeviceInfo"
    | "getShiftTotals"
    | "ofdExchangeStatus"
    | "continuePrint";
}

export interface AtolFnDocumentTask {
  type: "getFnDocument";
  fiscalDocumentNumber: number;
  withRawData?: boolean;
}

export type AtolTask = AtolReceiptTask | AtolOperatorTask | AtolCashTask | AtolQueryTask | AtolFnDocumentTask;

/** What a fiscal document task (receipt, shift open/close) answers. */
export interface AtolFiscalParams {
  fiscalDocumentDateTime: string;
  fiscalDocumentNumber: number;
  fiscalDocumentSign: string;
  fiscalReceiptNumber?: number;
  fnNumber: string;
  registrationNumber?: string;
  shiftNumber: number;
  receiptsCount?: number;
  total?: number;
  fnsUrl?: string;
}

export interface AtolFiscalResult {
  fiscalParams: AtolFiscalParams;
  warnings?: { notPrinted?: boolean };
}

export interface AtolDeviceStatus {
  currentDateTime: string;
  shift: "closed" | "opened" | "expired";
  blocked: boolean;
  coverOpened: boolean;
  paperPresent: boolean;
  fiscal: boolean;
  fnFiscal: boolean;
  fnPresent: boolean;
  cashDrawerOpened: boolean;
}

export interface AtolShiftStatus {
  expiredTime: string;
  number: number;
  state: "closed" | "opened" | "expired";
}

export interface AtolFnWarnings {
  criticalError?: boolean;
  memoryOverflow?: boolean;
  needReplacement?: boolean;
  resourceExhausted?: boolean;
  ofdTimeout?: boolean;
}

export interface AtolFnInfo {
  serial: string;
  validityDate?: string;
  ffdVersion?: string;
  fnFfdVersion?: string;
  /** FN life phase. Assumed string enum ("fiscal" in fiscal mode); unverified beyond the field name. */
  livePhase?: string;
  warnings?: AtolFnWarnings;
}

export interface AtolFnStatus {
  fiscalDocumentNumber: number;
  fiscalReceiptNumber: number;
  warnings?: AtolFnWarnings;
}

export interface AtolDeviceInfo {
  model: number;
  modelName: string;
  serial: string;
  firmwareVersion: string;
  ffdVersion?: string;
}

export interface AtolOfdExchange {
  notSentCount: number;
  notSentFirstDocNumber: number;
  notSentFirstDocDateTime: string;
}

export interface AtolFnDocument {
  fiscalDocumentType: string;
  short?: boolean;
  documentTLV?: unknown;
  /** The document's TLV, base64, when asked `withRawData`. */
  rawData?: string;
}

/** Kopecks → the rubles the JSON carries (two decimals, no float noise). */
export function rubles(kopecks: number): number {
  return Number((kopecks / 100).toFixed(2));
}

/** Rubles from JSON → kopecks. */
export function kopecks(rub: number): number {
  return Math.round(rub * 100);
}
