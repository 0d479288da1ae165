import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FiscalReceipt } from "../device/fiscal-device.ts";
import { ITEM_SUBJECT, itemSubjectFromFfd, MEASURE_UNIT, receiptKindFromFfd, TAX_SYSTEM } from "./codes.ts";
import { decodeDocument, encodeDocument, type FfdDocument, readDocumentSummary } from "./document.ts";
import { FfdError, UnknownVatRateError } from "./errors.ts";
import { ffdTimeFromIso, ffdTimeToIso } from "./ffd-time.ts";
import { fiscalSignFromBytes, fiscalSignToBytes } from "./fiscal-sign.ts";
import { buildReceiptDocument, type FfdReceiptDocument } from "./receipt-document.ts";
import { Tag } from "./tags.ts";
import { decodeTlv, encodeTlv, tlv } from "./tlv.ts";
import { createVatRateTable } from "./vat-rates.ts";

const sale: FiscalReceipt = {
  receiptId: "K7F3A9C2D1E0B845",
  kind: "income",
  items: [
    {
      name: "Хлеб",
      price: 4500,
      quantity: 2,
      sum: 9000,
      vat: "vat10",
      subject: "goods",
      paymentMethod: "full_payment",
      unit: "pcs",
    },
    {
      name: "Сыр",
      price: 89990,
      quantity: 0.25,
      sum: 22498,
      vat: "vat20",
      subject: "goods",
      paymentMethod: "full_payment",
      unit: "kg",
    },
  ],
  payments: { cash: 50000, electronic: 1000 },
  taxSystem: "osn",
  cashier: { name: "Иванова А.", inn: "770123456789" },
};
const attributes = {
  dateTime: ffdTimeFromIso("2021-07-29T11:29:00"),
  fdNumber: 29,
  fnNumber: "9287440301120991",
  fiscalSign: "4281688307",
  shiftNumber: 12,
  receiptNumberInShift: 3,
};

describe("receipt document", () => {
  it("builds the FFD receipt from Kassa's receipt with FFD codes", () => {
    const doc = buildReceiptDocument(sale, attributes);
    expect(doc.calculationSign).toBe(1);
    expect(doc.taxSystem).toBe(1);
    expect(doc.items.map((i) => [i.vatRate, i.subject, i.paymentMethod, i.measureUnit])).toEqual([
      [2, 1, 4, 0],
      [1, 1, 4, 11],
    ]);
    expect(doc.total).toBe(31498);
    // Change is not part of the document: cash covers the total minus the electronic part.
    expect(doc.cash).toBe(30498);
    expect(doc.electronic).toBe(1000);
    expect(doc.additionalAttribute).toBe("K7F3A9C2D1E0B845");
    expect(doc.cashierInn).toBe("770123456789");
  });

  it("round-trips through TLV bytes and carries 1192, 1077 and the items", () => {
    const doc = buildReceiptDocument(sale, attributes);
    const bytes = encodeDocument(doc);
    expect(decodeDocument(bytes)).toEqual(doc);
    const [outer] = decodeTlv(bytes);
    expect(outer?.tag).toBe(3);
    expect(readDocumentSummary(bytes)).toEqual({
      documentType: 3,
      fdNumber: 29,
      fnNumber: "9287440301120991",
      dateTime: 1627558140,
      fiscalSign: "4281688307",
      receiptTag: "K7F3A9C2D1E0B845",
    });
  });

  it("rejects a receipt the FN would reject, saying what to do", () => {
    const short = { ...sale, payments: { cash: 100, electronic: 0 } };
    expect(() => buildReceiptDocument(short, attributes)).toThrow(/less than the total 31498: take the rest/);
    const card = { ...sale, payments: { cash: 0, electronic: 40000 } };
    expect(() => buildReceiptDocument(card, attributes)).toThrow(/change is only given from cash/);
    const noItems = { ...sale, items: [] };
    expect(() => buildReceiptDocument(noItems, attributes)).toThrow(FfdError);
    const fractional = { ...sale, items: [{ ...sale.items[0]!, sum: 10.5 }] };
    expect(() => buildReceiptDocument(fractional, attributes)).toThrow(/whole non-negative kopecks/);
    const badVat = { ...sale, items: [{ ...sale.items[0]!, vat: "vat18" }] };
    expect(() => buildReceiptDocument(badVat, attributes)).toThrow(UnknownVatRateError);
  });

  it("uses a configured VAT table (22 % from data)", () => {
    const table = createVatRateTable([{ id: "vat5", percent: 5, ffd1199: 7, shtrihTaxGroup: 7 }]);
    const five = {
      ...sale,
      items: [{ ...sale.items[0]!, vat: "vat5" }],
      payments: { cash: 9000, electronic: 0 },
    };
    expect(buildReceiptDocument(five, attributes, table).items[0]?.vatRate).toBe(7);
  });

  it("refuses a 1192 longer than FFD's 16 characters (a UUID does not fit)", () => {
    const doc = buildReceiptDocument(
      { ...sale, receiptId: "7f3a9c2d-1e0b-4845-9a1b-2c3d4e5f6a7b" },
      attributes,
    );
    expect(() => encodeDocument(doc)).toThrow(
      /1192 additional receipt attribute is 36 characters.*at most 16/,
    );
  });

  it("names the missing tag when a document read back is incomplete", () => {
    const bytes = encodeTlv([tlv.stlv(3, [tlv.u32(Tag.FD_NUMBER, 5)])]);
    expect(() => decodeDocument(bytes)).toThrow(
      /receipt document: required tag 1012 date and time is missing/,
    );
    expect(() => decodeDocument(encodeTlv([tlv.stlv(99, [])]))).toThrow(/type 99 is not modelled/);
    expect(() => decodeDocument(encodeTlv([tlv.u32(Tag.FD_NUMBER, 5)]))).toThrow(/fiscal document/);
    expect(() => readDocumentSummary(encodeTlv([tlv.stlv(2, [])]))).toThrow(/no 1040/);
  });

  it("round-trips any valid receipt document (property)", () => {
    const name = fc.string({ unit: fc.constantFrom(..."abcАБВ 1.-"), minLength: 1, maxLength: 30 });
    const item = fc.record({
      name,
      price: fc.nat({ max: 10_000_000 }),
      quantity: fc
        .tuple(fc.integer({ min: 1, max: 100_000_000 }), fc.integer({ min: 0, max: 6 }))
        .map(([m, s]) => m / 10 ** s),
      sum: fc.nat({ max: 10_000_000_000 }),
      vatRate: fc.integer({ min: 1, max: 12 }),
      subject: fc.constantFrom(...Object.values(ITEM_SUBJECT)),
      paymentMethod: fc.integer({ min: 1, max: 7 }),
      measureUnit: fc.constantFrom(...Object.values(MEASURE_UNIT)),
    });
    const receipt: fc.Arbitrary<FfdReceiptDocument> = fc.record(
      {
        kind: fc.constant("receipt" as const),
        dateTime: fc.nat({ max: 0xffffffff }),
        fdNumber: fc.nat({ max: 0xffffffff }),
        fnNumber: fc.stringMatching(/^\d{16}$/),
        fiscalSign: fc.nat({ max: 0xffffffff }).map(String),
        shiftNumber: fc.nat({ max: 0xffffffff }),
        receiptNumberInShift: fc.nat({ max: 0xffffffff }),
        calculationSign: fc.integer({ min: 1, max: 4 }),
        taxSystem: fc.constantFrom(...Object.values(TAX_SYSTEM)),
        items: fc.array(item, { minLength: 1, maxLength: 5 }),
        total: fc.maxSafeNat(),
        cash: fc.maxSafeNat(),
        electronic: fc.maxSafeNat(),
        prepayment: fc.maxSafeNat(),
        credit: fc.maxSafeNat(),
        counterProvision: fc.maxSafeNat(),
        cashier: name,
        cashierInn: fc.stringMatching(/^\d{12}$/),
        additionalAttribute: fc.stringMatching(/^[A-Z0-9]{1,16}$/),
      },
      {
        requiredKeys: [
          "kind",
          "dateTime",
          "fdNumber",
          "fnNumber",
          "fiscalSign",
          "shiftNumber",
          "receiptNumberInShift",
          "calculationSign",
          "taxSystem",
          "items",
          "total",
          "cash",
          "electronic",
          "prepayment",
          "credit",
          "counterProvision",
          "cashier",
        ],
      },
    );
    fc.assert(
      fc.property(receipt, (doc) => {
        expect(decodeDocument(encodeDocument(doc))).toEqual(doc);
      }),
      { numRuns: 300 },
    );
  });
});

describe("shift documents", () => {
  const base = {
    dateTime: 1627558140,
    fdNumber: 30,
    fnNumber: "9287440301120991",
    fiscalSign: "12345",
    shiftNumber: 12,
  };

  it("round-trips a shift open report", () => {
    const doc: FfdDocument = { kind: "shift_open", ...base, cashier: "Иванова А.", ffdVersion: 4 };
    const bytes = encodeDocument(doc);
    expect(bytes[0]).toBe(2);
    expect(decodeDocument(bytes)).toEqual(doc);
  });

  it("round-trips a shift close report with the unsent-documents counters", () => {
    const doc: FfdDocument = {
      kind: "shift_close",
      ...base,
      cashier: "Иванова А.",
      cashierInn: "770123456789",
      receiptsCount: 41,
      fdCount: 43,
      unsentCount: 2,
      firstUnsentDate: 1627550000,
      ofdTimeout: true,
    };
    const bytes = encodeDocument(doc);
    expect(bytes[0]).toBe(5);
    expect(decodeDocument(bytes)).toEqual(doc);
    expect(readDocumentSummary(bytes).receiptTag).toBeNull();
  });
});

describe("codes, time and fiscal sign", () => {
  it("maps enums to FFD codes and back", () => {
    expect(receiptKindFromFfd(2)).toBe("income_return");
    expect(itemSubjectFromFfd(4)).toBe("service");
    expect(() => itemSubjectFromFfd(99)).toThrow(/1212\) code 99/);
  });

  it("keeps FFD time as the till's wall clock, with no zone shift", () => {
    expect(ffdTimeFromIso("2021-07-29T11:29")).toBe(1627558140);
    expect(ffdTimeToIso(1627558140)).toBe("2021-07-29T11:29:00");
    expect(() => ffdTimeFromIso("2021-07-29T11:29:00Z")).toThrow(FfdError);
  });

  it("puts the printed FP in the last 4 bytes of tag 1077, big-endian", () => {
    expect(Buffer.from(fiscalSignToBytes("4281688307")).toString("hex")).toBe("0000ff3560f3");
    expect(fiscalSignFromBytes(fiscalSignToBytes("4281688307"))).toBe("4281688307");
    expect(() => fiscalSignToBytes("4294967296")).toThrow(FfdError);
    expect(() => fiscalSignToBytes("12a")).toThrow(FfdError);
  });
});
