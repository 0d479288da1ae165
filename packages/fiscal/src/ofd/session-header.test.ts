import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc16Ccitt } from "./crc16.ts";
import { OfdMessageError } from "./errors.ts";
import {
  decodeOfdMessage,
  decodeSessionHeader,
  encodeOfdMessage,
  SESSION_HEADER_LENGTH,
} from "./session-header.ts";

const toHex = (b: Uint8Array) =>
  Buffer.from(b)
    .toString("hex")
    .replace(/(..)(?!$)/g, "$1 ");
const FN = "9287440301120991";

describe("CRC-16/CCITT-FALSE", () => {
  it("matches the standard check value and the Shtrih-M protocol v2 trace", () => {
    expect(crc16Ccitt(new TextEncoder().encode("123456789"))).toBe(0x29b1);
    // fiscal-reference: trace 8F 04 00 14 00 1E 00 9B F9, CRC over LEN, NUM, DATA stored LE.
    expect(crc16Ccitt(Uint8Array.of(0x04, 0x00, 0x14, 0x00, 0x1e, 0x00))).toBe(0xf99b);
  });
});

describe("OFD session header", () => {
  it("encodes the 30-byte header byte for byte (CRC computed independently)", () => {
    const message = encodeOfdMessage({ fnNumber: FN, body: Uint8Array.of(1, 2, 3) });
    expect(toHex(message)).toBe(
      "2a 08 41 0a 81 a2 01 20 39 32 38 37 34 34 30 33 30 31 31 32 30 39 39 31 03 00 00 00 75 4c 01 02 03",
    );
  });

  it("decodes the header: FN number, body length at bytes 24–25, flags, version", () => {
    const message = encodeOfdMessage({ fnNumber: FN, body: new Uint8Array(300), flags: 0x0104 });
    expect(decodeSessionHeader(message)).toMatchObject({
      appVersion: 0x0120,
      fnNumber: FN,
      bodyLength: 300,
      flags: 0x0104,
    });
    expect(message[24]).toBe(0x2c);
    expect(message[25]).toBe(0x01);
  });

  it("round-trips any body (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 0, max: 0xffff }), (body, flags) => {
        const decoded = decodeOfdMessage(encodeOfdMessage({ fnNumber: FN, body, flags }));
        expect(decoded.body).toEqual(body);
        expect(decoded.header.flags).toBe(flags);
      }),
    );
  });

  it("detects any single corrupted byte after the signature", () => {
    const message = encodeOfdMessage({ fnNumber: FN, body: Uint8Array.of(9, 8, 7, 6) });
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: message.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, flip) => {
          const copy = message.slice();
          copy[at] = (copy[at] as number) ^ flip;
          expect(() => decodeOfdMessage(copy)).toThrow(OfdMessageError);
        },
      ),
    );
  });

  it("rejects bad input with a typed error", () => {
    const good = encodeOfdMessage({ fnNumber: FN, body: Uint8Array.of(1) });
    expect(() => decodeSessionHeader(good.subarray(0, 29))).toThrow(/30 bytes/);
    const badSignature = good.slice();
    badSignature[0] = 0x2b;
    expect(() => decodeSessionHeader(badSignature)).toThrow(/signature/);
    expect(() => decodeOfdMessage(good.subarray(0, SESSION_HEADER_LENGTH))).toThrow(/announces 31 bytes/);
    expect(() => encodeOfdMessage({ fnNumber: "123", body: new Uint8Array() })).toThrow(/16 digits/);
    expect(() => encodeOfdMessage({ fnNumber: FN, body: new Uint8Array(70000) })).toThrow(/65535/);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (garbage) => {
        try {
          decodeOfdMessage(garbage);
        } catch (error) {
          if (!(error instanceof OfdMessageError)) throw error;
        }
      }),
    );
  });
});
