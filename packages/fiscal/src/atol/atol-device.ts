/**
 * An ATOL register behind `FiscalDevice`, driven through ATOL's own driver (Driver v10) and its web
 * requests API (protocol.ts): every operation is a JSON task posted under a UUID and polled.
 *
 * Exactly once: a receipt's task UUID is derived from its id and an attempt number (task-uuid.ts).
 * Before posting, the device asks the server for each attempt's UUID in turn: a ready one is the
 * receipt's result (re-posting after a timeout or crash never prints again), a running one is
 * waited for, a certainly failed one moves on to the next attempt, and the first unknown UUID is
 * posted. When the server cannot tell (it restarted and forgot, a task is "blocked", a driver error
 * that leaves the FN's state open), `recoverReceipt` looks in the FN from the expected FD onwards
 * and matches tag 1192, exactly like the Shtrih-M path.
 *
 * The OFD: the ATOL driver exchanges with the OFD itself. `ofdStatus` reports the FN's backlog
 * (ofdExchangeStatus); `readOfdMessage` has nothing to hand out (null), so Kassa's relay never
 * carries an ATOL register's documents, and `writeOfdReceipt` refuses.
 */
import { DeviceTimeoutError, FiscalDeviceError } from "../device/errors.ts";
import type {
  Cashier,
  CashMovement,
  CashMovementResult,
  DeviceInfo,
  DeviceStatus,
  FiscalCorrection,
  FiscalDevice,
  FiscalReceipt,
  FnStatus,
  OfdExchangeStatus,
  ReceiptResult,
  RecoveryResult,
  ShiftReport,
  StoredDocument,
} from "../device/fiscal-device.ts";
import { DOCUMENT_TYPE } from "../ffd/codes.ts";
import { ffdTimeToIso } from "../ffd/ffd-time.ts";
import { fiscalSignFromBytes } from "../ffd/fiscal-sign.ts";
import { Tag } from "../ffd/tags.ts";
import { decodeString, decodeTlvRaw, decodeVln, type RawTlv } from "../ffd/tlv.ts";
import { defaultVatRates, type VatRateTable } from "../ffd/vat-rates.ts";
import { receiptTagFor } from "../shtrih/receipt-tag.ts";
import {
  ATOL_ERROR_FN_NO_MORE_DATA,
  ATOL_ERROR_INVALID_PARAM,
  AtolDeviceError,
  atolError,
  isUncertainAtolCode,
} from "./error-codes.ts";
import {
  type AtolDeviceInfo,
  type AtolDeviceStatus,
  type AtolFiscalParams,
  type AtolFiscalResult,
  type AtolFnDocument,
  type AtolFnInfo,
  type AtolFnStatus,
  type AtolOfdExchange,
  type AtolShiftStatus,
  type AtolTask,
  type AtolTaskResult,
  kopecks,
  rubles,
} from "./protocol.ts";
import { operatorOf, type PlannedReceipt, planCorrection, planReceipt } from "./receipt-task.ts";
import { fiscalTaskUuid } from "./task-uuid.ts";
import { AtolWebClient, type AtolWebClientOptions } from "./web-client.ts";

export interface AtolDeviceOptions extends AtolWebClientOptions {
  vatRates?: VatRateTable;
  /**
   * Attempt UUIDs one call reads before it stops for now (each certainly failed attempt keeps its
   * UUID). Not a limit on a receipt's attempts: the next call reads on from there. Default 1000.
   */
  maxAttempts?: number;
  /** UUIDs for one-off tasks (queries, shifts, cash). Default crypto.randomUUID. */
  randomUuid?: () => string;
}

const DAY_MS = 86_400_000;

/**
 * Per driver URL, the task UUIDs whose uncertain failure the FN has since settled as "not
 * fiscalized" (recoverReceipt found no document): the next attempt may be posted. Kept across
 * AtolDevice instances (the agent reopens the device after a disconnect) but in memory only: after
 * a restart the agent runs recovery again before printing.
 */
const SETTLED = new Map<string, Set<string>>();

/**
 * Per driver URL and receipt, the first attempt not yet seen to have failed for certain (or been
 * settled): every attempt below it is over, so a call starts there. A register refusing every
 * receipt (the agent retries every poll) makes hundreds of attempts; reading them all again on
 * every try would grow without end, and a cap on attempts would leave the receipt unprintable once
 * the register is fixed. In memory: after a restart the first call reads on from attempt 0.
 */
const PROGRESS = new Map<string, Map<string, number>>();

/**
 * Driver URLs whose last receipt the FN closed but the printer did not finish (warnings.notPrinted):
 * the register reports no such state of its own, and the agent reopens the device after a
 * disconnect, so an instance field would forget it and the customer's copy would never print.
 */
const NOT_PRINTED = new Set<string>();

export class AtolDevice implements FiscalDevice {
  readonly client: AtolWebClient;
  private readonly vatRates: VatRateTable;
  private readonly maxAttempts: number;
  private readonly randomUuid: () => string;
  private info: DeviceInfo | null = null;
  private readonly settled: Set<string>;
  private readonly progress: Map<string, number>;

  constructor(options: AtolDeviceOptions) {
    this.client = new AtolWebClient(options);
    this.vatRates = options.vatRates ?? defaultVatRates;
    this.maxAttempts = options.maxAttempts ?? 1000;
    this.randomUuid = options.randomUuid ?? (() => crypto.randomUUID());
    const settled = SETTLED.get(this.client.url) ?? new Set<string>();
    SETTLED.set(this.client.url, settled);
    this.settled = settled;
    const progress = PROGRESS.get(this.client.url) ?? new Map<string, number>();
    PROGRESS.set(this.client.url, progress);
    this.progress = progress;
  }

  // ---- one-off tasks --------------------------------------------------------------------------

  /** Runs one task under a fresh UUID and returns its result; a task error becomes a typed error. */
  private async task<T>(task: AtolTask, timeoutMs?: number): Promise<T> {
    const [r] = await this.client.run(this.randomUuid(), [task], timeoutMs);
    return resultOf<T>(r);
  }

  // ---- identity and status --------------------------------------------------------------------

  async identify(): Promise<DeviceInfo> {
    if (this.info) return this.info;
    const r = await this.task<{ deviceInfo: AtolDeviceInfo }>({ type: "getDeviceInfo" });
    const deviceInfo = objectIn(r, "deviceInfo", "getDeviceInfo");
    this.info = {
      family: "atol",
      model: stringIn(deviceInfo, "modelName", "getDeviceInfo"),
      modelId: Number.isSafeInteger(deviceInfo.model) ? (deviceInfo.model as number) : null,
      firmware: typeof deviceInfo.firmwareVersion === "string" ? deviceInfo.firmwareVersion : null,
    };
    return this.info;
  }

  async status(): Promise<DeviceStatus> {
    const s = deviceStatusOf(await this.task({ type: "getDeviceStatus" }));
    const mode =
      s.shift === "opened" ? "shift_open" : s.shift === "expired" ? "shift_expired" : "shift_closed";
    return {
      mode,
      // ATOL reports no mode numbers: the shift state as 0 closed, 1 open, 2 expired.
      rawMode: s.shift === "opened" ? 1 : s.shift === "expired" ? 2 : 0,
      rawSubmode: 0,
      paperPresent: s.paperPresent && !s.coverOpened,
      printing: false,
      awaitingContinuePrint: NOT_PRINTED.has(this.client.url),
    };
  }

  async fnStatus(): Promise<FnStatus> {
    const fnInfo = fnInfoOf(await this.task({ type: "getFnInfo" }));
    const fnStatus = fnStatusOf(await this.task({ type: "getFnStatus" }));
    const shiftStatus = objectIn(
      await this.task<{ shiftStatus: AtolShiftStatus }>({ type: "getShiftStatus" }),
      "shiftStatus",
      "getShiftStatus",
    ) as Partial<AtolShiftStatus>;
    if (!SHIFT_STATES.has(shiftStatus.state as string))
      throw badAnswer("getShiftStatus", "shiftStatus.state");
    const deviceStatus = deviceStatusOf(await this.task({ type: "getDeviceStatus" }));
    const w = { ...objectOr(fnInfo.warnings), ...objectOr(fnStatus.warnings) };
    const nowMs = Date.parse(deviceStatus.currentDateTime);
    const validMs = fnInfo.validityDate ? Date.parse(fnInfo.validityDate) : Number.NaN;
    const left = Number.isNaN(validMs) || Number.isNaN(nowMs) ? Number.POSITIVE_INFINITY : validMs - nowMs;
    return {
      // ATOL names the phase; "fiscal" (or a fiscalized FN) is FFD phase 3.
      lifePhase: fnInfo.livePhase === undefined || fnInfo.livePhase === "fiscal" ? 3 : 0,
      shiftOpen: shiftStatus.state !== "closed",
      fnNumber: fnInfo.serial,
      lastFdNumber: fnStatus.fiscalDocumentNumber,
      dateTime: deviceStatus.currentDateTime,
      warnings: {
        keyExpiresIn3Days: left <= 3 * DAY_MS || Boolean(w.resourceExhausted),
        keyExpiresIn30Days: left <= 30 * DAY_MS || Boolean(w.needReplacement),
        archiveNearlyFull: Boolean(w.memoryOverflow),
        ofdTimeout: Boolean(w.ofdTimeout),
      },
    };
  }

  async ofdStatus(): Promise<OfdExchangeStatus> {
    const status = objectIn(
      await this.task<{ status: AtolOfdExchange }>({ type: "ofdExchangeStatus" }),
      "status",
      "ofdExchangeStatus",
    ) as Partial<AtolOfdExchange>;
    if (!isCount(status.notSentCount)) throw badAnswer("ofdExchangeStatus", "status.notSentCount");
    const none = status.notSentCount === 0;
    return {
      unsentCount: status.notSentCount,
      firstUnsentFd:
        none || !isCount(status.notSentFirstDocNumber) ? null : status.notSentFirstDocNumber || null,
      oldestUnsentAt:
        none || typeof status.notSentFirstDocDateTime !== "string" || !status.notSentFirstDocDateTime
          ? null
          : status.notSentFirstDocDateTime,
    };
  }

  // ---- shifts ---------------------------------------------------------------------------------

  async openShift(cashier: Cashier): Promise<ShiftReport> {
    return shiftReport(
      await this.task<AtolFiscalResult>({ type: "openShift", operator: operatorOf(cashier) }),
    );
  }

  async closeShift(cashier: Cashier): Promise<ShiftReport> {
    return shiftReport(
      await this.task<AtolFiscalResult>({ type: "closeShift", operator: operatorOf(cashier) }),
    );
  }

  async xReport(cashier: Cashier): Promise<void> {
    await this.task({ type: "reportX", operator: operatorOf(cashier) });
  }

  // ---- receipts -------------------------------------------------------------------------------

  async fiscalizeReceipt(receipt: FiscalReceipt): Promise<ReceiptResult> {
    return this.fiscalize(receipt.receiptId, planReceipt(receipt, this.vatRates));
  }

  async fiscalizeCorrection(correction: FiscalCorrection): Promise<ReceiptResult> {
    return this.fiscalize(correction.receiptId, planCorrection(correction, this.vatRates));
  }

  private async fiscalize(receiptId: string, plan: PlannedReceipt): Promise<ReceiptResult> {
    const change = Math.max(0, plan.paid - plan.total);
    const from = this.progress.get(receiptId) ?? 0;
    for (let attempt = from; attempt < from + this.maxAttempts; attempt++) {
      const uuid = fiscalTaskUuid(receiptId, attempt);
      // Nothing posted by this call yet: a server out of reach is a certain "not printed now".
      const held = await this.client.state(uuid, { beforePost: true });
      let r: AtolTaskResult;
      if (!held) {
        await this.client.submit(uuid, [plan.task]);
        [r] = (await this.client.wait(uuid)) as [AtolTaskResult];
      } else {
        const [first] = held.results as [AtolTaskResult];
        if (first.status === "ready") {
          r = first; // this receipt was fiscalized by an earlier post: its result, never a second print
        } else if (first.status === "wait" || first.status === "inProgress") {
          [r] = (await this.client.wait(uuid)) as [AtolTaskResult];
        } else if (first.status === "blocked") {
          throw blockedError(uuid);
        } else {
          // A finished failure: certain ones (paper, shift) make room for the next attempt; one
          // the driver could not settle waits for recoverReceipt to ask the FN.
          if (first.status === "error" && isUncertainAtolCode(first.errorCode) && !this.settled.has(uuid)) {
            throw withReceipt(atolError(first.errorCode, first.errorDescription), receiptId);
          }
          this.progress.set(receiptId, attempt + 1);
          continue;
        }
      }
      if (r.status === "blocked") throw blockedError(uuid);
      if (r.status !== "ready") throw withReceipt(failure(r), receiptId);
      const attributes = attributesOf(r.result);
      this.progress.delete(receiptId);
      if (objectOr(objectOr(r.result).warnings).notPrinted === true) NOT_PRINTED.add(this.client.url);
      else NOT_PRINTED.delete(this.client.url);
      return { ...attributes, change };
    }
    // Nothing was posted by this call: certain. The next call reads on from where this one stopped.
    throw new FiscalDeviceError(
      "DEVICE_BUSY",
      `The ATOL driver holds ${this.maxAttempts} more finished attempts of receipt ${receiptId}: they are read on at the next try; the receipt is kept.`,
    );
  }

  async recoverReceipt(receiptId: string, expectedFdNumber: number): Promise<RecoveryResult> {
    if (!Number.isSafeInteger(expectedFdNumber) || expectedFdNumber < 1) {
      throw new TypeError(`"expectedFdNumber" must be a document number ≥ 1, got ${expectedFdNumber}`);
    }
    // 1. What the web server still knows about this receipt's tasks.
    const finished: string[] = [];
    const from = this.progress.get(receiptId) ?? 0;
    let frontierSeen = false;
    for (let attempt = from; attempt < from + this.maxAttempts; attempt++) {
      const uuid = fiscalTaskUuid(receiptId, attempt);
      const held = await this.client.state(uuid);
      if (!held) {
        frontierSeen = true;
        break;
      }
      const [first] = held.results as [AtolTaskResult];
      if (first.status === "ready") {
        const attributes = tryAttributesOf(first.result);
        if (attributes) {
          this.progress.delete(receiptId);
          return { fiscalized: true, attributes };
        }
        // Ready, but its fiscalParams do not read: the FN below has the document's own attributes.
        frontierSeen = true;
        break;
      }
      if (first.status === "wait" || first.status === "inProgress" || first.status === "blocked") {
        throw new DeviceTimeoutError(
          `The register is still working on receipt ${receiptId} (task ${uuid} is ${first.status}): wait, it is checked again.`,
        );
      }
      const certain = first.status !== "error" || !isUncertainAtolCode(first.errorCode);
      if (certain && finished.length === 0) this.progress.set(receiptId, attempt + 1);
      else finished.push(uuid);
    }
    if (!frontierSeen) {
      // A later attempt may still be running: the FN cannot be asked yet. Read on next time.
      throw new DeviceTimeoutError(
        `The ATOL driver holds more than ${this.maxAttempts} attempts of receipt ${receiptId}: they are read on before the FN is asked.`,
      );
    }
    // 2. The FN itself, from the expected FD on (the server may have restarted and forgotten).
    const tag = receiptTagFor(receiptId);
    const fnStatus = fnStatusOf(await this.task({ type: "getFnStatus" }));
    const fnInfo = fnInfoOf(await this.task({ type: "getFnInfo" }));
    for (let fd = expectedFdNumber; fd <= fnStatus.fiscalDocumentNumber; fd++) {
      const doc = await this.findDocument(fd);
      if (!doc) {
        // Every number up to the FN's last is a document: one the driver will not hand out (an
        // error 13 from a driver without withRawData, a read fault) could be this receipt, so
        // "not fiscalized" cannot be said, and saying it would print the receipt a second time.
        throw new FiscalDeviceError(
          "PROTOCOL_ERROR",
          `The ATOL driver did not return document ${fd} from the FN (last ${fnStatus.fiscalDocumentNumber}): receipt ${receiptId} cannot be checked yet. It is kept; do not repeat the sale by hand.`,
          { uncertain: true },
        );
      }
      if (doc.receiptTag !== tag) continue;
      if (doc.documentType !== DOCUMENT_TYPE.receipt && doc.documentType !== DOCUMENT_TYPE.correction_receipt)
        continue;
      this.progress.delete(receiptId);
      return {
        fiscalized: true,
        attributes: {
          fdNumber: doc.fdNumber,
          fiscalSign: doc.fiscalSign,
          fnNumber: fnInfo.serial,
          shiftNumber: shiftNumberOf(doc.tlv),
          dateTime: doc.dateTime,
        },
      };
    }
    for (const uuid of finished) this.settled.add(uuid);
    return { fiscalized: false, lastFdNumber: fnStatus.fiscalDocumentNumber };
  }

  async findDocument(fdNumber: number): Promise<StoredDocument | null> {
    let doc: Partial<AtolFnDocument>;
    try {
      doc = await this.task<Partial<AtolFnDocument>>({
        type: "getFnDocument",
        fiscalDocumentNumber: fdNumber,
        withRawData: true,
      });
    } catch (err) {
      if (
        err instanceof AtolDeviceError &&
        (err.atolErrorCode === ATOL_ERROR_FN_NO_MORE_DATA || err.atolErrorCode === ATOL_ERROR_INVALID_PARAM)
      ) {
        return null;
      }
      throw err;
    }
    if (typeof doc.rawData !== "string") {
      throw new FiscalDeviceError(
        "PROTOCOL_ERROR",
        `Document ${fdNumber} came back from the ATOL driver without its raw TLV: recovery cannot read tag 1192. Call support.`,
      );
    }
    return storedDocument(fdNumber, Uint8Array.from(Buffer.from(doc.rawData, "base64")));
  }

  async cancelReceipt(): Promise<void> {
    // Nothing to do: an ATOL JSON receipt task opens, fills and closes the receipt in one task, and
    // the driver's task cancels a receipt left open before it starts (its sell script calls
    // cancelReceipt first). No receipt stays open between Kassa's calls.
  }

  async continuePrint(): Promise<void> {
    await this.task({ type: "continuePrint" });
    NOT_PRINTED.delete(this.client.url);
  }

  // ---- cash -----------------------------------------------------------------------------------

  async moveCash(movement: CashMovement): Promise<CashMovementResult> {
    if (!Number.isSafeInteger(movement.amount) || movement.amount <= 0) {
      throw new FiscalDeviceError(
        "BAD_PARAMETERS",
        `A cash movement must be whole kopecks > 0, got ${movement.amount}.`,
      );
    }
    if (movement.kind !== "cash_in" && movement.kind !== "cash_out") {
      throw new FiscalDeviceError("BAD_PARAMETERS", `Unknown cash movement "${String(movement.kind)}".`);
    }
    const r = await this.task<{ counters?: { cashSum?: number } }>({
      type: movement.kind === "cash_in" ? "cashIn" : "cashOut",
      cashSum: rubles(movement.amount),
      operator: operatorOf(movement.cashier),
    });
    const drawer = objectOr(r.counters).cashSum;
    return {
      documentNumber: null,
      cashInDrawer: isRubles(drawer) ? kopecks(drawer) : await this.cashInDrawer(),
    };
  }

  async cashInDrawer(): Promise<number> {
    const r = await this.task<{ shiftTotals: { cashDrawer?: { sum?: number } } }>({
      type: "getShiftTotals",
    });
    const sum = objectOr(objectIn(r, "shiftTotals", "getShiftTotals").cashDrawer).sum;
    if (!isRubles(sum)) throw badAnswer("getShiftTotals", "shiftTotals.cashDrawer.sum");
    return kopecks(sum);
  }

  // ---- OFD ------------------------------------------------------------------------------------

  async readOfdMessage(): Promise<Uint8Array | null> {
    return null; // the ATOL driver sends the FN's documents to the OFD itself
  }

  async writeOfdReceipt(_answer: Uint8Array): Promise<void> {
    throw new FiscalDeviceError(
      "NOT_ALLOWED_IN_MODE",
      "The ATOL driver exchanges with the OFD itself: Kassa relays nothing for an ATOL register.",
    );
  }

  async close(): Promise<void> {
    // HTTP: nothing held open.
  }
}

function resultOf<T>(r: AtolTaskResult | undefined): T {
  if (!r)
    throw new FiscalDeviceError("PROTOCOL_ERROR", "The ATOL web server answered without a task result.");
  if (r.status === "blocked") throw blockedError("");
  if (r.status !== "ready") throw failure(r);
  return (r.result ?? {}) as T;
}

function failure(r: AtolTaskResult): FiscalDeviceError {
  if (r.status === "error") return atolError(r.errorCode, r.errorDescription);
  return new FiscalDeviceError(
    "DEVICE_ERROR",
    `The ATOL driver did not run the task (${r.status}${r.errorDescription ? `: ${r.errorDescription}` : ""}). Retry.`,
  );
}

function blockedError(uuid: string): FiscalDeviceError {
  return new FiscalDeviceError(
    "DEVICE_BUSY",
    `The ATOL driver's task queue is stopped${uuid ? ` at ${uuid}` : ""} and its result is unknown: the register is checked before anything is printed again.`,
    { uncertain: true },
  );
}

function withReceipt(err: FiscalDeviceError, receiptId: string): FiscalDeviceError {
  if (err instanceof AtolDeviceError) {
    const e = new AtolDeviceError(
      err.kassaCode,
      `${err.message} Receipt ${receiptId} is kept.`,
      err.atolErrorCode,
      err.uncertain,
    );
    return e;
  }
  return err;
}

/**
 * A fiscal task's document attributes, every one checked: they are what the receipt is stored and
 * synced with (a fiscal sign "undefined" would be a receipt no one can verify), so a "ready" whose
 * fiscalParams do not read is an uncertain outcome, for recovery to settle from the FN itself.
 */
function attributesOf(result: unknown) {
  const a = tryAttributesOf(result);
  if (!a) {
    throw new FiscalDeviceError(
      "PROTOCOL_ERROR",
      "The ATOL driver reported a fiscal document without readable fiscalParams: the register is checked before anything is printed again.",
      { uncertain: true },
    );
  }
  return a;
}

function tryAttributesOf(result: unknown) {
  const p = objectOr(objectOr(result).fiscalParams) as Partial<Record<keyof AtolFiscalParams, unknown>>;
  const fd = p.fiscalDocumentNumber;
  const sign = typeof p.fiscalDocumentSign === "number" ? String(p.fiscalDocumentSign) : p.fiscalDocumentSign;
  if (!Number.isSafeInteger(fd) || (fd as number) < 1) return null;
  if (typeof sign !== "string" || !/^\d{1,10}$/.test(sign)) return null;
  if (typeof p.fnNumber !== "string" || !/^\d{16}$/.test(p.fnNumber)) return null;
  if (!Number.isSafeInteger(p.shiftNumber) || (p.shiftNumber as number) < 0) return null;
  const at = p.fiscalDocumentDateTime;
  if (typeof at !== "string" || Number.isNaN(Date.parse(at))) return null;
  return {
    fdNumber: fd as number,
    fiscalSign: sign,
    fnNumber: p.fnNumber,
    shiftNumber: p.shiftNumber as number,
    dateTime: at,
  };
}

// ---- answers of query tasks, checked: a missing or mistyped field is a typed error, never a crash ----

const SHIFT_STATES: ReadonlySet<string> = new Set(["closed", "opened", "expired"]);

function badAnswer(task: string, field: string): FiscalDeviceError {
  return new FiscalDeviceError(
    "PROTOCOL_ERROR",
    `The ATOL driver answered ${task} without a valid "${field}": check the driver's version; call support if it repeats.`,
  );
}

function objectOr(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function objectIn(result: unknown, key: string, task: string): Record<string, unknown> {
  const value = objectOr(result)[key];
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw badAnswer(task, key);
  return value as Record<string, unknown>;
}

function stringIn(obj: Record<string, unknown>, key: string, task: string): string {
  const value = obj[key];
  if (typeof value !== "string") throw badAnswer(task, key);
  return value;
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isRubles = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

function deviceStatusOf(result: unknown): AtolDeviceStatus {
  const s = objectIn(result, "deviceStatus", "getDeviceStatus");
  if (!SHIFT_STATES.has(s.shift as string)) throw badAnswer("getDeviceStatus", "deviceStatus.shift");
  if (typeof s.paperPresent !== "boolean") throw badAnswer("getDeviceStatus", "deviceStatus.paperPresent");
  stringIn(s, "currentDateTime", "getDeviceStatus");
  return { ...s, coverOpened: s.coverOpened === true } as unknown as AtolDeviceStatus;
}

function fnStatusOf(result: unknown): AtolFnStatus {
  const s = objectIn(result, "fnStatus", "getFnStatus");
  if (!isCount(s.fiscalDocumentNumber)) throw badAnswer("getFnStatus", "fnStatus.fiscalDocumentNumber");
  return s as unknown as AtolFnStatus;
}

function fnInfoOf(result: unknown): AtolFnInfo {
  const s = objectIn(result, "fnInfo", "getFnInfo");
  stringIn(s, "serial", "getFnInfo");
  return s as unknown as AtolFnInfo;
}

function shiftReport(result: AtolFiscalResult): ShiftReport {
  const a = attributesOf(result);
  return { shiftNumber: a.shiftNumber, fdNumber: a.fdNumber, fiscalSign: a.fiscalSign, dateTime: a.dateTime };
}

/** Top-level TLVs, plus those inside a wrapping document STLV (tag = document type < 100). */
function flatten(bytes: Uint8Array, fdNumber: number): { outerTag: number | null; raws: RawTlv[] } {
  try {
    const raws = decodeTlvRaw(bytes);
    const [only] = raws;
    if (raws.length === 1 && only && only.tag < 100)
      return { outerTag: only.tag, raws: decodeTlvRaw(only.value) };
    return { outerTag: null, raws };
  } catch (err) {
    // Never "no tag 1192": recovery would take the receipt for not fiscalized and print it again.
    throw new FiscalDeviceError(
      "PROTOCOL_ERROR",
      `Document ${fdNumber} from the FN does not parse as TLV (${(err as Error).message}). Retry; call support if it repeats — do not repeat the sale by hand.`,
      { cause: err },
    );
  }
}

function storedDocument(fdNumber: number, bytes: Uint8Array): StoredDocument {
  const { outerTag, raws } = flatten(bytes, fdNumber);
  const get = (tag: number) => raws.find((r) => r.tag === tag);
  const t1192 = get(Tag.ADDITIONAL_RECEIPT_ATTRIBUTE);
  const t1012 = get(Tag.DATE_TIME);
  const t1077 = get(Tag.FISCAL_SIGN);
  const t1040 = get(Tag.FD_NUMBER);
  return {
    fdNumber: t1040 ? decodeVln(t1040.value) : fdNumber,
    documentType: outerTag ?? DOCUMENT_TYPE.receipt,
    dateTime: t1012 ? ffdTimeToIso(Buffer.from(t1012.value).readUInt32LE(0)) : "",
    fiscalSign: t1077 ? fiscalSignFromBytes(t1077.value) : "",
    tlv: bytes,
    receiptTag: t1192 ? decodeString(t1192.value) : null,
  };
}

function shiftNumberOf(bytes: Uint8Array): number {
  const { raws } = flatten(bytes, 0);
  const t = raws.find((r) => r.tag === Tag.SHIFT_NUMBER);
  return t ? decodeVln(t.value) : 0;
}
