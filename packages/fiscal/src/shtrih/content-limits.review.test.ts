import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../emulator/clock.ts";
import { KktEmulator } from "../emulator/kkt-emulator.ts";
import { lineSum, MAX_RECEIPT_DOCUMENT_BYTES, receiptDocumentBytes } from "../ffd/content.ts";
import { ShtrihDevice } from "./shtrih-device.ts";
import { sampleReceipt } from "./test-support/receipts.ts";

// The FN hands a fiscal document out whole through 16-bit lengths (FF3A's answer, the OFD message):
// a receipt whose document outgrows them is fiscalized but can never be read back (recovery by tag
// 1192) or sent to the OFD, and the FN blocks after 30 days. `receiptDocumentBytes` is the bound
// `receipts.create` refuses by; these tests hold it against the emulator's real documents.

let emulator: KktEmulator;
let device: ShtrihDevice;
beforeEach(async () => {
  emulator = new KktEmulator({ clock: new FakeClock("2026-03-02T09:00:00Z") });
  device = new ShtrihDevice(emulator.connect(), { enqTimeoutMs: 2000, ackTimeoutMs: 2000 });
  await device.openShift({ name: "Иванова А." });
  emulator.fn.confirm(2); // the shift report went to the OFD: the next OFD message is the receipt
});
afterEach(async () => {
  await device.close();
  emulator.close();
});

type Line = { name: string; price: number; quantity: number };
const fiscalReceipt = (id: string, lines: Line[]) => {
  const items = lines.map((l) => ({
    ...l,
    sum: lineSum(l.price, l.quantity),
    vat: "vat20",
    subject: "goods" as const,
    paymentMethod: "full_payment" as const,
    unit: "kg" as const,
  }));
  const total = items.reduce((s, i) => s + i.sum, 0);
  return sampleReceipt(id, {
    items,
    payments: { cash: total, electronic: 0 },
    cashier: { name: "Я".repeat(64), inn: "500100732259" },
  });
};

/** As many worst-case lines (128-character names, 5-byte money) as the bound lets through. */
function largestAccepted(): Line[] {
  const line = { name: "Я".repeat(128), price: 1_000_000, quantity: 12.345678 };
  const lines: Line[] = [];
  while (receiptDocumentBytes([...lines, line]) <= MAX_RECEIPT_DOCUMENT_BYTES) lines.push(line);
  return lines;
}

describe("the largest receipt document the contract accepts", () => {
  it("500 lines of 128-character names are over the bound", () => {
    const line = { name: "Я".repeat(128), price: 100, quantity: 1 };
    expect(receiptDocumentBytes(Array.from({ length: 500 }, () => line))).toBeGreaterThan(
      MAX_RECEIPT_DOCUMENT_BYTES,
    );
    // and 500 ordinary lines are not
    const short = { name: "Хлеб бородинский 400 г", price: 5990, quantity: 2 };
    expect(receiptDocumentBytes(Array.from({ length: 500 }, () => short))).toBeLessThan(
      MAX_RECEIPT_DOCUMENT_BYTES,
    );
  });

  it("at the bound: fiscalized, read back by tag 1192 and handed to the OFD", async () => {
    const lines = largestAccepted();
    expect(lines.length).toBeGreaterThan(300);
    const result = await device.fiscalizeReceipt(fiscalReceipt("r-big", lines));
    const doc = await device.findDocument(result.fdNumber);
    expect(doc?.receiptTag).toBe("r-big");
    expect(doc!.tlv.length).toBeLessThanOrEqual(receiptDocumentBytes(lines));
    const message = await device.readOfdMessage();
    expect(message!.length).toBeGreaterThan(doc!.tlv.length);
  }, 60_000);

  it("property: the bound is never below the document the register makes", async () => {
    const line = fc.record({
      name: fc.string({ unit: fc.constantFrom(..."абвЯ1.,"), minLength: 1, maxLength: 128 }),
      price: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 1_000_000_000 })),
      quantity: fc.oneof(
        fc.integer({ min: 1, max: 99_999 }),
        fc.integer({ min: 1, max: 99_999_000_000 }).map((u) => u / 1_000_000),
      ),
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 8 }), async (lines) => {
        const total = lines.reduce((s, l) => s + lineSum(l.price, l.quantity), 0);
        fc.pre(total > 0 && total <= 1e12);
        const result = await device.fiscalizeReceipt(fiscalReceipt(`r-${n++}`, lines));
        expect(emulator.fn.find(result.fdNumber)!.tlv.length).toBeLessThanOrEqual(
          receiptDocumentBytes(lines),
        );
      }),
      { numRuns: 60, seed: 8 },
    );
  }, 60_000);
});
