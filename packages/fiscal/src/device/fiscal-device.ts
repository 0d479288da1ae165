/**
 * The fiscal register as Kassa sees it, above any one protocol. Shtrih-M (protocol v1 over a
 * serial line) is the first implementation; ATOL (through its driver), German TSE, Italian RT and
 * Austrian RKSV can be added behind the same interface.
 *
 * Money is always integer minor units (kopecks). Quantities are plain numbers with at most six
 * decimals (the device carries them as integers ×10⁶).
 */

/** Calculation sign, FFD tag 1054. */
export type ReceiptKind = "income" | "income_return";

/** Tax system, FFD tag 1055 (bit flags on the device). */
export type TaxSystem = "osn" | "usn_income" | "usn_income_outcome" | "esn" | "patent";

/** A VAT rate id from the rate table (data, see ffd/vat-rates.ts), e.g. "vat20", "vat22", "none". */
export type VatRateId = string;

/** Subject of calculation, FFD tag 1212. */
export type ItemSubject = "goods" | "excise" | "job" | "service" | "payment" | "another";

/** Payment method, FFD tag 1214. */
export type PaymentMethod =
  | "full_prepayment"
  | "prepayment"
  | "advance"
  | "full_payment"
  | "partial_payment"
  | "credit"
  | "credit_payment";

/** Measure unit, FFD tag 2108. */
export type MeasureUnit = "pcs" | "kg" | "l" | "other";

export interface FiscalItem {
  name: string;
  /** Price per unit, kopecks. */
  price: number;
  quantity: number;
  /** round(price × quantity), kopecks. */
  sum: number;
  vat: VatRateId;
  subject: ItemSubject;
  paymentMethod: PaymentMethod;
  unit: MeasureUnit;
}

export interface FiscalPayments {
  /** Kopecks paid in cash (may exceed the total: the excess is change). */
  cash: number;
  /** Kopecks paid electronically. */
  electronic: number;
}

export interface Cashier {
  name: string;
  inn?: string;
}

export interface FiscalReceipt {
  /** Kassa's receipt id. Written to the document as tag 1192 so the receipt can be recognized later. */
  receiptId: string;
  kind: ReceiptKind;
  items: FiscalItem[];
  payments: FiscalPayments;
  taxSystem: TaxSystem;
  cashier: Cashier;
}

/** What the device returns for a fiscal document. */
export interface FiscalAttributes {
  fdNumber: number;
  /** Fiscal sign (FP) as a decimal string. */
  fiscalSign: string;
  fnNumber: string;
  shiftNumber: number;
  /** ISO-8601 date-time as the device recorded it. */
  dateTime: string;
}

export interface ReceiptResult extends FiscalAttributes {
  /** Change the device computed, kopecks. */
  change: number;
}

export type DeviceMode = "idle" | "shift_open" | "shift_expired" | "shift_closed" | "document_open" | "other";

export interface DeviceStatus {
  mode: DeviceMode;
  /** Raw mode/submode numbers for diagnostics. */
  rawMode: number;
  rawSubmode: number;
  paperPresent: boolean;
  printing: boolean;
  /** Waiting for continue-print after paper was loaded. */
  awaitingContinuePrint: boolean;
}

export interface FnWarnings {
  keyExpiresIn3Days: boolean;
  keyExpiresIn30Days: boolean;
  archiveNearlyFull: boolean;
  ofdTimeout: boolean;
}

export interface FnStatus {
  /** FN life phase (3 = fiscal mode). */
  lifePhase: number;
  shiftOpen: boolean;
  fnNumber: string;
  lastFdNumber: number;
  dateTime: string;
  warnings: FnWarnings;
}

export interface OfdExchangeStatus {
  /** Documents without an OFD confirmation. */
  unsentCount: number;
  firstUnsentFd: number | null;
  /** ISO-8601 of the oldest unsent document, null when none (the 30-day rule counts from here). */
  oldestUnsentAt: string | null;
}

export interface ShiftReport {
  shiftNumber: number;
  fdNumber: number;
  fiscalSign: string;
  dateTime: string;
}

/** A fiscal document read back from the FN. */
export interface StoredDocument {
  fdNumber: number;
  /** FFD document type: 1 registration, 2 shift open, 3 receipt, 5 shift close, 31 correction… */
  documentType: number;
  dateTime: string;
  fiscalSign: string;
  /** The raw FFD TLV of the document. */
  tlv: Uint8Array;
  /** Tag 1192 (Kassa's receipt id) when present. */
  receiptTag: string | null;
}

/** The register family: which protocol drives it. */
export type DeviceFamily = "shtrih" | "atol";

/** What the register says it is (Shtrih-M 0xFC device type; ATOL getDeviceInfo), read on connect. */
export interface DeviceInfo {
  family: DeviceFamily;
  /** The model's name as the device reports it, e.g. "ШТРИХ-М-01Ф". */
  model: string;
  /** Model number in the family's own numbering (Shtrih-M 0xFC model byte; ATOL model id). */
  modelId: number | null;
  /** Firmware / protocol version as the device reports it, e.g. "1.2" or "5.8.100". */
  firmware: string | null;
}

/** Cash put into or taken out of the drawer (Shtrih-M 0x50/0x51; ATOL cashIn/cashOut). */
export interface CashMovement {
  kind: "cash_in" | "cash_out";
  /** Kopecks, > 0. */
  amount: number;
  cashier: Cashier;
}

export interface CashMovementResult {
  /** The register's non-fiscal document number for the slip it printed, when it gives one. */
  documentNumber: number | null;
  /** Cash in the drawer by the register's own count after the movement (kopecks). */
  cashInDrawer: number;
}

/** Correction receipt (FFD 1.2 "кассовый чек коррекции", tag 1173 type, 1174 basis). */
export interface FiscalCorrection {
  /** Kassa's id of the correction; written as tag 1192 like a receipt's, for the same recovery. */
  receiptId: string;
  /** Calculation sign being corrected (1054): income, income return, expense, expense return. */
  kind: ReceiptKind | "expense" | "expense_return";
  /** 1173: 0 = on the shop's own initiative, 1 = by an order of the tax authority. */
  correctionType: "self" | "instruction";
  /** 1174 basis: the date of the corrected settlement (1178, YYYY-MM-DD) and, by order, its number (1179). */
  basis: { date: string; documentNumber?: string };
  items: FiscalItem[];
  payments: FiscalPayments;
  taxSystem: TaxSystem;
  cashier: Cashier;
}

/** The outcome of the exactly-once recovery check. */
export type RecoveryResult =
  | { fiscalized: true; attributes: FiscalAttributes }
  | { fiscalized: false; lastFdNumber: number };

export interface FiscalDevice {
  /** What the register is (model, firmware); drivers read it on connect and cache it. */
  identify(): Promise<DeviceInfo>;
  status(): Promise<DeviceStatus>;
  fnStatus(): Promise<FnStatus>;
  openShift(cashier: Cashier): Promise<ShiftReport>;
  xReport(cashier: Cashier): Promise<void>;
  /** Z report: closes the shift. */
  closeShift(cashier: Cashier): Promise<ShiftReport>;
  fiscalizeReceipt(receipt: FiscalReceipt): Promise<ReceiptResult>;
  /**
   * A correction receipt: the same two-phase, exactly-once path as `fiscalizeReceipt` (tag 1192 =
   * `receiptId`, recovered by `recoverReceipt`).
   */
  fiscalizeCorrection(correction: FiscalCorrection): Promise<ReceiptResult>;
  /** Cash in / cash out on the register, so its drawer totals match the agent's cash journal. */
  moveCash(movement: CashMovement): Promise<CashMovementResult>;
  /**
   * Cash in the drawer by the register's count (kopecks). Recovery of an uncertain `moveCash`
   * compares it with the count remembered before the movement; never prints.
   */
  cashInDrawer(): Promise<number>;
  /** Cancels a receipt that is open on the device (never one already closed). */
  cancelReceipt(): Promise<void>;
  /** Continue printing after paper was loaded (Shtrih-M B0). */
  continuePrint(): Promise<void>;
  findDocument(fdNumber: number): Promise<StoredDocument | null>;
  /**
   * Exactly-once recovery: did the device fiscalize `receiptId`? Looks up documents from
   * `expectedFdNumber` (the number remembered before printing started) up to the FN's last FD
   * and matches tag 1192. Never prints.
   */
  recoverReceipt(receiptId: string, expectedFdNumber: number): Promise<RecoveryResult>;
  ofdStatus(): Promise<OfdExchangeStatus>;
  /** Reads the FN's next outgoing OFD message (session header + body), or null when none is waiting. */
  readOfdMessage(): Promise<Uint8Array | null>;
  /** Writes the OFD's answer (receipt confirmation) back into the FN. */
  writeOfdReceipt(answer: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
