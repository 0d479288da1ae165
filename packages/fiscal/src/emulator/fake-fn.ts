/**
 * A fake fiscal storage (FN): the non-volatile part of the register. It numbers and signs fiscal
 * documents (FAKE sign, see fiscal-sign.ts), keeps them as FFD 1.2 TLV, runs the shift timer and
 * enforces the FN's rules:
 * - shift over 24 h: the FN refuses receipts (0x16) until the shift is closed and reopened;
 * - 30-day rule: once the oldest document without an OFD confirmation is 30 days old, the FN
 *   issues no more documents (0x14) until the OFD confirms it;
 * - a full archive (0x06).
 * It survives power loss; `toJSON()`/`FakeFn.fromJSON()` keep it across emulator restarts.
 */

import { ffdTimeFromDate } from "../ffd/ffd-time.ts";
import { fiscalSignToBytes } from "../ffd/fiscal-sign.ts";
import { Tag } from "../ffd/tags.ts";
import { encodeTlv, type TlvField, tlv } from "../ffd/tlv.ts";
import { ERR_FN_ARCHIVE_FULL, ERR_FN_OFD_30_DAYS } from "../shtrih/error-codes.ts";
import { DAY_MS, HOUR_MS } from "./clock.ts";
import { fakeFiscalSign } from "./fiscal-sign.ts";
import { type FnDocument, receiptTagOf } from "./fn-document.ts";
import { deviceIso } from "./fn-time.ts";

export const SHIFT_MAX_MS = 24 * HOUR_MS;
export const UNSENT_LIMIT_MS = 30 * DAY_MS;
/** Design assumption (unverified): the FN raises its "OFD timeout" warning after 5 days unsent. */
export const OFD_TIMEOUT_WARNING_MS = 5 * DAY_MS;
export const FFD_VERSION_1_2 = 4;

export interface FnOptions {
  /** 16 digits. Default "9999078900004312". */
  fnNumber?: string;
  /** Key of the FAKE fiscal sign. Default derived from the FN number. */
  signKey?: string;
  /** Archive size in documents. Default 250 000. */
  capacity?: number;
  /** The FN's crypto key validity end (drives warning bits 0/1). Default: 13 months after creation. */
  validUntil?: Date;
  /** Owner's INN (tag 1018). */
  userInn?: string;
  /** KKT registration number (tag 1037). */
  registrationNumber?: string;
}

interface ShiftState {
  number: number;
  open: boolean;
  openedAtMs: number | null;
  receipts: number;
}

export interface FnState {
  fnNumber: string;
  signKey: string;
  capacity: number;
  validUntilMs: number;
  userInn: string;
  registrationNumber: string;
  shift: ShiftState;
  documents: (Omit<FnDocument, "tlv"> & { tlv: string })[];
}

export interface ReceiptContent {
  /** 1054: 1 income, 2 income return, 3 expense, 4 expense return. */
  operationType: number;
  total: number;
  cash: number;
  electronic: number;
  /** Tax-system bits (1055). */
  taxSystem: number;
  /** 1059 items, each an STLV. */
  items: TlvField[];
  /** Receipt-level TLVs the host wrote (FF0C), bytes kept exactly. */
  hostTags: TlvField[];
  /** 3 receipt (default) or 31 correction receipt (FF35 … FF36/FF4A/FF45). */
  documentType?: 3 | 31;
  /** Fields ahead of 1054 (a correction's 1173 and 1174). */
  leadFields?: TlvField[];
  /** 1215 / 1216 / 1217 (FF4A carries them); default 0. */
  prepayment?: number;
  credit?: number;
  counterProvision?: number;
}

export class FakeFn {
  readonly fnNumber: string;
  private readonly key: Uint8Array;
  private readonly signKey: string;
  capacity: number;
  validUntilMs: number;
  private readonly userInn: string;
  private readonly registrationNumber: string;
  private shift: ShiftState = { number: 0, open: false, openedAtMs: null, receipts: 0 };
  private readonly documents: FnDocument[] = [];
  private readonly byFd = new Map<number, FnDocument>();
  /** Index into `documents` below which every document is confirmed (unsent scan starts here). */
  private confirmedPrefix = 0;
  private unsentTotal = 0;
  /** Called after every change that must survive a restart (the state file hook). */
  onChange: (() => void) | null = null;

  constructor(options: FnOptions = {}, now: Date = new Date()) {
    const fnNumber = options.fnNumber ?? "9999078900004312";
    if (!/^\d{16}$/.test(fnNumber)) throw new TypeError(`"fnNumber" must be 16 digits, got "${fnNumber}"`);
    const capacity = options.capacity ?? 250_000;
    if (!Number.isInteger(capacity) || capacity < 2)
      throw new TypeError(`"capacity" must be an integer ≥ 2, got ${capacity}`);
    this.fnNumber = fnNumber;
    this.signKey = options.signKey ?? `kassa-fake-fn-${fnNumber}`;
    this.key = Buffer.from(this.signKey, "utf8");
    this.capacity = capacity;
    this.validUntilMs = (options.validUntil ?? new Date(now.getTime() + 395 * DAY_MS)).getTime();
    this.userInn = options.userInn ?? "7700000000";
    this.registrationNumber = options.registrationNumber ?? "0000000001012345";
  }

  /** Makes the registration report (FD 1) a fresh FN starts with; it is already confirmed by the OFD. */
  static create(options: FnOptions, now: Date): FakeFn {
    const fn = new FakeFn(options, now);
    // 1062: the tax systems the register is registered for (1 = general).
    const doc = fn.issue(now, 1, [tlv.byte(1062, 1)], {});
    doc.ofdConfirmed = true;
    fn.unsentTotal = 0;
    fn.confirmedPrefix = 1;
    return fn;
  }

  // --- queries ---------------------------------------------------------------------------------

  get lastFdNumber(): number {
    return this.documents.length === 0 ? 0 : this.documents[this.documents.length - 1]!.fdNumber;
  }

  get lastDocument(): FnDocument | undefined {
    return this.documents[this.documents.length - 1];
  }

  get shiftOpen(): boolean {
    return this.shift.open;
  }

  get shiftNumber(): number {
    return this.shift.number;
  }

  get receiptsInShift(): number {
    return this.shift.receipts;
  }

  shiftExpired(now: Date): boolean {
    return (
      this.shift.open &&
      this.shift.openedAtMs !== null &&
      now.getTime() - this.shift.openedAtMs >= SHIFT_MAX_MS
    );
  }

  find(fdNumber: number): FnDocument | undefined {
    return this.byFd.get(fdNumber);
  }

  allDocuments(): readonly FnDocument[] {
    return this.documents;
  }

  /** Documents without an OFD confirmation (kept as a counter: FF39/FF3F are polled often). */
  get unsentCount(): number {
    return this.unsentTotal;
  }

  unsent(): FnDocument[] {
    this.advanceConfirmedPrefix();
    const out: FnDocument[] = [];
    for (let i = this.confirmedPrefix; i < this.documents.length; i++) {
      const d = this.documents[i]!;
      if (!d.ofdConfirmed) out.push(d);
    }
    return out;
  }

  firstUnsent(): FnDocument | undefined {
    this.advanceConfirmedPrefix();
    for (let i = this.confirmedPrefix; i < this.documents.length; i++) {
      const d = this.documents[i]!;
      if (!d.ofdConfirmed) return d;
    }
    return undefined;
  }

  /** FF01 warning bits: 0 key expires in 3 days, 1 in 30 days, 2 archive 90 % full, 3 OFD timeout. */
  warnings(now: Date): number {
    const t = now.getTime();
    let bits = 0;
    if (this.validUntilMs - t <= 3 * DAY_MS) bits |= 1;
    if (this.validUntilMs - t <= 30 * DAY_MS) bits |= 2;
    if (this.documents.length >= 0.9 * this.capacity) bits |= 4;
    const oldest = this.firstUnsent();
    if (oldest && t - oldest.issuedAtMs >= OFD_TIMEOUT_WARNING_MS) bits |= 8;
    return bits;
  }

  /** 0 when the FN may issue a new document now, else the FN's error byte. */
  canIssue(now: Date): number {
    if (this.documents.length >= this.capacity) return ERR_FN_ARCHIVE_FULL;
    const oldest = this.firstUnsent();
    if (oldest && now.getTime() - oldest.issuedAtMs >= UNSENT_LIMIT_MS) return ERR_FN_OFD_30_DAYS;
    return 0;
  }

  // --- documents -------------------------------------------------------------------------------

  openShift(now: Date, hostTags: TlvField[]): FnDocument {
    this.shift = { number: this.shift.number + 1, open: true, openedAtMs: now.getTime(), receipts: 0 };
    return this.issue(now, 2, [...hostTags], {});
  }

  closeShift(now: Date, hostTags: TlvField[]): FnDocument {
    const unsent = this.unsent();
    const fields: TlvField[] = [
      tlv.u32(Tag.RECEIPTS_COUNT_IN_SHIFT, this.shift.receipts),
      tlv.u32(Tag.UNSENT_DOCUMENTS_COUNT, unsent.length),
    ];
    if (unsent[0])
      fields.push(tlv.unixtime(Tag.FIRST_UNSENT_DATE, ffdTimeFromDate(new Date(unsent[0].issuedAtMs))));
    const doc = this.issue(now, 5, [...fields, ...hostTags], {});
    this.shift = { ...this.shift, open: false, openedAtMs: null };
    this.changed();
    return doc;
  }

  registerReceipt(now: Date, r: ReceiptContent): FnDocument {
    this.shift.receipts++;
    const fields: TlvField[] = [
      tlv.u32(Tag.RECEIPT_NUMBER_IN_SHIFT, this.shift.receipts),
      ...(r.leadFields ?? []),
      tlv.byte(Tag.CALCULATION_SIGN, r.operationType),
      tlv.byte(Tag.TAX_SYSTEM, r.taxSystem),
      ...r.items,
      tlv.vln(Tag.TOTAL, r.total),
      tlv.vln(Tag.CASH, r.cash),
      tlv.vln(Tag.ELECTRONIC, r.electronic),
      tlv.vln(Tag.PREPAYMENT, r.prepayment ?? 0),
      tlv.vln(Tag.CREDIT, r.credit ?? 0),
      tlv.vln(Tag.COUNTER_PROVISION, r.counterProvision ?? 0),
      ...r.hostTags,
    ];
    return this.issue(now, r.documentType ?? 3, fields, {
      receiptTag: receiptTagOf(r.hostTags),
      operationType: r.operationType,
      total: r.total,
    });
  }

  /** Marks a document confirmed by the OFD. False when there is no such unconfirmed document. */
  confirm(fdNumber: number): boolean {
    const doc = this.byFd.get(fdNumber);
    if (!doc || doc.ofdConfirmed) return false;
    doc.ofdConfirmed = true;
    this.unsentTotal--;
    this.changed();
    return true;
  }

  // --- test and CLI controls -----------------------------------------------------------------

  /** The archive is full from now on (until `capacity` is raised). */
  fillUp(): void {
    this.capacity = this.documents.length;
    this.changed();
  }

  /** Moves the open shift's start back so it is over 24 h old. */
  expireShift(now: Date): void {
    if (!this.shift.open) return;
    this.shift.openedAtMs = now.getTime() - SHIFT_MAX_MS;
    this.changed();
  }

  // --- persistence -----------------------------------------------------------------------------

  toJSON(): FnState {
    return {
      fnNumber: this.fnNumber,
      signKey: this.signKey,
      capacity: this.capacity,
      validUntilMs: this.validUntilMs,
      userInn: this.userInn,
      registrationNumber: this.registrationNumber,
      shift: { ...this.shift },
      documents: this.documents.map((d) => ({ ...d, tlv: Buffer.from(d.tlv).toString("base64") })),
    };
  }

  static fromJSON(state: FnState): FakeFn {
    const fn = new FakeFn({
      fnNumber: state.fnNumber,
      signKey: state.signKey,
      capacity: state.capacity,
      validUntil: new Date(state.validUntilMs),
      userInn: state.userInn,
      registrationNumber: state.registrationNumber,
    });
    fn.shift = { ...state.shift };
    for (const d of state.documents) {
      const doc: FnDocument = { ...d, tlv: Uint8Array.from(Buffer.from(d.tlv, "base64")) };
      fn.documents.push(doc);
      fn.byFd.set(doc.fdNumber, doc);
      if (!doc.ofdConfirmed) fn.unsentTotal++;
    }
    return fn;
  }

  // --- internals -------------------------------------------------------------------------------

  private issue(
    now: Date,
    documentType: number,
    body: TlvField[],
    extra: Partial<Pick<FnDocument, "receiptTag" | "operationType" | "total">>,
  ): FnDocument {
    const fdNumber = this.lastFdNumber + 1;
    const head: TlvField[] = [
      tlv.unixtime(Tag.DATE_TIME, ffdTimeFromDate(now)),
      tlv.u32(Tag.FD_NUMBER, fdNumber),
      tlv.string(Tag.FN_NUMBER, this.fnNumber),
      tlv.string(Tag.KKT_REGISTRATION_NUMBER, this.registrationNumber),
      tlv.string(Tag.USER_INN, this.userInn),
      tlv.byte(Tag.FFD_VERSION, FFD_VERSION_1_2),
    ];
    if (documentType !== 1) head.push(tlv.u32(Tag.SHIFT_NUMBER, this.shift.number));
    const unsigned = encodeTlv([...head, ...body]);
    const fiscalSign = fakeFiscalSign(this.key, fdNumber, unsigned);
    const signField = encodeTlv([tlv.bytes(Tag.FISCAL_SIGN, fiscalSignToBytes(String(fiscalSign)))]);
    const full = new Uint8Array(unsigned.length + signField.length);
    full.set(unsigned, 0);
    full.set(signField, unsigned.length);
    const doc: FnDocument = {
      fdNumber,
      documentType,
      dateTime: deviceIso(now),
      issuedAtMs: now.getTime(),
      fiscalSign,
      shiftNumber: this.shift.number,
      tlv: full,
      receiptTag: extra.receiptTag ?? null,
      operationType: extra.operationType ?? null,
      total: extra.total ?? null,
      ofdConfirmed: false,
    };
    this.documents.push(doc);
    this.byFd.set(fdNumber, doc);
    this.unsentTotal++;
    this.changed();
    return doc;
  }

  private advanceConfirmedPrefix(): void {
    while (
      this.confirmedPrefix < this.documents.length &&
      this.documents[this.confirmedPrefix]!.ofdConfirmed
    ) {
      this.confirmedPrefix++;
    }
  }

  private changed(): void {
    this.onChange?.();
  }
}
