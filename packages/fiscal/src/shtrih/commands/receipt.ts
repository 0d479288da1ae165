/**
 * Receipt commands: FF46 operation v2, FF45 close receipt, 88 cancel, B0 continue print,
 * FF0C / FF4D TLV writes, 17 print string. Layouts: docs/fiscal-reference.md "Commands Kassa needs",
 * Shtrih-M protocol v1.17; the padded sizes (FF46 160 B, FF45 182 B incl. command bytes) follow
 * what vendor drivers send (re-star-ru/shtrih-m-driver checks the FF46 length).
 */
import type { ByteReader, ByteWriter } from "../binary.ts";
import { defineCommand, type Empty, type PasswordRequest, passwordOnlyCommand } from "./define.ts";

/** FF46 operation type (calculation sign). */
export const OperationType = { income: 1, incomeReturn: 2, expense: 3, expenseReturn: 4 } as const;

export const FF46_NAME_LENGTH = 128;

export interface OperationRequest extends PasswordRequest {
  /** 1 income, 2 income return, 3 expense, 4 expense return. */
  operationType: number;
  quantity: number;
  /** Kopecks per unit. */
  price: number;
  /** Item sum, kopecks; null = the device computes price × quantity. */
  sum: number | null;
  /** VAT amount, kopecks; null = the device computes it. */
  tax: number | null;
  /** FF46 tax group: 1 = 20 %, 2 = 10 %, 3 = 0 %, 4 = no VAT, 5 = 20/120, 6 = 10/110 (not tag 1199!). */
  taxGroup: number;
  department: number;
  /** Tag 1214 payment method, 1–7. */
  paymentMethod: number;
  /** Tag 1212 subject, 1–26. */
  subject: number;
  /** CP1251, at most 128 bytes. */
  name: string;
}

export const operation = defineCommand<OperationRequest, Empty>({
  code: 0xff46,
  name: "operation v2",
  writeRequest: (w, r) =>
    w
      .u32(r.password, "password")
      .u8(r.operationType, "operationType")
      .quantity(r.quantity)
      .money(r.price, "price")
      .moneyOrAuto(r.sum, "sum")
      .moneyOrAuto(r.tax, "tax")
      .u8(r.taxGroup, "taxGroup")
      .u8(r.department, "department")
      .u8(r.paymentMethod, "paymentMethod")
      .u8(r.subject, "subject")
      .textFixed(r.name, FF46_NAME_LENGTH),
  readRequest: (r) => ({
    password: r.u32("password"),
    operationType: r.u8("operation type"),
    quantity: r.quantity(),
    price: r.money("price"),
    sum: r.moneyOrAuto("sum"),
    tax: r.moneyOrAuto("tax"),
    taxGroup: r.u8("tax group"),
    department: r.u8("department"),
    paymentMethod: r.u8("payment method"),
    subject: r.u8("subject"),
    // Vendor drivers pad to 128 bytes; accept shorter names too.
    name: r.textRest("cp1251"),
  }),
  writeAnswer: () => {},
  readAnswer: () => ({}),
});

export const PAYMENT_SLOTS = 16;
export const TAX_SLOTS = 6;
export const FF45_TEXT_LENGTH = 64;

/** FF45 tax-system bit flags (tag 1055). */
export const TaxSystemBits = {
  osn: 1,
  usn_income: 2,
  usn_income_outcome: 4,
  envd: 8,
  esn: 16,
  patent: 32,
} as const;

export interface CloseReceiptRequest extends PasswordRequest {
  /** 16 payment sums in kopecks: [0] cash, [1] electronic, then 14 others (prepayment, credit…). */
  payments: number[];
  /** Rounding, 0–99 kopecks. */
  rounding: number;
  /** 6 tax sums, kopecks (0 = the device computes from the operations). */
  taxes: number[];
  /** Tax-system bit flags (1 = general). */
  taxSystem: number;
  /** CP1251, ≤ 64 bytes, printed under the receipt. */
  text: string;
}

export interface CloseReceiptAnswer {
  change: number;
  fdNumber: number;
  /** Fiscal sign, u32. */
  fiscalSign: number;
}

function writeSlots(w: ByteWriter, values: number[], slots: number, what: string): void {
  if (values.length > slots)
    throw new TypeError(`"${what}" has ${values.length} entries; the device takes ${slots}`);
  for (let i = 0; i < slots; i++) w.money(values[i] ?? 0, `${what}[${i}]`);
}

function readSlots(r: ByteReader, slots: number, what: string): number[] {
  return Array.from({ length: slots }, (_, i) => r.money(`${what}[${i}]`));
}

export const closeReceipt = defineCommand<CloseReceiptRequest, CloseReceiptAnswer>({
  code: 0xff45,
  name: "close receipt",
  writeRequest: (w, r) => {
    w.u32(r.password, "password");
    writeSlots(w, r.payments, PAYMENT_SLOTS, "payments");
    if (r.rounding > 99) throw new TypeError(`"rounding" must be 0..99 kopecks, got ${r.rounding}`);
    w.u8(r.rounding, "rounding");
    writeSlots(w, r.taxes, TAX_SLOTS, "taxes");
    w.u8(r.taxSystem, "taxSystem").textFixed(r.text, FF45_TEXT_LENGTH);
  },
  readRequest: (r) => ({
    password: r.u32("password"),
    payments: readSlots(r, PAYMENT_SLOTS, "payments"),
    rounding: r.u8("rounding"),
    taxes: readSlots(r, TAX_SLOTS, "taxes"),
    taxSystem: r.u8("tax system"),
    text: r.textRest("cp1251"),
  }),
  writeAnswer: (w, a) =>
    w.money(a.change, "change").u32(a.fdNumber, "fdNumber").u32(a.fiscalSign, "fiscalSign"),
  readAnswer: (r) => ({
    change: r.money("change"),
    fdNumber: r.u32("FD number"),
    fiscalSign: r.u32("fiscal sign"),
  }),
});

export const cancelReceipt = passwordOnlyCommand(0x88, "cancel receipt");
export const continuePrint = passwordOnlyCommand(0xb0, "continue print");

export interface TlvWriteRequest extends PasswordRequest {
  /** One or more FFD TLVs, ≤ 250 bytes. */
  tlv: Uint8Array;
}

export const MAX_TLV_WRITE = 250;

function tlvWrite(code: number, name: string) {
  return defineCommand<TlvWriteRequest, Empty>({
    code,
    name,
    writeRequest: (w, r) => {
      if (r.tlv.length > MAX_TLV_WRITE) {
        throw new TypeError(`"tlv" is ${r.tlv.length} bytes; the device takes at most ${MAX_TLV_WRITE}`);
      }
      w.u32(r.password, "password").bytes(r.tlv);
    },
    readRequest: (r) => ({ password: r.u32("password"), tlv: r.rest() }),
    writeAnswer: () => {},
    readAnswer: () => ({}),
  });
}

/** FF0C: TLV into the open receipt (e.g. tag 1192 = Kassa's receipt id). */
export const writeReceiptTlv = tlvWrite(0xff0c, "write TLV to receipt");
/** FF4D: TLV into the current item (operation). */
export const writeOperationTlv = tlvWrite(0xff4d, "write TLV to operation");

export const PRINT_LINE_LENGTH = 40;
/** Print-string flags: bit 0 journal, bit 1 receipt tape. */
export const PrintFlags = { journal: 1, receipt: 2 } as const;

export interface PrintStringRequest extends PasswordRequest {
  flags: number;
  /** CP1251, ≤ 40 bytes. */
  text: string;
}

export const printString = defineCommand<PrintStringRequest, { operator: number }>({
  code: 0x17,
  name: "print string",
  writeRequest: (w, r) =>
    w.u32(r.password, "password").u8(r.flags, "flags").textFixed(r.text, PRINT_LINE_LENGTH),
  readRequest: (r) => ({ password: r.u32("password"), flags: r.u8("flags"), text: r.textRest("cp1251") }),
  writeAnswer: (w, a) => w.u8(a.operator),
  readAnswer: (r) => ({ operator: r.remaining > 0 ? r.u8("operator") : 0 }),
});
