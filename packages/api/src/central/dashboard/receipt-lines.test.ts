import { describe, expect, it } from "vitest";
import { readItems, readPayments } from "./receipt-lines.ts";

describe("readItems", () => {
  it("recomputes a missing line sum exactly as the till does (integer micro-units, not price × quantity)", () => {
    // 25 × 0.58 is 14.499999999999998 in floating point; the till charged 15 kopecks.
    const [line] = readItems([{ name: "Cheese", price: 25, quantity: 0.58, unit: "kg", vat: "vat10" }]);
    expect(line).toMatchObject({ price: 25n, quantity: 0.58, sum: 15n });
  });

  it("keeps a delivered sum and shows unreadable fields as missing", () => {
    expect(readItems([{ name: "Frame", price: "1290000", quantity: 1, sum: 1290000 }])[0]).toMatchObject({
      price: 1290000n,
      sum: 1290000n,
    });
    expect(readItems([{ price: 1.5, quantity: "x" }])[0]).toMatchObject({
      name: "(unnamed item)",
      price: null,
      quantity: 0,
      sum: null,
    });
    expect(readPayments([{ type: "cash", amount: 100 }, {}])).toEqual([
      { type: "cash", amount: 100n },
      { type: "unknown", amount: null },
    ]);
  });
});
