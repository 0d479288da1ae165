/** Receipts for driver tests. */
import type { FiscalCorrection, FiscalReceipt } from "../../device/fiscal-device.ts";

export function sampleReceipt(receiptId: string, overrides: Partial<FiscalReceipt> = {}): FiscalReceipt {
  return {
    receiptId,
    kind: "income",
    items: [
      {
        name: "Хлеб бородинский",
        price: 5990,
        quantity: 2,
        sum: 11980,
        vat: "vat10",
        subject: "goods",
        paymentMethod: "full_payment",
        unit: "pcs",
      },
      {
        name: "Сыр российский",
        price: 89900,
        quantity: 0.35,
        sum: 31465,
        vat: "vat20",
        subject: "goods",
        paymentMethod: "full_payment",
        unit: "kg",
      },
    ],
    payments: { cash: 50000, electronic: 0 },
    taxSystem: "osn",
    cashier: { name: "Иванова А.", inn: "770000000001" },
    ...overrides,
  };
}

/** A correction (FFD 1.2) of an unrecorded cash sale, on the shop's own initiative. */
export function sampleCorrection(
  receiptId: string,
  overrides: Partial<FiscalCorrection> = {},
): FiscalCorrection {
  const { items, taxSystem, cashier } = sampleReceipt(receiptId);
  return {
    receiptId,
    kind: "income",
    correctionType: "self",
    basis: { date: "2026-03-01" },
    items,
    payments: { cash: 43445, electronic: 0 },
    taxSystem,
    cashier,
    ...overrides,
  };
}
