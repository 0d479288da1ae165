/**
 * The FFD 1.2 receipt (document type 3) as a typed model. Values are FFD codes (tag 1199 VAT
 * code, 1212 subject…), money in kopecks, dateTime in FFD seconds (see ffd-time.ts).
 * `buildReceiptDocument` turns Kassa's FiscalReceipt plus the FN's attributes into one.
 */
import type { FiscalReceipt } from "../device/fiscal-device.ts";
import { CALCULATION_SIGN, ITEM_SUBJECT, MEASURE_UNIT, PAYMENT_METHOD, TAX_SYSTEM } from "./codes.ts";
import { FfdError } from "./errors.ts";
import { fieldReader } from "./field-reader.ts";
import { fiscalSignFromBytes, fiscalSignToBytes } from "./fiscal-sign.ts";
import { Tag } from "./tags.ts";
import { type TlvField, tlv } from "./tlv.ts";
import { defaultVatRates, type VatRateTable } from "./vat-rates.ts";

export interface FfdReceiptItem {
  /** 1030 */
  name: string;
  /** 1079, kopecks per unit */
  price: number;
  /** 1023 (FVLN) */
  quantity: number;
  /** 1043, kopecks */
  sum: number;
  /** 1199 code (not a Kassa rate id: see vat-rates.ts) */
  vatRate: number;
  /** 1212 */
  subject: number;
  /** 1214 */
  paymentMethod: number;
  /** 2108 */
  measureUnit: number;
}

/** Attributes the FN assigns when it closes a document. */
export interface FfdDocumentAttributes {
  /** 1012, FFD seconds (local wall clock) */
  dateTime: number;
  /** 1040 */
  fdNumber: number;
  /** 1041, 16 digits */
  fnNumber: string;
  /** 1077 as the printed decimal FP */
  fiscalSign: string;
}

export interface FfdReceiptDocument extends FfdDocumentAttributes {
  kind: "receipt";
  /** 1038 */
  shiftNumber: number;
  /** 1042 */
  receiptNumberInShift: number;
  /** 1054 */
  calculationSign: number;
  /** 1055 */
  taxSystem: number;
  items: FfdReceiptItem[];
  /** 1020 = cash + electronic + prepayment + credit + counterProvision */
  total: number;
  /** 1031: the cash part of the total (change is not in the document) */
  cash: number;
  /** 1081 */
  electronic: number;
  /** 1215 */
  prepayment: number;
  /** 1216 */
  credit: number;
  /** 1217 */
  counterProvision: number;
  /** 1021 */
  cashier: string;
  /** 1203 */
  cashierInn?: string;
  /** 1192: Kassa writes its receipt id here so a receipt can be recognized on the device. */
  additionalAttribute?: string;
  /** 1018 */
  userInn?: string;
  /** 1037 */
  kktRegistrationNumber?: string;
}

export function receiptToFields(doc: FfdReceiptDocument): TlvField[] {
  const fields: TlvField[] = [
    tlv.unixtime(Tag.DATE_TIME, doc.dateTime),
    tlv.u32(Tag.FD_NUMBER, doc.fdNumber),
    tlv.string(Tag.FN_NUMBER, doc.fnNumber),
    tlv.bytes(Tag.FISCAL_SIGN, fiscalSignToBytes(doc.fiscalSign)),
    tlv.u32(Tag.SHIFT_NUMBER, doc.shiftNumber),
    tlv.u32(Tag.RECEIPT_NUMBER_IN_SHIFT, doc.receiptNumberInShift),
    tlv.byte(Tag.CALCULATION_SIGN, doc.calculationSign),
    tlv.byte(Tag.TAX_SYSTEM, doc.taxSystem),
  ];
  if (doc.userInn !== undefined) fields.push(tlv.string(Tag.USER_INN, doc.userInn));
  if (doc.kktRegistrationNumber !== undefined) {
    fields.push(tlv.string(Tag.KKT_REGISTRATION_NUMBER, doc.kktRegistrationNumber));
  }
  fields.push(tlv.string(Tag.CASHIER, doc.cashier));
  if (doc.cashierInn !== undefined) fields.push(tlv.string(Tag.CASHIER_INN, doc.cashierInn));
  for (const item of doc.items) {
    fields.push(
      tlv.stlv(Tag.ITEM, [
        tlv.string(Tag.ITEM_NAME, item.name),
        tlv.vln(Tag.PRICE, item.price),
        tlv.fvln(Tag.QUANTITY, item.quantity),
        tlv.vln(Tag.ITEM_SUM, item.sum),
        tlv.byte(Tag.VAT_RATE, item.vatRate),
        tlv.byte(Tag.ITEM_SUBJECT, item.subject),
        tlv.byte(Tag.PAYMENT_METHOD, item.paymentMethod),
        tlv.byte(Tag.MEASURE_UNIT, item.measureUnit),
      ]),
    );
  }
  fields.push(
    tlv.vln(Tag.TOTAL, doc.total),
    tlv.vln(Tag.CASH, doc.cash),
    tlv.vln(Tag.ELECTRONIC, doc.electronic),
    tlv.vln(Tag.PREPAYMENT, doc.prepayment),
    tlv.vln(Tag.CREDIT, doc.credit),
    tlv.vln(Tag.COUNTER_PROVISION, doc.counterProvision),
  );
  if (doc.additionalAttribute !== undefined) {
    fields.push(tlv.string(Tag.ADDITIONAL_RECEIPT_ATTRIBUTE, doc.additionalAttribute));
  }
  return fields;
}

export function receiptFromFields(fields: readonly TlvField[]): FfdReceiptDocument {
  const r = fieldReader(fields, "receipt document");
  const items = r.lists(Tag.ITEM).map((itemFields, index) => {
    const i = fieldReader(itemFields, `receipt item ${index + 1}`);
    return {
      name: i.string(Tag.ITEM_NAME),
      price: i.number(Tag.PRICE),
      quantity: i.number(Tag.QUANTITY),
      sum: i.number(Tag.ITEM_SUM),
      vatRate: i.number(Tag.VAT_RATE),
      subject: i.number(Tag.ITEM_SUBJECT),
      paymentMethod: i.number(Tag.PAYMENT_METHOD),
      measureUnit: i.optNumber(Tag.MEASURE_UNIT) ?? MEASURE_UNIT.pcs,
    };
  });
  const doc: FfdReceiptDocument = {
    kind: "receipt",
    dateTime: r.number(Tag.DATE_TIME),
    fdNumber: r.number(Tag.FD_NUMBER),
    fnNumber: r.string(Tag.FN_NUMBER),
    fiscalSign: fiscalSignFromBytes(r.bytes(Tag.FISCAL_SIGN)),
    shiftNumber: r.number(Tag.SHIFT_NUMBER),
    receiptNumberInShift: r.optNumber(Tag.RECEIPT_NUMBER_IN_SHIFT) ?? 0,
    calculationSign: r.number(Tag.CALCULATION_SIGN),
    taxSystem: r.number(Tag.TAX_SYSTEM),
    items,
    total: r.number(Tag.TOTAL),
    cash: r.optNumber(Tag.CASH) ?? 0,
    electronic: r.optNumber(Tag.ELECTRONIC) ?? 0,
    prepayment: r.optNumber(Tag.PREPAYMENT) ?? 0,
    credit: r.optNumber(Tag.CREDIT) ?? 0,
    counterProvision: r.optNumber(Tag.COUNTER_PROVISION) ?? 0,
    cashier: r.optString(Tag.CASHIER) ?? "",
  };
  const optional = {
    cashierInn: r.optString(Tag.CASHIER_INN),
    additionalAttribute: r.optString(Tag.ADDITIONAL_RECEIPT_ATTRIBUTE),
    userInn: r.optString(Tag.USER_INN),
    kktRegistrationNumber: r.optString(Tag.KKT_REGISTRATION_NUMBER),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(doc, { [key]: value });
  }
  return doc;
}

export interface ReceiptDocumentAttributes extends FfdDocumentAttributes {
  shiftNumber: number;
  receiptNumberInShift: number;
  userInn?: string;
  kktRegistrationNumber?: string;
}

function invalid(message: string): FfdError {
  return new FfdError("DOCUMENT_INVALID", message);
}

/**
 * The document the FN would build for `receipt`. Checks what the FN checks: item sums and the
 * total are whole kopecks, payments cover the total, change only from cash.
 * @throws FfdError DOCUMENT_INVALID, UnknownVatRateError
 */
export function buildReceiptDocument(
  receipt: FiscalReceipt,
  attributes: ReceiptDocumentAttributes,
  vatRates: VatRateTable = defaultVatRates,
): FfdReceiptDocument {
  if (receipt.items.length === 0)
    throw invalid(`receipt ${receipt.receiptId} has no items: add at least one`);
  let total = 0;
  const items = receipt.items.map((item, index) => {
    for (const [key, value] of [
      ["price", item.price],
      ["sum", item.sum],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw invalid(
          `item ${index + 1} ("${item.name}") ${key} must be whole non-negative kopecks, got ${value}`,
        );
      }
    }
    if (!(item.quantity > 0)) throw invalid(`item ${index + 1} ("${item.name}") quantity must be positive`);
    total += item.sum;
    return {
      name: item.name,
      price: item.price,
      quantity: item.quantity,
      sum: item.sum,
      vatRate: vatRates.get(item.vat).ffd1199,
      subject: ITEM_SUBJECT[item.subject],
      paymentMethod: PAYMENT_METHOD[item.paymentMethod],
      measureUnit: MEASURE_UNIT[item.unit],
    };
  });
  const { cash, electronic } = receipt.payments;
  if (!Number.isSafeInteger(cash) || !Number.isSafeInteger(electronic) || cash < 0 || electronic < 0) {
    throw invalid(`payments of receipt ${receipt.receiptId} must be whole non-negative kopecks`);
  }
  if (electronic > total) {
    throw invalid(
      `electronic payment ${electronic} exceeds the total ${total}: change is only given from cash`,
    );
  }
  if (cash + electronic < total) {
    throw invalid(
      `payments ${cash + electronic} are less than the total ${total}: take the rest of the payment`,
    );
  }
  const doc: FfdReceiptDocument = {
    kind: "receipt",
    dateTime: attributes.dateTime,
    fdNumber: attributes.fdNumber,
    fnNumber: attributes.fnNumber,
    fiscalSign: attributes.fiscalSign,
    shiftNumber: attributes.shiftNumber,
    receiptNumberInShift: attributes.receiptNumberInShift,
    calculationSign: CALCULATION_SIGN[receipt.kind],
    taxSystem: TAX_SYSTEM[receipt.taxSystem],
    items,
    total,
    cash: total - electronic,
    electronic,
    prepayment: 0,
    credit: 0,
    counterProvision: 0,
    cashier: receipt.cashier.name,
    additionalAttribute: receipt.receiptId,
  };
  if (receipt.cashier.inn !== undefined) doc.cashierInn = receipt.cashier.inn;
  if (attributes.userInn !== undefined) doc.userInn = attributes.userInn;
  if (attributes.kktRegistrationNumber !== undefined)
    doc.kktRegistrationNumber = attributes.kktRegistrationNumber;
  return doc;
}
