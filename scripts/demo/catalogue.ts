import { lineSum } from "@kassa/fiscal/ffd";
import type { Random } from "./random.ts";

/**
 * What the demo shops sell: a grocery's shelf, priced in kopecks, with weighed goods (kg, three
 * decimals like a shop scale) beside piece goods. Every name is printable by the register
 * (docs/content-rules.md: CP1251 and CP866), so the demo never trips the content contract.
 */
export interface Product {
  name: string;
  /** Kopecks per piece, or per kilogram for weighed goods. */
  price: number;
  unit: "pcs" | "kg";
  vat: "vat22" | "vat10";
}

export const CATALOGUE: readonly Product[] = [
  { name: "Хлеб Бородинский 400 г", price: 6_990, unit: "pcs", vat: "vat10" },
  { name: "Батон нарезной", price: 5_490, unit: "pcs", vat: "vat10" },
  { name: "Молоко 3,2% 1 л", price: 9_890, unit: "pcs", vat: "vat10" },
  { name: "Кефир 2,5% 900 г", price: 8_990, unit: "pcs", vat: "vat10" },
  { name: "Яйца С1 10 шт", price: 12_990, unit: "pcs", vat: "vat10" },
  { name: "Масло сливочное 82,5% 180 г", price: 21_990, unit: "pcs", vat: "vat10" },
  { name: "Кофе молотый 250 г", price: 44_990, unit: "pcs", vat: "vat22" },
  { name: "Чай чёрный 100 пак.", price: 31_990, unit: "pcs", vat: "vat22" },
  { name: "Шоколад горький 90 г", price: 11_990, unit: "pcs", vat: "vat22" },
  { name: "Вода минеральная 1,5 л", price: 6_490, unit: "pcs", vat: "vat22" },
  { name: "Сок яблочный 1 л", price: 13_990, unit: "pcs", vat: "vat22" },
  { name: "Макароны 450 г", price: 8_990, unit: "pcs", vat: "vat10" },
  { name: "Гречка ядрица 900 г", price: 10_990, unit: "pcs", vat: "vat10" },
  { name: "Пакет-майка", price: 990, unit: "pcs", vat: "vat22" },
  { name: "Яблоки Гала", price: 16_990, unit: "kg", vat: "vat10" },
  { name: "Бананы", price: 13_490, unit: "kg", vat: "vat10" },
  { name: "Томаты розовые", price: 39_990, unit: "kg", vat: "vat10" },
  { name: "Огурцы среднеплодные", price: 22_990, unit: "kg", vat: "vat10" },
  { name: "Картофель мытый", price: 5_990, unit: "kg", vat: "vat10" },
  { name: "Сыр Российский", price: 79_900, unit: "kg", vat: "vat10" },
  { name: "Колбаса Докторская", price: 89_900, unit: "kg", vat: "vat10" },
  { name: "Филе куриное охлаждённое", price: 46_990, unit: "kg", vat: "vat10" },
];

export interface BasketLine {
  name: string;
  price: number;
  quantity: number;
  unit: "pcs" | "kg";
  vat: string;
  subject: "goods";
  paymentMethod: "full_payment";
}

/** The basket's total as the register computes it (each line round(price × quantity), half up). */
export function basketTotal(lines: readonly BasketLine[]): number {
  return lines.reduce((sum, line) => sum + lineSum(line.price, line.quantity), 0);
}

/** A customer's basket: 1–7 lines, mostly a few pieces, a weighed item in about half of them. */
export function randomBasket(random: Random): BasketLine[] {
  const count = Math.min(7, 1 + Math.floor(random.exponential(2)));
  const seen = new Set<string>();
  const lines: BasketLine[] = [];
  while (lines.length < count) {
    const product = random.pick(CATALOGUE);
    if (seen.has(product.name)) continue;
    seen.add(product.name);
    // A scale reads grams: 0.150–2.400 kg, three decimals.
    const quantity =
      product.unit === "kg" ? random.int(150, 2_400) / 1000 : random.chance(0.8) ? 1 : random.int(2, 4);
    lines.push({
      name: product.name,
      price: product.price,
      quantity,
      unit: product.unit,
      vat: product.vat,
      subject: "goods",
      paymentMethod: "full_payment",
    });
  }
  return lines;
}

export type Payment = { type: "cash" | "electronic"; amount: number };

/**
 * How the customer pays: by card about two times in three; in cash with the next "round" note
 * above the total (change given), or exactly.
 */
export function randomPayment(random: Random, total: number): Payment[] {
  if (random.chance(0.65)) return [{ type: "electronic", amount: total }];
  if (random.chance(0.25)) return [{ type: "cash", amount: total }];
  const note = random.pick([10_000, 50_000, 100_000, 200_000, 500_000]);
  return [{ type: "cash", amount: Math.ceil(total / note) * note }];
}
