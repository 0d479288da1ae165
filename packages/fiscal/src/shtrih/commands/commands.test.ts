import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../binary.ts";
import { encodeAnswerFrame, encodeFrame, FrameReader } from "../frame.ts";
import { byCode, closeReceipt, fnStatus, operation, shortStatus } from "./index.ts";

function answerData(hex: string): Uint8Array {
  const [ev] = new FrameReader().push(fromHex(hex));
  if (ev?.kind !== "frame") throw new Error(`not a frame: ${hex}`);
  expect(ev.frame.data[0]).toBe(0);
  return ev.frame.data.subarray(1);
}

const FF01_ANSWER =
  "02 21 FF 01 00 03 00 00 01 00 15 07 1D 0B 1D 39 32 38 37 34 34 30 33 30 31 31 32 30 39 39 31 A9 01 00 00 68";

describe("reference test vectors", () => {
  it("0x10 request with password 30", () => {
    expect(toHex(encodeFrame(0x10, shortStatus.encodeRequest({ password: 30 })))).toBe(
      "02 05 10 1E 00 00 00 0B",
    );
  });
  it("FF01 request with password 30", () => {
    expect(toHex(encodeFrame(0xff01, fnStatus.encodeRequest({ password: 30 })))).toBe(
      "02 06 FF 01 1E 00 00 00 E6",
    );
  });
  it("FF01 answer decodes to phase 3, shift open, 2021-07-29 11:29, FN 9287440301120991, last FD 425", () => {
    const a = fnStatus.decodeAnswer(answerData(FF01_ANSWER));
    expect(a).toEqual({
      lifePhase: 3,
      currentDocument: 0,
      documentData: 0,
      shiftOpen: true,
      warnings: 0,
      dateTime: { year: 2021, month: 7, day: 29, hour: 11, minute: 29, second: 0 },
      fnNumber: "9287440301120991",
      lastFdNumber: 425,
    });
    expect(toHex(encodeAnswerFrame(0xff01, 0, fnStatus.encodeAnswer(a)))).toBe(FF01_ANSWER);
  });
  it("FF45 answer decodes to change 0, FD 29, FP 4281688307", () => {
    const hex = "02 10 FF 45 00 00 00 00 00 00 1D 00 00 00 F3 60 35 FF EE";
    const a = closeReceipt.decodeAnswer(answerData(hex));
    expect(a).toEqual({ change: 0, fdNumber: 29, fiscalSign: 4281688307 });
    expect(toHex(encodeAnswerFrame(0xff45, 0, closeReceipt.encodeAnswer(a)))).toBe(hex);
  });
});

describe("padded request sizes vendor drivers send", () => {
  it("FF46 body is 160 bytes with the command bytes", () => {
    const data = operation.encodeRequest({
      password: 1,
      operationType: 1,
      quantity: 1,
      price: 10000,
      sum: 10000,
      tax: null,
      taxGroup: 1,
      department: 1,
      paymentMethod: 4,
      subject: 1,
      name: "Хлеб",
    });
    expect(encodeFrame(0xff46, data)[1]).toBe(160);
  });
  it("FF45 body is 182 bytes with the command bytes", () => {
    const data = closeReceipt.encodeRequest({
      password: 1,
      payments: [10000],
      rounding: 0,
      taxes: [],
      taxSystem: 1,
      text: "",
    });
    expect(encodeFrame(0xff45, data)[1]).toBe(182);
  });
  it("a name longer than 128 bytes is refused before anything is sent", () => {
    const req = {
      password: 1,
      operationType: 1,
      quantity: 1,
      price: 1,
      sum: 1,
      tax: null,
      taxGroup: 1,
      department: 1,
      paymentMethod: 4,
      subject: 1,
    };
    expect(() => operation.encodeRequest({ ...req, name: "x".repeat(129) })).toThrow(/128/);
  });
  it("a short answer is a PROTOCOL_ERROR naming the field", () => {
    expect(() => fnStatus.decodeAnswer(Uint8Array.of(3, 0))).toThrow(
      expect.objectContaining({ kassaCode: "PROTOCOL_ERROR" }),
    );
  });
});

describe("symmetric definitions", () => {
  it("every command is registered by code once", () => {
    expect(byCode.size).toBe(51);
  });
  it("FF46 request round-trips", () => {
    fc.assert(
      fc.property(
        fc.record({
          password: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          operationType: fc.integer({ min: 1, max: 4 }),
          quantity: fc.integer({ min: 0, max: 2 ** 40 }).map((u) => u / 1e6),
          price: fc.integer({ min: 0, max: 2 ** 40 - 1 }),
          sum: fc.option(fc.integer({ min: 0, max: 2 ** 40 - 2 })),
          tax: fc.option(fc.integer({ min: 0, max: 2 ** 40 - 2 })),
          taxGroup: fc.integer({ min: 1, max: 6 }),
          department: fc.integer({ min: 0, max: 16 }),
          paymentMethod: fc.integer({ min: 1, max: 7 }),
          subject: fc.integer({ min: 1, max: 26 }),
          name: fc
            .string({ unit: fc.constantFrom(..."Молоко 3,2% 1л №ABCxyz"), maxLength: 60 })
            .map((s) => s.trim()),
        }),
        (req) => {
          expect(operation.decodeRequest(operation.encodeRequest(req))).toEqual(req);
        },
      ),
    );
  });
  it("FF45 request round-trips", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 ** 40 - 1 }), { minLength: 16, maxLength: 16 }),
        fc.integer({ min: 0, max: 99 }),
        fc.array(fc.integer({ min: 0, max: 2 ** 40 - 1 }), { minLength: 6, maxLength: 6 }),
        (payments, rounding, taxes) => {
          const req = { password: 1, payments, rounding, taxes, taxSystem: 1, text: "Спасибо" };
          expect(closeReceipt.decodeRequest(closeReceipt.encodeRequest(req))).toEqual(req);
        },
      ),
    );
  });
});
