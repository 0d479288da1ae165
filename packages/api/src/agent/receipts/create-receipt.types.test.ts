import { describe, expect, it } from "vitest";
import { zodFieldErrors } from "../../errors.ts";
import { itemSum, ZCreateReceiptInput } from "./create-receipt.types.ts";

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
  it("accepts agent-api.md's example and fills the documented defaults", () => {
    const parsed = ZCreateReceiptInput.parse(sale());
    expect(parsed.items[0]).toMatchObject({ unit: "pcs", subject: "goods", paymentMethod: "full_payment" });
    expect(parsed.taxSystem).toBeUndefined(); // the terminal's configured one applies
  });

  it("accepts a cashier session instead of a name", () => {
    expect(ZCreateReceiptInput.safeParse(sale({ cashier: { session: "s".repeat(32) } })).success).toBe(true);
  });

  it("computes item sums on integer micro-units (no float drift)", () => {
    expect(itemSum(333, 0.1)).toBe(33);
    expect(itemSum(450000, 2)).toBe(900000);
    expect(itemSum(12999, 1.234567)).toBe(16048);
    expect(itemSum(1, 0.5)).toBe(1); // round half up, as the device does
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
});
