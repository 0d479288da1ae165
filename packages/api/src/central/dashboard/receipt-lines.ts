import { isReceiptMoney, lineSum, quantityUnits } from "@kassa/fiscal/ffd";
import type { z } from "zod";
import type { ZPaymentView, ZReceiptItemView } from "./receipt-view.types.ts";

// Items and payments are stored as JSONB exactly as the ingest received them. The dashboard reads
// them defensively: a field it cannot read is shown as missing rather than failing the whole page.
// Agents leave a line's sum off the wire, so it is recomputed with the till's own lineSum: a plain
// price × quantity rounds differently for weighed goods (25 × 0.58 kg → 14 instead of 15 kopecks).

function money(value: unknown): bigint | null {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  return null;
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

export function readItems(json: unknown): z.infer<typeof ZReceiptItemView>[] {
  if (!Array.isArray(json)) return [];
  return json.map((raw) => {
    const item = record(raw);
    const quantity = typeof item.quantity === "number" ? item.quantity : Number(item.quantity ?? Number.NaN);
    const price = money(item.price);
    const sum =
      money(item.sum ?? item.amount) ??
      (price !== null && isReceiptMoney(Number(price)) && quantityUnits(quantity) !== null
        ? BigInt(lineSum(Number(price), quantity))
        : null);
    return {
      name: text(item.name) ?? "(unnamed item)",
      quantity: Number.isFinite(quantity) ? quantity : 0,
      unit: text(item.unit),
      price,
      sum,
      vat: text(item.vat),
    };
  });
}

export function readPayments(json: unknown): z.infer<typeof ZPaymentView>[] {
  if (!Array.isArray(json)) return [];
  return json.map((raw) => {
    const payment = record(raw);
    return { type: text(payment.type) ?? "unknown", amount: money(payment.amount) };
  });
}
