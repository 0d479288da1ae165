import { describe, expect, it } from "vitest";
import { ZCreateReceiptInput } from "./agent/receipts/create-receipt.types.ts";
import { ZReceiptData } from "./central/ingest/ingest-items.types.ts";
import { ZQuantity } from "./content.ts";
import { zodFieldErrors } from "./errors.ts";

// Review findings on the content contract (docs/content-rules.md): inputs receipts.create accepted
// although the register or the FN could not carry them through.

const sale = (items: unknown[]) => ({
  idempotencyKey: "pos-42-000123",
  kind: "sale",
  cashier: { name: "Ivanova A." },
  items,
  payments: [{ type: "cash", amount: 10 ** 12 }],
});

describe("the receipt's fiscal document must fit the FN's 16-bit document lengths", () => {
  const long = { name: "Я".repeat(128), price: 100, quantity: 1, vat: "vat20" };

  it("refuses 500 lines of 128-character names on items (a 90 KB document the FN cannot hand out)", () => {
    const result = ZCreateReceiptInput.safeParse(sale(Array.from({ length: 500 }, () => long)));
    expect(result.success).toBe(false);
    expect(Object.keys(zodFieldErrors(result.error!))).toEqual(["items"]);
    expect(zodFieldErrors(result.error!).items?.[0]).toMatch(/fiscal document/);
  });

  it("central ingest applies the same bound", () => {
    const items = Array.from({ length: 500 }, () => long);
    const result = ZReceiptData.safeParse({
      idempotencyKey: "k",
      seq: 1,
      kind: "sale",
      taxSystem: "osn",
      cashier: { name: "Ivanova A." },
      items,
      payments: [{ type: "cash", amount: 50_000 }],
      total: 50_000,
      change: 0,
      acceptedAt: "2026-03-02T09:00:00.000Z",
    });
    expect(result.success).toBe(false);
  });

  it("still accepts 500 ordinary lines", () => {
    const line = { name: "Хлеб бородинский 400 г", price: 5990, quantity: 2, vat: "vat10" };
    expect(ZCreateReceiptInput.safeParse(sale(Array.from({ length: 500 }, () => line))).success).toBe(true);
  });
});

describe("quantities: only float noise is normalised, never a real seventh decimal", () => {
  it.each([12345.6789012345, 1000.0000004, 99_998.9999995, 500.0000005])("refuses %d", (q) => {
    expect(ZQuantity.safeParse(q).success).toBe(false);
  });

  it.each([
    [0.1 + 0.2, 0.3],
    [3 * 0.35, 1.05],
    [99_999, 99_999],
    [(12345.678901 * 3) / 3, 12345.678901],
    [0.000001, 0.000001],
  ])("normalises %d to %d", (q, expected) => {
    expect(ZQuantity.parse(q)).toBe(expected);
  });
});
