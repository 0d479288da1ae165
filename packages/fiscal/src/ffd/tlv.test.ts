import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FfdError, TlvDecodeError } from "./errors.ts";
import { Tag, type TlvType } from "./tags.ts";
import {
  decodeFvln,
  decodeTlv,
  decodeTlvRaw,
  decodeVln,
  encodeFvln,
  encodeTlv,
  encodeVln,
  MAX_TLV_DEPTH,
  type TlvField,
  type TlvSchema,
  tlv,
} from "./tlv.ts";

const hex = (s: string) => Uint8Array.from(s.split(/\s+/).filter(Boolean), (b) => Number.parseInt(b, 16));
const toHex = (b: Uint8Array) =>
  Buffer.from(b)
    .toString("hex")
    .replace(/(..)(?!$)/g, "$1 ");

describe("TLV known vectors (hand-computed)", () => {
  it("encodes VLN in the fewest bytes, little-endian", () => {
    expect(toHex(encodeVln(0))).toBe("00");
    expect(toHex(encodeVln(255))).toBe("ff");
    expect(toHex(encodeVln(256))).toBe("00 01");
    expect(toHex(encodeVln(100000))).toBe("a0 86 01");
  });

  it("encodes FVLN with the decimal point position first", () => {
    expect(toHex(encodeFvln(1.5))).toBe("01 0f");
    expect(toHex(encodeFvln(2))).toBe("00 02");
    expect(toHex(encodeFvln(0.001))).toBe("03 01");
    expect(toHex(encodeFvln(1.25))).toBe("02 7d");
    expect(toHex(encodeFvln(1.1))).toBe("01 0b");
  });

  it("encodes a total (1020, VLN) with tag and length little-endian", () => {
    expect(toHex(encodeTlv([tlv.vln(Tag.TOTAL, 10000)]))).toBe("fc 03 02 00 10 27");
  });

  it("encodes a CP866 item name (1030)", () => {
    expect(toHex(encodeTlv([tlv.string(Tag.ITEM_NAME, "Хлеб")]))).toBe("06 04 04 00 95 ab a5 a1");
  });

  it("encodes an FD number (1040, u32) and a date-time (1012, UnixTime)", () => {
    expect(toHex(encodeTlv([tlv.u32(Tag.FD_NUMBER, 29)]))).toBe("10 04 04 00 1d 00 00 00");
    // 2021-07-29 11:29:00 = 1627558140 s
    expect(toHex(encodeTlv([tlv.unixtime(Tag.DATE_TIME, 1627558140)]))).toBe("f4 03 04 00 fc 90 02 61");
  });

  it("encodes an item STLV (1059) with nested fields", () => {
    const bytes = encodeTlv([tlv.stlv(Tag.ITEM, [tlv.string(Tag.ITEM_NAME, "A"), tlv.vln(Tag.PRICE, 100)])]);
    expect(toHex(bytes)).toBe("23 04 0a 00 06 04 01 00 41 37 04 01 00 64");
  });

  it("decodes the same vectors into typed fields using the FFD schema", () => {
    const fields = decodeTlv(
      hex("23 04 0a 00 06 04 01 00 41 37 04 01 00 64 fc 03 02 00 10 27 ff 03 02 00 01 0f"),
    );
    expect(fields).toEqual([
      {
        tag: 1059,
        type: "stlv",
        value: [
          { tag: 1030, type: "string", value: "A" },
          { tag: 1079, type: "vln", value: 100 },
        ],
      },
      { tag: 1020, type: "vln", value: 10000 },
      { tag: 1023, type: "fvln", value: 1.5 },
    ]);
  });

  it("accepts non-minimal VLN padding some devices write", () => {
    expect(decodeVln(hex("10 27 00 00 00 00"))).toBe(10000);
    expect(decodeFvln(hex("03 dc 05"))).toBe(1.5);
  });

  it("decodes unknown tags as raw bytes", () => {
    expect(decodeTlv(hex("0f 27 02 00 ab cd"))).toEqual([{ tag: 9999, type: "bytes", value: hex("ab cd") }]);
  });
});

describe("TLV strict decoding", () => {
  const expectDecodeError = (bytes: Uint8Array, code: string, offset?: number) => {
    try {
      decodeTlv(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(TlvDecodeError);
      expect((error as TlvDecodeError).code).toBe(code);
      if (offset !== undefined) expect((error as TlvDecodeError).offset).toBe(offset);
      return;
    }
    throw new Error("expected a TlvDecodeError");
  };

  it("rejects a header cut short", () => expectDecodeError(hex("fc 03 02"), "TLV_TRUNCATED", 0));
  it("rejects a value cut short", () => expectDecodeError(hex("fc 03 02 00 10"), "TLV_TRUNCATED", 0));
  it("rejects a length that overruns the buffer after a good field", () =>
    expectDecodeError(hex("fc 03 01 00 10 31 04 ff ff 00"), "TLV_TRUNCATED", 5));
  it("rejects a u32 of the wrong length", () =>
    expectDecodeError(hex("10 04 03 00 1d 00 00"), "TLV_BAD_LENGTH", 4));
  it("rejects a byte field of two bytes", () =>
    expectDecodeError(hex("1e 04 02 00 01 01"), "TLV_BAD_LENGTH"));
  it("rejects an empty VLN", () => expectDecodeError(hex("fc 03 00 00"), "TLV_BAD_LENGTH"));
  it("rejects a 9-byte VLN", () =>
    expectDecodeError(hex("fc 03 09 00 01 01 01 01 01 01 01 01 01"), "TLV_BAD_LENGTH"));
  it("rejects a VLN beyond 2^53", () =>
    expectDecodeError(hex("fc 03 08 00 ff ff ff ff ff ff ff ff"), "TLV_BAD_VALUE"));
  it("rejects an FVLN with an absurd decimal point", () =>
    expectDecodeError(hex("ff 03 02 00 63 01"), "TLV_BAD_VALUE"));
  it("rejects a malformed STLV body with the offset inside it", () =>
    expectDecodeError(hex("23 04 03 00 06 04 09"), "TLV_TRUNCATED", 4));

  it("rejects nesting deeper than any FFD document", () => {
    const schema: TlvSchema = () => "stlv";
    let nested: TlvField = tlv.stlv(1, []);
    for (let i = 0; i < MAX_TLV_DEPTH + 1; i++) nested = tlv.stlv(1, [nested]);
    expect(() => decodeTlv(encodeTlv([nested]), schema)).toThrow(TlvDecodeError);
  });

  it("never throws anything but TlvDecodeError on random garbage", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeTlv(bytes);
        } catch (error) {
          if (!(error instanceof TlvDecodeError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws anything but TlvDecodeError when a real document is cut or corrupted", () => {
    const doc = encodeTlv([
      tlv.stlv(Tag.RECEIPT, [
        tlv.unixtime(Tag.DATE_TIME, 1627558140),
        tlv.stlv(Tag.ITEM, [
          tlv.string(Tag.ITEM_NAME, "Молоко"),
          tlv.fvln(Tag.QUANTITY, 2.5),
          tlv.vln(Tag.PRICE, 8990),
        ]),
        tlv.vln(Tag.TOTAL, 22475),
      ]),
    ]);
    fc.assert(
      fc.property(
        fc.nat({ max: doc.length }),
        fc.nat({ max: doc.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (cut, at, byte) => {
          const copy = doc.slice(0, cut);
          if (at < copy.length) copy[at] = byte;
          try {
            decodeTlv(copy);
          } catch (error) {
            if (!(error instanceof TlvDecodeError)) throw error;
          }
        },
      ),
    );
  });

  it("refuses to encode what the format cannot carry", () => {
    expect(() => encodeTlv([tlv.vln(1020, -1)])).toThrow(FfdError);
    expect(() => encodeTlv([tlv.vln(1020, 1.5)])).toThrow(FfdError);
    expect(() => encodeTlv([tlv.byte(1054, 256)])).toThrow(FfdError);
    expect(() => encodeTlv([tlv.u32(70000, 1)])).toThrow(FfdError);
    expect(() => encodeTlv([tlv.bytes(1, new Uint8Array(70000))])).toThrow(/65535/);
    expect(() => encodeFvln(1 / 3)).toThrow(FfdError);
  });
});

describe("TLV round-trips (property)", () => {
  // The schema is carried by the tag: tag % 9 picks the type, so any generated tree decodes back.
  const types: TlvType[] = ["byte", "u16", "u32", "vln", "fvln", "unixtime", "string", "bytes", "stlv"];
  const schema: TlvSchema = (tag) => types[tag % types.length];
  const tagOf = (type: TlvType) => fc.nat({ max: 7000 }).map((k) => k * types.length + types.indexOf(type));
  // CP866 covers ASCII, Cyrillic, box drawing and a few symbols: round-trip the letters a receipt uses.
  const cp866Char = fc.constantFrom(
    ..."abcxyzABCXYZ0123456789 .,-№%()/АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюяЁё".split(
      "",
    ),
  );

  const scalar: fc.Arbitrary<TlvField> = fc.oneof(
    fc.record({
      tag: tagOf("byte"),
      type: fc.constant("byte" as const),
      value: fc.integer({ min: 0, max: 255 }),
    }),
    fc.record({
      tag: tagOf("u16"),
      type: fc.constant("u16" as const),
      value: fc.integer({ min: 0, max: 0xffff }),
    }),
    fc.record({ tag: tagOf("u32"), type: fc.constant("u32" as const), value: fc.nat({ max: 0xffffffff }) }),
    fc.record({ tag: tagOf("vln"), type: fc.constant("vln" as const), value: fc.maxSafeNat() }),
    fc.record({
      tag: tagOf("fvln"),
      type: fc.constant("fvln" as const),
      value: fc
        .tuple(fc.nat({ max: 1e12 }), fc.integer({ min: 0, max: 6 }))
        .map(([mantissa, scale]) => mantissa / 10 ** scale),
    }),
    fc.record({
      tag: tagOf("unixtime"),
      type: fc.constant("unixtime" as const),
      value: fc.nat({ max: 0xffffffff }),
    }),
    fc.record({
      tag: tagOf("string"),
      type: fc.constant("string" as const),
      value: fc.array(cp866Char, { maxLength: 64 }).map((cs) => cs.join("")),
    }),
    fc.record({
      tag: tagOf("bytes"),
      type: fc.constant("bytes" as const),
      value: fc.uint8Array({ maxLength: 40 }),
    }),
  );

  const { tree } = fc.letrec<{ tree: TlvField; node: TlvField }>((self) => ({
    node: fc.oneof({ depthSize: "small", maxDepth: 4, withCrossShrink: true }, scalar, self("tree")),
    tree: fc.record({
      tag: tagOf("stlv"),
      type: fc.constant("stlv" as const),
      value: fc.array(self("node"), { maxLength: 4 }),
    }),
  }));

  it("decode(encode(fields)) returns the fields for every type", () => {
    fc.assert(
      fc.property(fc.array(scalar, { maxLength: 10 }), (fields) => {
        expect(decodeTlv(encodeTlv(fields), schema)).toEqual(fields);
      }),
      { numRuns: 500 },
    );
  });

  it("round-trips nested STLV trees", () => {
    fc.assert(
      fc.property(fc.array(tree, { maxLength: 3 }), (fields) => {
        const bytes = encodeTlv(fields);
        expect(decodeTlv(bytes, schema)).toEqual(fields);
        // Encoding is canonical: decode → encode gives the same bytes.
        expect(encodeTlv(decodeTlv(bytes, schema))).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it("raw splitting preserves every element's bytes", () => {
    fc.assert(
      fc.property(fc.array(scalar, { maxLength: 10 }), (fields) => {
        const raw = decodeTlvRaw(encodeTlv(fields));
        expect(raw.map((r) => r.tag)).toEqual(fields.map((f) => f.tag));
      }),
    );
  });
});
