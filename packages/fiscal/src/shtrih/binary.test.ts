import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter, decodeText, encodeText, toHex } from "./binary.ts";

describe("binary codecs", () => {
  it("money is 5 bytes little-endian kopecks", () => {
    expect(toHex(new ByteWriter().money(4281688307).toBytes())).toBe("F3 60 35 FF 00");
  });
  it("quantity is 6 bytes ×10⁶", () => {
    expect(toHex(new ByteWriter().quantity(1.5).toBytes())).toBe("60 E3 16 00 00 00");
  });
  it("null money is five 0xFF bytes (device computes)", () => {
    const b = new ByteWriter().moneyOrAuto(null).toBytes();
    expect(toHex(b)).toBe("FF FF FF FF FF");
    expect(new ByteReader(b).moneyOrAuto()).toBeNull();
  });
  it("rejects negative and fractional money with a TypeError naming the field", () => {
    expect(() => new ByteWriter().money(-1, "price")).toThrow(/"price"/);
    expect(() => new ByteWriter().money(1.5, "price")).toThrow(TypeError);
    expect(() => new ByteWriter().money(2 ** 40, "price")).toThrow(TypeError);
  });
  it("reading past the end names the field", () => {
    expect(() => new ByteReader(Uint8Array.of(1)).u32("FD number")).toThrow(/"FD number"/);
  });
  it("CP1251 and CP866 encode Cyrillic differently", () => {
    expect(toHex(encodeText("Я", "cp1251"))).toBe("DF");
    expect(toHex(encodeText("Я", "cp866"))).toBe("9F");
  });
  it("fixed text is zero padded and refuses to overflow", () => {
    expect(toHex(new ByteWriter().textFixed("AB", 4).toBytes())).toBe("41 42 00 00");
    expect(() => new ByteWriter().textFixed("ABCDE", 4)).toThrow(/holds 4/);
  });

  it("integers round-trip for every width", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.nat(), (bytes, seed) => {
        const v = seed % 2 ** (8 * bytes);
        expect(new ByteReader(new ByteWriter().uint(v, bytes).toBytes()).uint(bytes)).toBe(v);
      }),
    );
  });
  it("money and quantity round-trip", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 - 1 }),
        fc.integer({ min: 0, max: 2 ** 48 - 1 }),
        (m, qUnits) => {
          const q = qUnits / 1e6;
          const r = new ByteReader(new ByteWriter().money(m).quantity(q).toBytes());
          expect(r.money()).toBe(m);
          expect(r.quantity()).toBe(q);
        },
      ),
    );
  });
  it("Cyrillic text round-trips in CP1251 and CP866", () => {
    const cyr = fc.string({
      unit: fc.constantFrom(
        ..."АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя0123456789 .,-№%",
      ),
    });
    fc.assert(
      fc.property(cyr, fc.constantFrom("cp1251" as const, "cp866" as const), (s, enc) => {
        expect(decodeText(encodeText(s, enc), enc)).toBe(s);
      }),
    );
  });
  it("date-times round-trip in both formats", () => {
    const dt = fc.record({
      year: fc.integer({ min: 2000, max: 2099 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
    });
    fc.assert(
      fc.property(dt, (d) => {
        const r = new ByteReader(new ByteWriter().date(d).time(d).fnDateTime(d).toBytes());
        expect({ ...r.date(), ...r.time() }).toEqual(d);
        expect(r.fnDateTime()).toEqual({ ...d, second: 0 });
      }),
    );
  });
});
