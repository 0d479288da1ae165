/**
 * FiscalReceipt / FiscalCorrection → the ATOL JSON receipt task, after the same content checks the
 * Shtrih-M driver makes (ffd/content.ts), so bad input is a typed error and nothing is posted.
 * Field names and enum spellings: see protocol.ts.
 */
import { FiscalDeviceError } from "../device/errors.ts";
import type {
  FiscalCorrection,
  FiscalItem,
  FiscalPayments,
  FiscalReceipt,
  ItemSubject,
  MeasureUnit,
  PaymentMethod,
  TaxSystem,
} from "../device/fiscal-device.ts";
import {
  isReceiptMoney,
  lineSum,
  normalizeQuantity,
  normalizeRegisterText,
  quantityUnits,
  registerTextProblem,
  TEXT_LIMITS,
} from "../ffd/content.ts";
import { defaultVatRates, type VatRateTable } from "../ffd/vat-rates.ts";
import { receiptTagFor } from "../shtrih/receipt-tag.ts";
import {
  type AtolCorrectionType,
  type AtolItem,
  type AtolPayment,
  type AtolReceiptTask,
  type AtolReceiptType,
  type AtolTaxType,
  rubles,
} from "./protocol.ts";

/** FFD 1199 VAT code → ATOL tax type. 11/12 (22 %, 22/122 from 2026) are assumed names: unverified. */
const TAX_TYPE_BY_FFD: Readonly<Record<number, AtolTaxType>> = {
  1: "vat20",
  2: "vat10",
  3: "vat120",
  4: "vat110",
  5: "vat0",
  6: "none",
  11: "vat22",
  12: "vat122",
};

export const ATOL_PAYMENT_OBJECT: Readonly<Record<ItemSubject, string>> = {
  goods: "commodity",
  excise: "excise",
  job: "job",
  service: "service",
  payment: "payment",
  another: "another",
};

export const ATOL_PAYMENT_METHOD: Readonly<Record<PaymentMethod, string>> = {
  full_prepayment: "fullPrepayment",
  prepayment: "prepayment",
  advance: "advance",
  full_payment: "fullPayment",
  partial_payment: "partialPayment",
  credit: "credit",
  credit_payment: "creditPayment",
};

export const ATOL_UNIT: Readonly<Record<MeasureUnit, string>> = {
  pcs: "piece",
  kg: "kilogram",
  l: "liter",
  other: "otherUnits",
};

export const ATOL_TAXATION: Readonly<Record<TaxSystem, string>> = {
  osn: "osn",
  usn_income: "usnIncome",
  usn_income_outcome: "usnIncomeOutcome",
  esn: "esn",
  patent: "patent",
};

export interface PlannedReceipt {
  task: AtolReceiptTask;
  total: number;
  paid: number;
  cash: number;
}

export function atolTaxType(vat: string, rates: VatRateTable = defaultVatRates): AtolTaxType | undefined {
  return rates.has(vat) ? TAX_TYPE_BY_FFD[rates.get(vat).ffd1199] : undefined;
}

function planContent(
  id: string,
  items: FiscalItem[],
  payments: FiscalPayments,
  cashierName: string | undefined,
  rates: VatRateTable,
): { items: AtolItem[]; payments: AtolPayment[]; total: number; paid: number } {
  const bad = (msg: string) =>
    new FiscalDeviceError("BAD_PARAMETERS", `Receipt ${id}: ${msg}. Fix the sale and try again.`);
  const checkText = (what: string, text: string, maxLength: number) => {
    const problem =
      text !== normalizeRegisterText(text)
        ? "it is not in normalised form (normalizeRegisterText)"
        : text.length === 0 || text.length > maxLength
          ? `it must be 1-${maxLength} characters`
          : registerTextProblem(text)?.message;
    if (problem) throw bad(`${what} cannot be printed: ${problem}`);
  };
  if (!items?.length) throw bad("it has no items");
  if (cashierName) checkText("the cashier's name", cashierName, TEXT_LIMITS.cashierName);
  let total = 0;
  const positions: AtolItem[] = items.map((item, i) => {
    const tax = atolTaxType(item.vat, rates);
    if (!tax) throw bad(`item ${i + 1} has a VAT rate "${item.vat}" the ATOL driver has no name for`);
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
    const paymentObject = ATOL_PAYMENT_OBJECT[item.subject];
    const paymentMethod = ATOL_PAYMENT_METHOD[item.paymentMethod];
    const unit = ATOL_UNIT[item.unit];
    if (!paymentObject || !paymentMethod || !unit)
      throw bad(`item ${i + 1} has an unknown subject, method or unit`);
    total += item.sum;
    return {
      type: "position",
      name: item.name,
      price: rubles(item.price),
      quantity: item.quantity,
      amount: rubles(item.sum),
      tax: { type: tax },
      paymentMethod,
      paymentObject,
      measurementUnit: unit,
    };
  });
  const { cash, electronic } = payments;
  for (const [k, v] of [
    ["cash", cash],
    ["electronic", electronic],
  ] as const) {
    if (!isReceiptMoney(v)) throw bad(`payment ${k} must be whole kopecks 0..10¹², got ${v}`);
  }
  if (cash + electronic < total) throw bad(`payments ${cash + electronic} are less than the total ${total}`);
  if (electronic > total)
    throw bad("change can only be given in cash: the electronic payment exceeds the total");
  const pays: AtolPayment[] = [];
  if (cash > 0) pays.push({ type: "cash", sum: rubles(cash) });
  if (electronic > 0) pays.push({ type: "electronically", sum: rubles(electronic) });
  if (pays.length === 0) pays.push({ type: "cash", sum: 0 });
  // Tag 1192: the same 16-character form as the Shtrih-M path, so recovery matches it the same way.
  positions.push({ type: "additionalAttribute", value: receiptTagFor(id), print: true });
  return { items: positions, payments: pays, total, paid: cash + electronic };
}

function taxation(id: string, taxSystem: TaxSystem): string {
  const t = ATOL_TAXATION[taxSystem];
  if (!t) throw new FiscalDeviceError("BAD_PARAMETERS", `Receipt ${id}: unknown tax system "${taxSystem}".`);
  return t;
}

export function planReceipt(receipt: FiscalReceipt, rates: VatRateTable = defaultVatRates): PlannedReceipt {
  const type: AtolReceiptType = receipt.kind === "income_return" ? "sellReturn" : "sell";
  const c = planContent(receipt.receiptId, receipt.items, receipt.payments, receipt.cashier?.name, rates);
  return {
    task: {
      type,
      taxationType: taxation(receipt.receiptId, receipt.taxSystem),
      operator: operatorOf(receipt.cashier),
      items: c.items,
      payments: c.payments,
    },
    total: c.total,
    paid: c.paid,
    cash: receipt.payments.cash,
  };
}

const CORRECTION_TYPE: Readonly<Record<FiscalCorrection["kind"], AtolCorrectionType>> = {
  income: "sellCorrection",
  income_return: "sellReturnCorrection",
  expense: "buyCorrection",
  expense_return: "buyReturnCorrection",
};

export function planCorrection(
  correction: FiscalCorrection,
  rates: VatRateTable = defaultVatRates,
): PlannedReceipt {
  const id = correction.receiptId;
  const type = CORRECTION_TYPE[correction.kind];
  if (!type)
    throw new FiscalDeviceError("BAD_PARAMETERS", `Correction ${id}: unknown kind "${correction.kind}".`);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(correction.basis?.date ?? "");
  if (!m) {
    throw new FiscalDeviceError("BAD_PARAMETERS", `Correction ${id}: the basis date must be YYYY-MM-DD.`);
  }
  if (correction.correctionType === "instruction" && !correction.basis.documentNumber) {
    throw new FiscalDeviceError(
      "BAD_PARAMETERS",
      `Correction ${id}: a correction by order of the tax authority needs the order's number.`,
    );
  }
  const c = planContent(id, correction.items, correction.payments, correction.cashier?.name, rates);
  return {
    task: {
      type,
      taxationType: taxation(id, correction.taxSystem),
      operator: operatorOf(correction.cashier),
      items: c.items,
      payments: c.payments,
      correctionType: correction.correctionType === "instruction" ? "instruction" : "self",
      // "yyyy.MM.dd" (KKTServiceLib CreateCorrectionReceiptOperation.CorrectionBaseDate).
      correctionBaseDate: `${m[1]}.${m[2]}.${m[3]}`,
      ...(correction.basis.documentNumber ? { correctionBaseNumber: correction.basis.documentNumber } : {}),
    },
    total: c.total,
    paid: c.paid,
    cash: correction.payments.cash,
  };
}

export function operatorOf(cashier: { name: string; inn?: string } | undefined) {
  return { name: cashier?.name || "Кассир", ...(cashier?.inn ? { vatin: cashier.inn } : {}) };
}
