/**
 * `FiscalDevice` for Shtrih-M registers speaking protocol v1 (serial). A receipt is FF46 per item,
 * FF0C with tag 1192 (Kassa's receipt id) and cashier tags, then FF45; only FF45 creates a fiscal
 * document. Before anything is printed the next FD number is known (FF01 last FD + 1), so any
 * uncertain outcome is settled from the FN's documents — the vendor's own advice against duplicates.
 */
import type { Duplex } from "node:stream";
import { FiscalDeviceError } from "../device/errors.ts";
import type {
  Cashier,
  CashMovement,
  CashMovementResult,
  DeviceInfo,
  DeviceMode,
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
import { ITEM_SUBJECT, MEASURE_UNIT, PAYMENT_METHOD, TAX_SYSTEM } from "../ffd/codes.ts";
import {
  isReceiptMoney,
  lineSum,
  MAX_RECEIPT_DOCUMENT_BYTES,
  normalizeQuantity,
  normalizeRegisterText,
  quantityUnits,
  receiptDocumentBytes,
  registerTextProblem,
  TEXT_LIMITS,
} from "../ffd/content.ts";
import { Tag } from "../ffd/tags.ts";
import { encodeTlv, type TlvField, tlv } from "../ffd/tlv.ts";
import { defaultVatRates, type VatRateTable } from "../ffd/vat-rates.ts";
import { dateTimeToIso } from "./binary.ts";
import {
  cancelReceipt,
  cashIn,
  cashOut,
  closeReceipt,
  continuePrint,
  DeviceFlags,
  DocumentType,
  deviceType,
  FnWarningBits,
  findDocument,
  fnStatus,
  fullStatus,
  MAX_OFD_BLOCK,
  MAX_TLV_WRITE,
  Mode,
  MoneyRegister,
  makeCorrectionV2,
  OperationType,
  ofdMessageLength,
  ofdStatus,
  openShift,
  operation,
  readMoneyRegister,
  readOfdBlock,
  Submode,
  shiftParams,
  shortStatus,
  startCorrection,
  startOfdAnswer,
  writeOfdBlock,
  writeOperationTlv,
  writeReceiptTlv,
  xReport,
  zReport,
} from "./commands/index.ts";
import { asCertain, asUncertain, DeviceCaller } from "./device-call.ts";
import { readStoredDocument } from "./document-reader.ts";
import { receiptTagFor } from "./receipt-tag.ts";
import { globalTimers, ShtrihTransport, type TransportOptions } from "./transport.ts";

export interface ShtrihDeviceOptions extends TransportOptions {
  /** Operator password for receipts and opening a shift. Default 1 (cashier 1). */
  cashierPassword?: number;
  /** Password for status, reports and FN commands. Default 30 (system administrator). */
  adminPassword?: number;
  /** VAT rate table (ids → FF46 tax group). Default: the built-in rates of ffd/vat-rates.ts. */
  vatRates?: VatRateTable;
  /** Department (section) byte for FF46. Default 1. */
  department?: number;
  /** Wait between retries while the device is busy printing (0x50), ms. Default 200. */
  busyPollMs?: number;
  /** Give up on a device that stays busy this long, ms. Default 60 000. */
  busyTimeoutMs?: number;
  /** Close the stream on `close()` (set by openShtrihSerial). Default false. */
  ownsStream?: boolean;
  /** Human-readable lines (the model found on connect…). Default: silent. */
  log?: (line: string) => void;
}

export class ShtrihDevice implements FiscalDevice {
  readonly transport: ShtrihTransport;
  private readonly caller: DeviceCaller;
  private readonly cashierPassword: number;
  private readonly adminPassword: number;
  private readonly vatRates: VatRateTable;
  private readonly department: number;
  private info: DeviceInfo | null = null;

  constructor(
    private readonly stream: Duplex,
    private readonly options: ShtrihDeviceOptions = {},
  ) {
    this.cashierPassword = options.cashierPassword ?? 1;
    this.adminPassword = options.adminPassword ?? 30;
    this.vatRates = options.vatRates ?? defaultVatRates;
    this.department = options.department ?? 1;
    this.transport = new ShtrihTransport(stream, options);
    this.caller = new DeviceCaller(this.transport, {
      continuePrintPassword: this.cashierPassword,
      timers: options.timers ?? globalTimers,
      ...(options.busyPollMs === undefined ? {} : { busyPollMs: options.busyPollMs }),
      ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
    });
  }

  private get admin() {
    return { password: this.adminPassword };
  }
  private get cashier() {
    return { password: this.cashierPassword };
  }

  // ---- state -------------------------------------------------------------------------------

  async status(): Promise<DeviceStatus> {
    const s = await this.caller.call(shortStatus, this.admin, { readOnly: true });
    const mode = s.mode & 0x0f;
    const paperOut = s.submode === Submode.paperOutPassive || s.submode === Submode.paperOutActive;
    return {
      mode: modeName(mode),
      rawMode: s.mode,
      rawSubmode: s.submode,
      paperPresent: !paperOut && (s.flags & DeviceFlags.receiptPaperSensor) !== 0,
      printing: s.submode === Submode.printing || s.submode === Submode.printingLong,
      awaitingContinuePrint: s.submode === Submode.awaitingContinuePrint,
    };
  }

  async fnStatus(): Promise<FnStatus> {
    const a = await this.caller.call(fnStatus, this.admin, { readOnly: true });
    return {
      lifePhase: a.lifePhase,
      shiftOpen: a.shiftOpen,
      fnNumber: a.fnNumber,
      lastFdNumber: a.lastFdNumber,
      dateTime: dateTimeToIso(a.dateTime),
      warnings: {
        keyExpiresIn3Days: (a.warnings & FnWarningBits.keyExpiresIn3Days) !== 0,
        keyExpiresIn30Days: (a.warnings & FnWarningBits.keyExpiresIn30Days) !== 0,
        archiveNearlyFull: (a.warnings & FnWarningBits.archiveNearlyFull) !== 0,
        ofdTimeout: (a.warnings & FnWarningBits.ofdTimeout) !== 0,
      },
    };
  }

  // ---- shifts ------------------------------------------------------------------------------

  async openShift(_cashier: Cashier): Promise<ShiftReport> {
    const before = await this.caller.call(fnStatus, this.admin, { readOnly: true });
    if (before.shiftOpen) {
      throw new FiscalDeviceError(
        "SHIFT_ALREADY_OPEN",
        "A shift is already open on the fiscal register. Keep selling, or close it (Z report) first.",
      );
    }
    try {
      await this.caller.call(openShift, this.cashier);
    } catch (err) {
      // Uncertain: did the shift open? The FN knows.
      if (!isUncertain(err) || this.transport.disconnected) throw err;
      const after = await this.caller.call(fnStatus, this.admin, { readOnly: true }).catch(() => null);
      if (!after) throw err; // still unknown: the caller asks again later
      if (!after.shiftOpen) throw asCertain(err);
    }
    return this.lastShiftReport(DocumentType.shiftOpen, "opened");
  }

  async xReport(_cashier: Cashier): Promise<void> {
    await this.caller.call(xReport, this.admin);
  }

  async closeShift(_cashier: Cashier): Promise<ShiftReport> {
    const before = await this.caller.call(fnStatus, this.admin, { readOnly: true });
    if (!before.shiftOpen) {
      throw new FiscalDeviceError(
        "SHIFT_CLOSED",
        "No shift is open on the fiscal register: nothing to close.",
      );
    }
    try {
      await this.caller.call(zReport, this.admin);
    } catch (err) {
      if (!isUncertain(err) || this.transport.disconnected) throw err;
      const after = await this.caller.call(fnStatus, this.admin, { readOnly: true }).catch(() => null);
      if (!after) throw err;
      if (after.shiftOpen) throw asCertain(err);
    }
    return this.lastShiftReport(DocumentType.shiftClose, "closed");
  }

  private async lastShiftReport(expectedType: number, done: string): Promise<ShiftReport> {
    let doc: Awaited<ReturnType<typeof findDocument.decodeAnswer>>;
    try {
      const fn = await this.caller.call(fnStatus, this.admin, { readOnly: true });
      doc = await this.caller.call(
        findDocument,
        { ...this.admin, fdNumber: fn.lastFdNumber },
        { readOnly: true },
      );
    } catch (err) {
      // The shift was changed; only its report could not be read. Say "unknown", never "failed".
      throw asUncertain(
        err,
        `The shift was ${done}, but its report could not be read back from the fiscal register (${(err as Error).message}) Check the device; Kassa reads the shift state again before acting.`,
      );
    }
    if (doc.documentType !== expectedType || doc.details.kind !== "shift") {
      throw new FiscalDeviceError(
        "PROTOCOL_ERROR",
        `The fiscal register's last document (FD ${doc.fdNumber}) is of type ${doc.documentType}, not the shift report expected. Print an X report and call support.`,
      );
    }
    return {
      shiftNumber: doc.details.shiftNumber,
      fdNumber: doc.fdNumber,
      fiscalSign: String(doc.fiscalSign),
      dateTime: dateTimeToIso(doc.dateTime),
    };
  }

  // ---- receipts ----------------------------------------------------------------------------

  async fiscalizeReceipt(receipt: FiscalReceipt): Promise<ReceiptResult> {
    const plan = this.planReceipt(receipt); // bad input: typed error, nothing sent
    let fn: Awaited<ReturnType<typeof fnStatus.decodeAnswer>>;
    let shift: Awaited<ReturnType<typeof shiftParams.decodeAnswer>>;
    try {
      await this.prepareForReceipt(receipt.receiptId);
      fn = await this.caller.call(fnStatus, this.admin, { readOnly: true });
      shift = await this.caller.call(shiftParams, this.admin, { readOnly: true });
      for (const item of plan.items) {
        await this.caller.call(operation, { ...this.cashier, ...item.request });
        if (item.tlv) await this.caller.call(writeOperationTlv, { ...this.cashier, tlv: item.tlv });
      }
      await this.caller.call(writeReceiptTlv, { ...this.cashier, tlv: plan.receiptTlv });
    } catch (err) {
      // Only FF45 makes a fiscal document: whatever happened so far, this sale is not fiscalized.
      await this.cancelQuietly();
      throw asCertain(withReceipt(err, receipt.receiptId));
    }
    const expectedFd = fn.lastFdNumber + 1;

    let closed: Awaited<ReturnType<typeof closeReceipt.decodeAnswer>>;
    try {
      closed = await this.caller.call(closeReceipt, { ...this.cashier, ...plan.close });
    } catch (err) {
      // An FF45 failure may still have registered the document (e.g. paper ran out while it printed):
      // ask the FN before declaring anything.
      // With the line gone the FN cannot be asked: even an error byte from FF45 leaves it uncertain.
      if (this.transport.disconnected) throw asUncertain(withReceipt(err, receipt.receiptId));
      let found: RecoveryResult;
      try {
        found = await this.recoverReceipt(receipt.receiptId, expectedFd);
      } catch {
        throw asUncertain(withReceipt(err, receipt.receiptId));
      }
      if (found.fiscalized) return { ...found.attributes, change: Math.max(0, plan.paid - plan.total) };
      await this.cancelQuietly();
      throw asCertain(withReceipt(err, receipt.receiptId));
    }

    const doc = await this.caller
      .call(findDocument, { ...this.admin, fdNumber: closed.fdNumber }, { readOnly: true })
      .catch(() => null);
    return {
      fdNumber: closed.fdNumber,
      fiscalSign: String(closed.fiscalSign),
      fnNumber: fn.fnNumber,
      shiftNumber: shift.shiftNumber,
      dateTime: doc ? dateTimeToIso(doc.dateTime) : dateTimeToIso(fn.dateTime),
      change: closed.change,
    };
  }

  /** Leftovers of an earlier crash: finish printing, drop an unclosed (never fiscal) receipt. */
  private async prepareForReceipt(receiptId: string): Promise<void> {
    const s = await this.caller.call(shortStatus, this.admin, { readOnly: true });
    if (s.submode === Submode.awaitingContinuePrint) await this.caller.call(continuePrint, this.cashier);
    const mode = s.mode & 0x0f;
    if (mode === Mode.documentOpen) await this.caller.call(cancelReceipt, this.cashier);
    if (mode === Mode.shiftExpired) {
      throw new FiscalDeviceError(
        "SHIFT_EXPIRED",
        `The shift has lasted more than 24 hours. Close it (Z report) and open a new one; receipt ${receiptId} is kept and will print then.`,
      );
    }
    if (mode === Mode.shiftClosed) {
      throw new FiscalDeviceError(
        "SHIFT_CLOSED",
        `No shift is open on the fiscal register. Open a shift; receipt ${receiptId} is kept and will print then.`,
      );
    }
  }

  private planReceipt(
    receipt: FiscalReceipt,
    operationType: number = receipt.kind === "income_return"
      ? OperationType.incomeReturn
      : OperationType.income,
  ) {
    const bad = (msg: string) =>
      new FiscalDeviceError(
        "BAD_PARAMETERS",
        `Receipt ${receipt.receiptId}: ${msg}. Fix the sale and try again.`,
      );
    // The content contract (ffd/content.ts): the same rules `receipts.create` and central ingest apply,
    // so a receipt refused here was never accepted by a Kassa agent; text is never cut or replaced.
    const checkText = (what: string, text: string, maxLength: number) => {
      const problem =
        text !== normalizeRegisterText(text)
          ? "it is not in normalised form (normalizeRegisterText)"
          : text.length === 0 || text.length > maxLength
            ? `it must be 1-${maxLength} characters`
            : registerTextProblem(text)?.message;
      if (problem) throw bad(`${what} cannot be printed: ${problem}`);
    };
    if (!receipt.items?.length) throw bad("it has no items");
    let total = 0;
    const items = receipt.items.map((item, i) => {
      if (!this.vatRates.has(item.vat)) throw bad(`item ${i + 1} has an unknown VAT rate "${item.vat}"`);
      if (!isReceiptMoney(item.price) || !isReceiptMoney(item.sum)) {
        throw bad(
          `item ${i + 1} price and sum must be whole kopecks 0..10¹², got ${item.price} and ${item.sum}`,
        );
      }
      if (quantityUnits(item.quantity) === null || normalizeQuantity(item.quantity) !== item.quantity) {
        throw bad(`item ${i + 1} quantity must be > 0 with at most 6 decimals, got ${item.quantity}`);
      }
      if (lineSum(item.price, item.quantity) !== item.sum) {
        throw bad(`item ${i + 1} sum ${item.sum} is not round(price × quantity)`);
      }
      checkText(`item ${i + 1} name`, item.name, TEXT_LIMITS.itemName);
      total += item.sum;
      const unit = MEASURE_UNIT[item.unit];
      return {
        request: {
          operationType,
          quantity: item.quantity,
          price: item.price,
          sum: item.sum,
          tax: null,
          taxGroup: this.vatRates.get(item.vat).shtrihTaxGroup,
          department: this.department,
          paymentMethod: PAYMENT_METHOD[item.paymentMethod],
          subject: ITEM_SUBJECT[item.subject],
          name: item.name,
        },
        // FF46 has no measure-unit field; the device assumes pieces (2108 = 0) unless told.
        tlv: unit === 0 || unit === undefined ? null : encodeTlv([tlv.byte(Tag.MEASURE_UNIT, unit)]),
      };
    });
    const documentBytes = receiptDocumentBytes(receipt.items);
    if (documentBytes > MAX_RECEIPT_DOCUMENT_BYTES) {
      throw bad(
        `its fiscal document would take up to ${documentBytes} bytes, more than the FN hands out (${MAX_RECEIPT_DOCUMENT_BYTES})`,
      );
    }
    const { cash, electronic } = receipt.payments;
    for (const [k, v] of [
      ["cash", cash],
      ["electronic", electronic],
    ] as const) {
      if (!isReceiptMoney(v)) throw bad(`payment ${k} must be whole kopecks 0..10¹², got ${v}`);
    }
    if (cash + electronic < total)
      throw bad(`payments ${cash + electronic} are less than the total ${total}`);
    if (electronic > total)
      throw bad("change can only be given in cash: the electronic payment exceeds the total");
    const taxSystem = TAX_SYSTEM[receipt.taxSystem];
    if (taxSystem === undefined) throw bad(`unknown tax system "${receipt.taxSystem}"`);
    const fields: TlvField[] = [
      tlv.string(Tag.ADDITIONAL_RECEIPT_ATTRIBUTE, receiptTagFor(receipt.receiptId)),
    ];
    if (receipt.cashier?.name) {
      checkText("the cashier's name", receipt.cashier.name, TEXT_LIMITS.cashierName);
      fields.unshift(tlv.string(Tag.CASHIER, receipt.cashier.name));
    }
    if (receipt.cashier?.inn) fields.splice(1, 0, tlv.string(Tag.CASHIER_INN, receipt.cashier.inn));
    const receiptTlv = encodeTlv(fields);
    if (receiptTlv.length > MAX_TLV_WRITE) throw bad("the cashier's name is too long for the device");
    return {
      items,
      receiptTlv,
      total,
      paid: cash + electronic,
      close: { payments: [cash, electronic], rounding: 0, taxes: [], taxSystem, text: "" },
    };
  }

  async cancelReceipt(): Promise<void> {
    const s = await this.caller.call(shortStatus, this.admin, { readOnly: true });
    if ((s.mode & 0x0f) !== Mode.documentOpen) return; // nothing open: nothing to cancel
    await this.caller.call(cancelReceipt, this.cashier);
  }

  private async cancelQuietly(): Promise<void> {
    if (this.transport.disconnected) return;
    try {
      await this.cancelReceipt();
    } catch {
      // The next sale cancels it (prepareForReceipt): an open receipt is never fiscal.
    }
  }

  async continuePrint(): Promise<void> {
    await this.caller.call(continuePrint, this.cashier);
  }

  // ---- documents and recovery --------------------------------------------------------------

  async findDocument(fdNumber: number): Promise<StoredDocument | null> {
    if (!Number.isSafeInteger(fdNumber) || fdNumber < 1 || fdNumber > 0xffffffff) {
      throw new TypeError(`"fdNumber" must be a document number ≥ 1, got ${fdNumber}`);
    }
    return readStoredDocument(this.caller, this.adminPassword, fdNumber);
  }

  async recoverReceipt(receiptId: string, expectedFdNumber: number): Promise<RecoveryResult> {
    if (!Number.isSafeInteger(expectedFdNumber) || expectedFdNumber < 1) {
      throw new TypeError(`"expectedFdNumber" must be a document number ≥ 1, got ${expectedFdNumber}`);
    }
    const tag = receiptTagFor(receiptId);
    const fn = await this.caller.call(fnStatus, this.admin, { readOnly: true });
    for (let fd = expectedFdNumber; fd <= fn.lastFdNumber; fd++) {
      const doc = await readStoredDocument(this.caller, this.adminPassword, fd);
      // A correction receipt carries its tag 1192 the same way (fiscalizeCorrection).
      const receiptLike =
        doc?.documentType === DocumentType.receipt || doc?.documentType === DocumentType.correctionReceipt;
      if (!doc || !receiptLike || doc.receiptTag !== tag) continue;
      return {
        fiscalized: true,
        attributes: {
          fdNumber: doc.fdNumber,
          fiscalSign: doc.fiscalSign,
          fnNumber: fn.fnNumber,
          shiftNumber: doc.shiftNumber ?? 0,
          dateTime: doc.dateTime,
        },
      };
    }
    return { fiscalized: false, lastFdNumber: fn.lastFdNumber };
  }

  // ---- OFD relay ---------------------------------------------------------------------------

  async ofdStatus(): Promise<OfdExchangeStatus> {
    const a = await this.caller.call(ofdStatus, this.admin, { readOnly: true });
    const none = a.unsentCount === 0;
    return {
      unsentCount: a.unsentCount,
      firstUnsentFd: none || a.firstUnsentFd === 0 ? null : a.firstUnsentFd,
      oldestUnsentAt: none ? null : dateTimeToIso(a.firstUnsentDateTime),
    };
  }

  async readOfdMessage(): Promise<Uint8Array | null> {
    const { length } = await this.caller.call(ofdMessageLength, this.admin);
    if (length === 0) return null;
    const out = new Uint8Array(length);
    let offset = 0;
    while (offset < length) {
      const want = Math.min(MAX_OFD_BLOCK, length - offset);
      const { data } = await this.caller.call(readOfdBlock, { ...this.admin, offset, length: want });
      if (data.length === 0) {
        throw new FiscalDeviceError(
          "PROTOCOL_ERROR",
          `The FN stopped handing out its OFD message at byte ${offset} of ${length}. Retry later.`,
        );
      }
      out.set(data.subarray(0, length - offset), offset);
      offset += data.length;
    }
    return out;
  }

  async writeOfdReceipt(answer: Uint8Array): Promise<void> {
    if (!(answer instanceof Uint8Array) || answer.length === 0 || answer.length > 0xffff) {
      throw new TypeError('"answer" must be the OFD answer bytes (1..65535)');
    }
    await this.caller.call(startOfdAnswer, { ...this.admin, length: answer.length });
    // FF33 data: 255 − 2 command − 4 password − 2 offset bytes per frame.
    const block = 247;
    for (let offset = 0; offset < answer.length; offset += block) {
      await this.caller.call(writeOfdBlock, {
        ...this.admin,
        offset,
        data: answer.subarray(offset, offset + block),
      });
    }
  }

  // ---- identity, cash and corrections ------------------------------------------------------

  /**
   * FC (device type: model byte and name) and 11 (firmware version and build). Read once and
   * cached: the model does not change while the line is open.
   */
  async identify(): Promise<DeviceInfo> {
    if (this.info) return this.info;
    const type = await this.caller.call(deviceType, {}, { readOnly: true });
    const full = await this.caller.call(fullStatus, this.admin, { readOnly: true });
    this.info = {
      family: "shtrih",
      model: type.name.trim(),
      modelId: type.model,
      firmware: `${full.firmwareVersion} build ${full.firmwareBuild}, protocol ${type.protocolVersion}.${type.protocolSubversion}`,
    };
    this.options.log?.(
      `fiscal register: ${this.info.model} (model ${type.model}, type ${type.type}.${type.subtype}), firmware ${this.info.firmware}`,
    );
    return this.info;
  }

  /** Money register 241: cash in the drawer by the register's own count (kopecks). */
  async cashInDrawer(): Promise<number> {
    const r = await this.caller.call(
      readMoneyRegister,
      { ...this.cashier, register: MoneyRegister.cashInDrawer },
      { readOnly: true },
    );
    return r.value;
  }

  /**
   * 50 cash in / 51 cash out. Exactly once: the drawer count is read before; when the answer is
   * lost (timeout, power blip) the count read again says whether the movement happened.
   */
  async moveCash(movement: CashMovement): Promise<CashMovementResult> {
    if (movement?.kind !== "cash_in" && movement?.kind !== "cash_out") {
      throw new FiscalDeviceError("BAD_PARAMETERS", 'The cash movement must be "cash_in" or "cash_out".');
    }
    if (!isReceiptMoney(movement.amount) || movement.amount === 0) {
      throw new FiscalDeviceError(
        "BAD_PARAMETERS",
        `The cash movement must be whole kopecks 1..10¹², got ${movement.amount}. Fix the amount and try again.`,
      );
    }
    const s = await this.caller.call(shortStatus, this.admin, { readOnly: true });
    if (s.submode === Submode.awaitingContinuePrint) await this.caller.call(continuePrint, this.cashier);
    const mode = s.mode & 0x0f;
    if (mode === Mode.documentOpen) await this.caller.call(cancelReceipt, this.cashier);
    if (mode === Mode.shiftClosed) {
      throw new FiscalDeviceError(
        "SHIFT_CLOSED",
        "No shift is open on the fiscal register. Open a shift, then move cash.",
      );
    }
    if (mode === Mode.shiftExpired) {
      throw new FiscalDeviceError(
        "SHIFT_EXPIRED",
        "The shift has lasted more than 24 hours. Close it (Z report) and open a new one, then move cash.",
      );
    }
    const before = await this.cashInDrawer();
    const sign = movement.kind === "cash_in" ? 1 : -1;
    const expected = before + sign * movement.amount;
    if (expected < 0) {
      throw new FiscalDeviceError(
        "BAD_PARAMETERS",
        `The register counts ${before} kopecks in the drawer: it cannot pay out ${movement.amount}.`,
      );
    }
    const def = movement.kind === "cash_in" ? cashIn : cashOut;
    try {
      const a = await this.caller.call(def, { ...this.cashier, sum: movement.amount });
      return { documentNumber: a.documentNumber, cashInDrawer: expected };
    } catch (err) {
      if (!isUncertain(err) || this.transport.disconnected) throw err;
      const after = await this.cashInDrawer().catch(() => null);
      if (after === expected) return { documentNumber: null, cashInDrawer: after };
      if (after === before) throw asCertain(err);
      throw err;
    }
  }

  /**
   * A correction receipt, FFD 1.2: FF35, FF46 per item (+ FF4D), FF0C with the basis (1174) and
   * the receipt tags (1192…), then FF4A (1173, 1054, payments, tax system). Only FF4A makes the
   * document, so it is two-phase like `fiscalizeReceipt`, recovered by `recoverReceipt`.
   */
  async fiscalizeCorrection(correction: FiscalCorrection): Promise<ReceiptResult> {
    const bad = (msg: string) =>
      new FiscalDeviceError(
        "BAD_PARAMETERS",
        `Correction ${correction?.receiptId}: ${msg}. Fix the correction and try again.`,
      );
    const operationType = CORRECTION_SIGN[correction?.kind as keyof typeof CORRECTION_SIGN];
    if (operationType === undefined) throw bad(`unknown calculation sign "${correction?.kind}"`);
    const correctionType = CORRECTION_TYPE[correction.correctionType as keyof typeof CORRECTION_TYPE];
    if (correctionType === undefined) throw bad(`unknown correction type "${correction.correctionType}"`);
    const basisDate = /^(\d{4})-(\d{2})-(\d{2})$/.exec(correction.basis?.date ?? "");
    const basisMs = basisDate ? Date.UTC(+basisDate[1]!, +basisDate[2]! - 1, +basisDate[3]!) : Number.NaN;
    if (!basisDate || new Date(basisMs).toISOString().slice(0, 10) !== correction.basis.date) {
      throw bad(`the basis date must be YYYY-MM-DD, got "${correction.basis?.date}"`);
    }
    const number = correction.basis.documentNumber;
    if (correctionType === 1 && !number) throw bad("a correction by order needs the order's number");
    if (number !== undefined) {
      const problem =
        number.length === 0 || number.length > 32
          ? "it must be 1-32 characters"
          : registerTextProblem(number)?.message;
      if (problem) throw bad(`the basis number cannot be stored: ${problem}`);
    }
    const plan = this.planReceipt({ ...correction, kind: "income" }, operationType);
    // Design assumption: 1178 is the basis date at 00:00 UTC (the FFD stores a UnixTime).
    const basis = encodeTlv([
      tlv.stlv(Tag.CORRECTION_BASIS, [
        tlv.unixtime(Tag.CORRECTION_BASIS_DATE, basisMs / 1000),
        ...(number ? [tlv.string(Tag.CORRECTION_BASIS_NUMBER, number)] : []),
      ]),
    ]);
    let fn: Awaited<ReturnType<typeof fnStatus.decodeAnswer>>;
    let shift: Awaited<ReturnType<typeof shiftParams.decodeAnswer>>;
    try {
      await this.prepareForReceipt(correction.receiptId);
      fn = await this.caller.call(fnStatus, this.admin, { readOnly: true });
      shift = await this.caller.call(shiftParams, this.admin, { readOnly: true });
      await this.caller.call(startCorrection, this.admin);
      for (const item of plan.items) {
        await this.caller.call(operation, { ...this.cashier, ...item.request });
        if (item.tlv) await this.caller.call(writeOperationTlv, { ...this.cashier, tlv: item.tlv });
      }
      await this.caller.call(writeReceiptTlv, { ...this.cashier, tlv: basis });
      await this.caller.call(writeReceiptTlv, { ...this.cashier, tlv: plan.receiptTlv });
    } catch (err) {
      // Only FF4A makes the correction a fiscal document.
      await this.cancelQuietly();
      throw asCertain(withReceipt(err, correction.receiptId));
    }
    const expectedFd = fn.lastFdNumber + 1;
    const [cash = 0, electronic = 0] = plan.close.payments;
    let closed: Awaited<ReturnType<typeof makeCorrectionV2.decodeAnswer>>;
    try {
      closed = await this.caller.call(makeCorrectionV2, {
        ...this.admin,
        correctionType,
        operationType,
        total: plan.total,
        payments: [cash, electronic],
        taxes: [],
        taxSystem: plan.close.taxSystem,
      });
    } catch (err) {
      if (this.transport.disconnected) throw asUncertain(withReceipt(err, correction.receiptId));
      let found: RecoveryResult;
      try {
        found = await this.recoverReceipt(correction.receiptId, expectedFd);
      } catch {
        throw asUncertain(withReceipt(err, correction.receiptId));
      }
      if (found.fiscalized) return { ...found.attributes, change: Math.max(0, plan.paid - plan.total) };
      await this.cancelQuietly();
      throw asCertain(withReceipt(err, correction.receiptId));
    }
    const doc = await this.caller
      .call(findDocument, { ...this.admin, fdNumber: closed.fdNumber }, { readOnly: true })
      .catch(() => null);
    return {
      fdNumber: closed.fdNumber,
      fiscalSign: String(closed.fiscalSign),
      fnNumber: fn.fnNumber,
      shiftNumber: shift.shiftNumber,
      dateTime: doc ? dateTimeToIso(doc.dateTime) : dateTimeToIso(fn.dateTime),
      change: Math.max(0, plan.paid - plan.total),
    };
  }

  async close(): Promise<void> {
    this.transport.detach();
    if (!this.options.ownsStream || this.stream.destroyed) return;
    // A SerialPort must be closed (not only destroyed) to release its lock on the port at once.
    const port = this.stream as Duplex & {
      isOpen?: boolean;
      close?: (cb: (err?: Error | null) => void) => void;
    };
    if (typeof port.isOpen === "boolean" && typeof port.close === "function") {
      if (port.isOpen) await new Promise<void>((resolve) => port.close!(() => resolve()));
      return;
    }
    await new Promise<void>((resolve) => {
      this.stream.once("close", () => resolve());
      this.stream.destroy();
    });
  }
}

/** FiscalCorrection.kind → 1054 (FF4A's calculation sign). */
const CORRECTION_SIGN = { income: 1, income_return: 2, expense: 3, expense_return: 4 } as const;
/** FiscalCorrection.correctionType → 1173. */
const CORRECTION_TYPE = { self: 0, instruction: 1 } as const;

function modeName(mode: number): DeviceMode {
  switch (mode) {
    case 0:
      return "idle";
    case Mode.shiftOpen:
      return "shift_open";
    case Mode.shiftExpired:
      return "shift_expired";
    case Mode.shiftClosed:
      return "shift_closed";
    case Mode.documentOpen:
      return "document_open";
    default:
      return "other";
  }
}

function isUncertain(err: unknown): boolean {
  return err instanceof FiscalDeviceError && err.uncertain;
}

/** Adds the receipt id to device errors a cashier sees (paper out, shift expired…). */
function withReceipt(err: unknown, receiptId: string): unknown {
  if (!(err instanceof FiscalDeviceError) || err.message.includes(receiptId)) return err;
  if (err.kassaCode === "PAPER_OUT") {
    return new FiscalDeviceError(
      "PAPER_OUT",
      `The printer is out of paper: receipt ${receiptId} is saved and will print when paper is loaded.`,
      { deviceCode: err.deviceCode, uncertain: err.uncertain, cause: err },
    );
  }
  return err;
}
