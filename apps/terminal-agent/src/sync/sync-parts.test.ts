import { describe, expect, it } from "vitest";
import { errorFingerprint } from "./fingerprint.ts";
import { createRetryBackoff } from "./retry-backoff.ts";
import type { OutboxRow } from "./types.ts";
import { toWireItem, UnsendableItemError } from "./wire-items.ts";

const row = (kind: string, payload: unknown): OutboxRow => ({
  id: 1,
  destination: "central",
  kind,
  item_id: "01JD0000000000000000000000",
  hlc: "1763794800000.00000",
  payload: typeof payload === "string" ? payload : JSON.stringify(payload),
  attempts: 0,
  next_attempt_at: 0,
  last_error: null,
});

describe("toWireItem", () => {
  it("maps the agent's receipt payload to the ingest item, leaving agent-api defaults off the wire", () => {
    const item = toWireItem(
      row("receipt", {
        terminalId: "t",
        receiptId: "01JD0000000000000000000000",
        idempotencyKey: "pos-42-000123",
        bodyHash: "ab",
        seq: 7,
        hlc: "1763794800000.00000",
        kind: "sale",
        taxSystem: "osn",
        cashier: { name: "Ivanova A.", inn: "500100732259", cashierId: "c1" },
        items: [
          {
            name: "Lens",
            price: 450000,
            quantity: 2,
            unit: "pcs",
            vat: "vat20",
            subject: "goods",
            paymentMethod: "full_payment",
            sum: 900000,
          },
          {
            name: "Apples",
            price: 19900,
            quantity: 0.5,
            unit: "kg",
            vat: "vat10",
            subject: "goods",
            paymentMethod: "full_prepayment",
            sum: 9950,
          },
        ],
        payments: [{ type: "cash", amount: 1000000 }],
        total: 909950,
        cashTotal: 1000000,
        change: 90050,
        acceptedAt: "2026-11-22T10:15:00+03:00",
        shiftId: "s1",
      }),
    );
    expect(item).toEqual({
      kind: "receipt",
      id: "01JD0000000000000000000000",
      hlc: "1763794800000.00000",
      data: {
        idempotencyKey: "pos-42-000123",
        seq: 7,
        kind: "sale",
        taxSystem: "osn",
        cashier: { name: "Ivanova A.", inn: "500100732259" },
        items: [
          { name: "Lens", price: 450000, quantity: 2, vat: "vat20" },
          {
            name: "Apples",
            price: 19900,
            quantity: 0.5,
            vat: "vat10",
            unit: "kg",
            paymentMethod: "full_prepayment",
          },
        ],
        payments: [{ type: "cash", amount: 1000000 }],
        total: 909950,
        change: 90050,
        acceptedAt: "2026-11-22T10:15:00+03:00",
        shiftId: "s1",
      },
    });
  });

  it("sends a receipt's shift when its row names one, and none for a row from before receipts did", () => {
    const payload = {
      receiptId: "01JD0000000000000000000000",
      idempotencyKey: "pos-42-000124",
      seq: 8,
      kind: "sale",
      taxSystem: "osn",
      cashier: { name: "Ivanova A." },
      items: [{ name: "Lens", price: 450000, quantity: 1, vat: "vat20", sum: 450000 }],
      payments: [{ type: "cash", amount: 450000 }],
      total: 450000,
      change: 0,
      acceptedAt: "2026-11-22T10:16:00+03:00",
    };
    const withShift = toWireItem(row("receipt", { ...payload, shiftId: "01KB7N4Q2R8XJ5W3M6T9VZC0HD" }));
    expect((withShift.data as { shiftId?: string }).shiftId).toBe("01KB7N4Q2R8XJ5W3M6T9VZC0HD");
    expect(toWireItem(row("receipt", payload)).data).not.toHaveProperty("shiftId");
  });

  it("takes the fiscal attributes out of a receipt_fiscalized payload", () => {
    const fiscal = {
      fdNumber: 1,
      fiscalSign: "2",
      fnNumber: "3",
      shiftNumber: 4,
      dateTime: "2026-11-22T10:15:00+03:00",
    };
    expect(toWireItem(row("receipt_fiscalized", { receiptId: "x", fiscal })).data).toEqual(fiscal);
  });

  it("refuses a payload that is not JSON, or a kind the central server does not take", () => {
    expect(() => toWireItem(row("receipt", "{not json"))).toThrow(UnsendableItemError);
    expect(() => toWireItem(row("mystery", {}))).toThrow(/takes no items of kind "mystery"/);
  });
});

describe("createRetryBackoff", () => {
  it("draws decorrelated-jitter delays within bounds and starts over after a success", () => {
    const backoff = createRetryBackoff(500, 10_000);
    const delays = Array.from({ length: 30 }, () => backoff.next());
    expect(delays.every((d) => d >= 0 && d <= 10_000)).toBe(true);
    expect(Math.max(...delays.slice(10))).toBeGreaterThan(Math.max(...delays.slice(0, 1)));
    expect(new Set(delays).size).toBeGreaterThan(5); // jittered, not a fixed ladder
    backoff.reset();
    expect(backoff.next()).toBeLessThanOrEqual(1500);
  });
});

describe("errorFingerprint", () => {
  it("groups the same failure across different items and separates different ones", () => {
    const a = errorFingerprint(
      "RECEIPT_CONFLICT",
      "Receipt 01JD0000000000000000000001 is already stored with a different body",
    );
    const b = errorFingerprint(
      "RECEIPT_CONFLICT",
      "Receipt 01JD0000000000000000000002 is already stored with a different body",
    );
    const c = errorFingerprint("VALIDATION_FAILED", "items.0.price: must be an integer");
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a.startsWith("RECEIPT_CONFLICT:")).toBe(true);
  });
});
