import { lineSum } from "@kassa/fiscal/ffd";
import { describe, expect, it } from "vitest";
import { zodFieldErrors } from "../../errors.ts";
import { ZCreateReceiptInput } from "./create-receipt.types.ts";

const sale = (overrides: Record<string, unknown> = {}) => ({
  idempotencyKey: "pos-42-000123",
  kind: "sale",
  cashier: { name: "Ivanova A.", inn: "500100732259" },
  items: [{ name: "Lens Essilor 1.6", price: 450000, quantity: 2, vat: "vat20" }],
  payments: [{ type: "cash", amount: 1000000 }],
  ...overrides,
});

function errorsOf(input: unknown) {
  const result = ZCreateReceiptInput.safeParse(input);
  return result.success ? {} : zodFieldErrors(result.error);
}

describe("ZCreateReceiptInput", () => {
  it("accepts docs/agent-api.md's example and fills the documented defaults", () => {
    const parsed = ZCreateReceiptInput.parse(sale());
    expect(parsed.items[0]).toMatchObject({ unit: "pcs", subject: "goods", paymentMethod: "full_payment" });
    expect(parsed.taxSystem).toBeUndefined(); // the terminal's configured one applies
  });

  it("accepts a cashier session instead of a name", () => {
    expect(ZCreateReceiptInput.safeParse(sale({ cashier: { session: "s".repeat(32) } })).success).toBe(true);
  });

  it("computes item sums on integer micro-units (no float drift)", () => {
    expect(lineSum(333, 0.1)).toBe(33);
    expect(lineSum(450000, 2)).toBe(900000);
    expect(lineSum(12999, 1.234567)).toBe(16048);
    expect(lineSum(1, 0.5)).toBe(1); // round half up, as the device does
  });

  it("refuses payments below the total, on the payments field", () => {
    expect(errorsOf(sale({ payments: [{ type: "cash", amount: 899999 }] }))).toEqual({
      payments: ["payments (899999) do not cover the total (900000)"],
    });
  });

  it("allows change from cash only", () => {
    expect(
      errorsOf(
        sale({
          payments: [
            { type: "electronic", amount: 900000 },
            { type: "cash", amount: 100 },
          ],
        }),
      ),
    ).toEqual({});
    expect(errorsOf(sale({ payments: [{ type: "electronic", amount: 900001 }] })).payments?.[0]).toMatch(
      /only cash may give change/,
    );
  });

  it.each([
    [
      "quantity with 7 decimals",
      { items: [{ name: "x", price: 1, quantity: 1.0000001, vat: "vat20" }] },
      "items.0.quantity",
    ],
    ["zero quantity", { items: [{ name: "x", price: 1, quantity: 0, vat: "vat20" }] }, "items.0.quantity"],
    [
      "fractional kopecks",
      { items: [{ name: "x", price: 0.5, quantity: 1, vat: "vat20" }] },
      "items.0.price",
    ],
    ["negative payment", { payments: [{ type: "cash", amount: -1 }] }, "payments.0.amount"],
    ["a 65-character key", { idempotencyKey: "k".repeat(65) }, "idempotencyKey"],
    ["a blank item name", { items: [{ name: "  ", price: 1, quantity: 1, vat: "vat20" }] }, "items.0.name"],
    ["an unknown kind", { kind: "expense" }, "kind"],
  ])("names the field for %s", (_name, overrides, field) => {
    expect(Object.keys(errorsOf(sale(overrides)))).toContain(field);
  });

  it("normalises a weighed quantity's float noise to six decimals (0.1 + 0.2 kg is 0.3 kg)", () => {
    const parsed = ZCreateReceiptInput.parse(
      sale({
        items: [{ name: "Apples", price: 10000, quantity: 0.1 + 0.2, vat: "vat10" }],
        payments: [{ type: "cash", amount: 3000 }],
      }),
    );
    expect(parsed.items[0]?.quantity).toBe(0.3);
  });

  it("stores and prints typographic quotes and dashes as their plain forms", () => {
    const parsed = ZCreateReceiptInput.parse(
      sale({ items: [{ name: " Молоко «Домик» — 1 л ", price: 450000, quantity: 2, vat: "vat20" }] }),
    );
    expect(parsed.items[0]?.name).toBe('Молоко "Домик" - 1 л');
  });

  it.each([
    [
      "NUL in an item name",
      { items: [{ name: "a\u0000", price: 1, quantity: 1, vat: "vat20" }] },
      "items.0.name",
    ],
    [
      "an unpaired surrogate",
      { items: [{ name: "a\ud800", price: 1, quantity: 1, vat: "vat20" }] },
      "items.0.name",
    ],
    [
      "an emoji the register cannot print",
      { items: [{ name: "🍊", price: 1, quantity: 1, vat: "vat20" }] },
      "items.0.name",
    ],
    [
      "a 129-character name",
      { items: [{ name: "я".repeat(129), price: 1, quantity: 1, vat: "vat20" }] },
      "items.0.name",
    ],
    ["an emoji in the cashier's name", { cashier: { name: "Иванова 🙂" } }, "cashier.name"],
    [
      "a line sum above 10¹²",
      { items: [{ name: "x", price: 1e12, quantity: 2, vat: "vat20" }] },
      "items.0.quantity",
    ],
    ["a zero total", { items: [{ name: "Gift", price: 0, quantity: 1, vat: "vat20" }] }, "items"],
    [
      "payments above 10¹²",
      {
        payments: [
          { type: "cash", amount: 1e12 },
          { type: "cash", amount: 1e12 },
        ],
      },
      "payments",
    ],
  ])("refuses %s and names the field", (_name, overrides, field) => {
    expect(Object.keys(errorsOf(sale(overrides)))).toEqual([field]);
  });
});
