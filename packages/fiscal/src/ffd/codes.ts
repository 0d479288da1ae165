/**
 * Mapping between the FiscalDevice enums and FFD 1.2 codes (FNS FFD appendix, tags 1054, 1055,
 * 1212, 1214, 2108). Kept as lookup tables so a reverse lookup of a code read from a device is
 * the same data, not a second switch that can drift.
 */
import type {
  ItemSubject,
  MeasureUnit,
  PaymentMethod,
  ReceiptKind,
  TaxSystem,
} from "../device/fiscal-device.ts";
import { FfdError } from "./errors.ts";

/** Tag 1054. 3/4 (expense, expense return) exist in FFD but Kassa only sells and refunds. */
export const CALCULATION_SIGN: Readonly<Record<ReceiptKind, number>> = { income: 1, income_return: 2 };

/** Tag 1055 is a bit set; a receipt carries exactly one bit. 8 (ЕНВД) was abolished in 2021. */
export const TAX_SYSTEM: Readonly<Record<TaxSystem, number>> = {
  osn: 1,
  usn_income: 2,
  usn_income_outcome: 4,
  esn: 16,
  patent: 32,
};

/** Tag 1212. */
export const ITEM_SUBJECT: Readonly<Record<ItemSubject, number>> = {
  goods: 1,
  excise: 2,
  job: 3,
  service: 4,
  payment: 10,
  another: 13,
};

/** Tag 1214 (4 = full payment, the usual sale). */
export const PAYMENT_METHOD: Readonly<Record<PaymentMethod, number>> = {
  full_prepayment: 1,
  prepayment: 2,
  advance: 3,
  full_payment: 4,
  partial_payment: 5,
  credit: 6,
  credit_payment: 7,
};

/** Tag 2108. */
export const MEASURE_UNIT: Readonly<Record<MeasureUnit, number>> = { pcs: 0, kg: 11, l: 41, other: 255 };

/** FFD document types (the tag of the document's outer STLV). */
export const DOCUMENT_TYPE = {
  registration: 1,
  shift_open: 2,
  receipt: 3,
  shift_close: 5,
  operator_confirmation: 7,
  correction_receipt: 31,
} as const;

/** Tag 1209 value for FFD 1.2. */
export const FFD_VERSION_1_2 = 4;

function reverse<K extends string>(table: Readonly<Record<K, number>>, what: string): (code: number) => K {
  const map = new Map<number, K>();
  for (const key of Object.keys(table) as K[]) map.set(table[key], key);
  return (code) => {
    const key = map.get(code);
    if (key === undefined) {
      throw new FfdError("DOCUMENT_INVALID", `${what} code ${code} is not one Kassa knows`);
    }
    return key;
  };
}

export const receiptKindFromFfd = reverse(CALCULATION_SIGN, "Calculation sign (1054)");
export const taxSystemFromFfd = reverse(TAX_SYSTEM, "Tax system (1055)");
export const itemSubjectFromFfd = reverse(ITEM_SUBJECT, "Subject of calculation (1212)");
export const paymentMethodFromFfd = reverse(PAYMENT_METHOD, "Payment method (1214)");
export const measureUnitFromFfd = reverse(MEASURE_UNIT, "Measure unit (2108)");
