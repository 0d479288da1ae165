/**
 * The classic receipt set most shop software still sells with, and cash in/out: 8D open receipt,
 * 80 sale, 81 purchase, 82 return of sale, 83 return of purchase, 85 close receipt, 86 discount,
 * 87 allowance, 8C repeat document, 50 cash in, 51 cash out. Layouts: Shtrih-M protocol v1.17
 * sections «Открыть чек» (8D, 6 B), «Продажа»/«Покупка»/«Возврат продажи»/«Возврат покупки»
 * (80–83, 60 B), «Закрытие чека» (85, 71 B → operator, change), «Скидка»/«Надбавка» (86/87, 54 B),
 * «Повтор документа» (8C), «Внесение»/«Выплата» (50/51, 10 B → operator, document number 2 B);
 * cross-checked with pyshtrih (commands.py, handlers/commands.py) and the `kkt` Python driver's
 * `_x8count` (quantity ×1000: count2integer(…, digits=3)).
 */
import type { ByteReader, ByteWriter } from "../binary.ts";
import { defineCommand, type OperatorAnswer, type PasswordRequest, passwordOnlyCommand } from "./define.ts";

/** 8D receipt type (not the FFD 1054 numbering!): 0 sale, 1 purchase, 2 return of sale, 3 return of purchase. */
export const ClassicReceiptType = { sale: 0, purchase: 1, saleReturn: 2, purchaseReturn: 3 } as const;

/** 8D receipt type → FFD 1054 calculation sign (1 income, 2 income return, 3 expense, 4 expense return). */
export function calculationSignOfReceiptType(type: number): number | null {
  switch (type) {
    case ClassicReceiptType.sale:
      return 1;
    case ClassicReceiptType.saleReturn:
      return 2;
    case ClassicReceiptType.purchase:
      return 3;
    case ClassicReceiptType.purchaseReturn:
      return 4;
    default:
      return null;
  }
}

export const openReceipt = defineCommand<PasswordRequest & { receiptType: number }, OperatorAnswer>({
  code: 0x8d,
  name: "open receipt",
  writeRequest: (w, r) => w.u32(r.password, "password").u8(r.receiptType, "receiptType"),
  readRequest: (r) => ({ password: r.u32("password"), receiptType: r.u8("receipt type") }),
  writeAnswer: (w, a) => w.u8(a.operator, "operator"),
  readAnswer: (r) => ({ operator: r.u8("operator") }),
});

export const CLASSIC_TEXT_LENGTH = 40;
/** Classic quantities are thousandths (5 bytes); FF46's are millionths. */
export const CLASSIC_QUANTITY_SCALE = 1000;
export const CLASSIC_TAX_SLOTS = 4;

export interface ClassicItemRequest extends PasswordRequest {
  /** Units (e.g. 1.5 kg = 1.5); on the wire ×1000 in 5 bytes, so at most three decimals. */
  quantity: number;
  /** Kopecks per unit. */
  price: number;
  /** 0–16. */
  department: number;
  /** Four tax-group bytes: 0 none, else a row of the tax table (the same rows as FF46's tax group). */
  taxes: number[];
  /** CP1251, ≤ 40 bytes. */
  text: string;
}

function writeTaxes(w: ByteWriter, taxes: number[]): void {
  if (taxes.length > CLASSIC_TAX_SLOTS) throw new TypeError(`"taxes" takes ${CLASSIC_TAX_SLOTS} bytes`);
  for (let i = 0; i < CLASSIC_TAX_SLOTS; i++) w.u8(taxes[i] ?? 0, `taxes[${i}]`);
}

function readTaxes(r: ByteReader): number[] {
  return Array.from({ length: CLASSIC_TAX_SLOTS }, (_, i) => r.u8(`tax ${i + 1}`));
}

function quantityUnits(q: number): number {
  const units = Math.round(q * CLASSIC_QUANTITY_SCALE);
  if (!(q > 0) || Math.abs(units - q * CLASSIC_QUANTITY_SCALE) > 1e-6) {
    throw new TypeError(`"quantity" must be > 0 with at most 3 decimals for the classic commands, got ${q}`);
  }
  return units;
}

function itemCommand(code: number, name: string) {
  return defineCommand<ClassicItemRequest, OperatorAnswer>({
    code,
    name,
    writeRequest: (w, r) => {
      w.u32(r.password, "password").uint(quantityUnits(r.quantity), 5, "quantity").money(r.price, "price");
      w.u8(r.department, "department");
      writeTaxes(w, r.taxes);
      w.textFixed(r.text, CLASSIC_TEXT_LENGTH);
    },
    readRequest: (r) => ({
      password: r.u32("password"),
      quantity: r.uint(5, "quantity") / CLASSIC_QUANTITY_SCALE,
      price: r.money("price"),
      department: r.u8("department"),
      taxes: readTaxes(r),
      text: r.textRest("cp1251"),
    }),
    writeAnswer: (w, a) => w.u8(a.operator, "operator"),
    readAnswer: (r) => ({ operator: r.u8("operator") }),
  });
}

export const sale = itemCommand(0x80, "sale");
export const purchase = itemCommand(0x81, "purchase");
export const saleReturn = itemCommand(0x82, "return of sale");
export const purchaseReturn = itemCommand(0x83, "return of purchase");

/** The item command for each 8D receipt type. */
export const itemCommandOfReceiptType: Readonly<Record<number, number>> = {
  [ClassicReceiptType.sale]: sale.code,
  [ClassicReceiptType.purchase]: purchase.code,
  [ClassicReceiptType.saleReturn]: saleReturn.code,
  [ClassicReceiptType.purchaseReturn]: purchaseReturn.code,
};

export interface ClassicCloseRequest extends PasswordRequest {
  /** Four payment sums, kopecks: [0] cash, [1..3] payment types 2–4. */
  payments: number[];
  /** Discount on the whole receipt, hundredths of a percent (0–9999 = 0–99.99 %). */
  discountPercent: number;
  taxes: number[];
  text: string;
}

export interface ClassicCloseAnswer {
  operator: number;
  change: number;
}

export const CLASSIC_PAYMENT_SLOTS = 4;

export const closeReceiptClassic = defineCommand<ClassicCloseRequest, ClassicCloseAnswer>({
  code: 0x85,
  name: "close receipt (classic)",
  writeRequest: (w, r) => {
    w.u32(r.password, "password");
    if (r.payments.length > CLASSIC_PAYMENT_SLOTS)
      throw new TypeError(`"payments" takes ${CLASSIC_PAYMENT_SLOTS} sums`);
    for (let i = 0; i < CLASSIC_PAYMENT_SLOTS; i++) w.money(r.payments[i] ?? 0, `payments[${i}]`);
    w.u16(r.discountPercent, "discountPercent");
    writeTaxes(w, r.taxes);
    w.textFixed(r.text, CLASSIC_TEXT_LENGTH);
  },
  readRequest: (r) => ({
    password: r.u32("password"),
    payments: Array.from({ length: CLASSIC_PAYMENT_SLOTS }, (_, i) => r.money(`payment ${i + 1}`)),
    discountPercent: r.u16("discount"),
    taxes: readTaxes(r),
    text: r.textRest("cp1251"),
  }),
  writeAnswer: (w, a) => w.u8(a.operator, "operator").money(a.change, "change"),
  readAnswer: (r) => ({ operator: r.u8("operator"), change: r.money("change") }),
});

export interface AdjustmentRequest extends PasswordRequest {
  /** Kopecks. */
  sum: number;
  taxes: number[];
  text: string;
}

function adjustmentCommand(code: number, name: string) {
  return defineCommand<AdjustmentRequest, OperatorAnswer>({
    code,
    name,
    writeRequest: (w, r) => {
      w.u32(r.password, "password").money(r.sum, "sum");
      writeTaxes(w, r.taxes);
      w.textFixed(r.text, CLASSIC_TEXT_LENGTH);
    },
    readRequest: (r) => ({
      password: r.u32("password"),
      sum: r.money("sum"),
      taxes: readTaxes(r),
      text: r.textRest("cp1251"),
    }),
    writeAnswer: (w, a) => w.u8(a.operator, "operator"),
    readAnswer: (r) => ({ operator: r.u8("operator") }),
  });
}

export const discount = adjustmentCommand(0x86, "discount");
export const allowance = adjustmentCommand(0x87, "allowance");

export const repeatDocument = passwordOnlyCommand(0x8c, "repeat document");

export interface CashMoveAnswer {
  operator: number;
  /** The KKT's running (non-fiscal) document number of the slip. */
  documentNumber: number;
}

function cashCommand(code: number, name: string) {
  return defineCommand<PasswordRequest & { sum: number }, CashMoveAnswer>({
    code,
    name,
    writeRequest: (w, r) => w.u32(r.password, "password").money(r.sum, "sum"),
    readRequest: (r) => ({ password: r.u32("password"), sum: r.money("sum") }),
    writeAnswer: (w, a) => w.u8(a.operator, "operator").u16(a.documentNumber, "documentNumber"),
    readAnswer: (r) => ({ operator: r.u8("operator"), documentNumber: r.u16("document number") }),
  });
}

export const cashIn = cashCommand(0x50, "cash in");
export const cashOut = cashCommand(0x51, "cash out");
