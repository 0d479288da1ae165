/**
 * FFD TLV codec: tag u16 LE, length u16 LE, value. Pure functions over Uint8Array.
 *
 * Decoding is strict: anything that does not parse (bytes from a noisy serial line, a truncated
 * read) ends in a `TlvDecodeError` with the offset, never in a RangeError or an endless loop.
 * Encoding is lenient only where a fiscal document must not fail on a cashier's typo: characters
 * outside CP866 become "?" (what vendor drivers do).
 */
import iconv from "iconv-lite";
import { FfdError, TlvDecodeError } from "./errors.ts";
import { type TlvType, tagInfo } from "./tags.ts";

export type TlvField =
  | { tag: number; type: "byte" | "u16" | "u32" | "vln" | "unixtime" | "fvln"; value: number }
  | { tag: number; type: "string"; value: string }
  | { tag: number; type: "bytes"; value: Uint8Array }
  | { tag: number; type: "stlv"; value: TlvField[] };

/** A TLV element before its value is interpreted. `offset` is where its header starts. */
export interface RawTlv {
  tag: number;
  value: Uint8Array;
  offset: number;
}

/** Tells the typed decoder which type a tag has; `undefined` decodes it as raw bytes. */
export type TlvSchema = (tag: number) => TlvType | undefined;

export const ffdSchema: TlvSchema = (tag) => tagInfo(tag)?.type;

/** No FFD document nests deeper than 3 (document → item → product code); 8 leaves room. */
export const MAX_TLV_DEPTH = 8;
const MAX_VALUE_LENGTH = 0xffff;
const MAX_FVLN_SCALE = 15;

// ---------------------------------------------------------------------------------------------
// Scalar value codecs

function encodeError(message: string): FfdError {
  return new FfdError("TLV_ENCODE", message);
}

function checkUint(value: number, max: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw encodeError(`${what} must be an integer from 0 to ${max}, got ${value}`);
  }
}

/** VLN: unsigned little-endian integer in the fewest bytes (at least one). */
export function encodeVln(value: number): Uint8Array {
  checkUint(value, Number.MAX_SAFE_INTEGER, "VLN value");
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.push(rest % 256);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  return Uint8Array.from(bytes);
}

/** Accepts non-minimal encodings (zero high bytes), which some devices write. */
export function decodeVln(bytes: Uint8Array, offset = 0, tag?: number): number {
  if (bytes.length < 1 || bytes.length > 8) {
    throw new TlvDecodeError("TLV_BAD_LENGTH", `VLN must be 1–8 bytes, got ${bytes.length}`, { offset, tag });
  }
  let value = 0;
  for (let i = bytes.length - 1; i >= 0; i--) {
    value = value * 256 + (bytes[i] as number);
  }
  if (!Number.isSafeInteger(value)) {
    throw new TlvDecodeError("TLV_BAD_VALUE", "VLN exceeds 2^53 - 1", { offset, tag });
  }
  return value;
}

/**
 * FVLN: first byte = number of digits after the decimal point, then a VLN mantissa.
 * 1.5 → `01 0F`; 2 → `00 02`. Exact for values with up to 15 significant digits.
 */
export function encodeFvln(value: number): Uint8Array {
  if (!Number.isFinite(value) || value < 0) {
    throw encodeError(`FVLN value must be a finite non-negative number, got ${value}`);
  }
  for (let scale = 0; scale <= MAX_FVLN_SCALE; scale++) {
    const factor = 10 ** scale;
    const mantissa = Math.round(value * factor);
    if (mantissa / factor === value && Number.isSafeInteger(mantissa)) {
      const vln = encodeVln(mantissa);
      const out = new Uint8Array(1 + vln.length);
      out[0] = scale;
      out.set(vln, 1);
      return out;
    }
  }
  throw encodeError(`FVLN value ${value} has more than ${MAX_FVLN_SCALE} decimal digits`);
}

export function decodeFvlnParts(
  bytes: Uint8Array,
  offset = 0,
  tag?: number,
): { scale: number; mantissa: number } {
  if (bytes.length < 2 || bytes.length > 9) {
    throw new TlvDecodeError("TLV_BAD_LENGTH", `FVLN must be 2–9 bytes, got ${bytes.length}`, {
      offset,
      tag,
    });
  }
  const scale = bytes[0] as number;
  if (scale > MAX_FVLN_SCALE) {
    throw new TlvDecodeError("TLV_BAD_VALUE", `FVLN decimal point position ${scale} is out of range`, {
      offset,
      tag,
    });
  }
  return { scale, mantissa: decodeVln(bytes.subarray(1), offset + 1, tag) };
}

export function decodeFvln(bytes: Uint8Array, offset = 0, tag?: number): number {
  const { scale, mantissa } = decodeFvlnParts(bytes, offset, tag);
  return mantissa / 10 ** scale;
}

export function encodeString(value: string): Uint8Array {
  return new Uint8Array(iconv.encode(value, "cp866"));
}

export function decodeString(bytes: Uint8Array): string {
  // Every byte value maps to a character in CP866, so decoding cannot fail.
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), "cp866");
}

function encodeFixedUint(value: number, size: 1 | 2 | 4, what: string): Uint8Array {
  checkUint(value, 2 ** (8 * size) - 1, what);
  const out = new Uint8Array(size);
  let rest = value;
  for (let i = 0; i < size; i++) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return out;
}

function decodeFixedUint(
  bytes: Uint8Array,
  size: 1 | 2 | 4,
  type: TlvType,
  offset: number,
  tag?: number,
): number {
  if (bytes.length !== size) {
    throw new TlvDecodeError("TLV_BAD_LENGTH", `${type} must be ${size} byte(s), got ${bytes.length}`, {
      offset,
      tag,
    });
  }
  let value = 0;
  for (let i = size - 1; i >= 0; i--) value = value * 256 + (bytes[i] as number);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Fields

/** Encodes one field's value (without its tag/length header). */
export function encodeValue(field: TlvField): Uint8Array {
  switch (field.type) {
    case "byte":
      return encodeFixedUint(field.value, 1, `byte value of tag ${field.tag}`);
    case "u16":
      return encodeFixedUint(field.value, 2, `u16 value of tag ${field.tag}`);
    case "u32":
      return encodeFixedUint(field.value, 4, `u32 value of tag ${field.tag}`);
    case "unixtime":
      return encodeFixedUint(field.value, 4, `UnixTime value of tag ${field.tag}`);
    case "vln":
      return encodeVln(field.value);
    case "fvln":
      return encodeFvln(field.value);
    case "string":
      return encodeString(field.value);
    case "bytes":
      return field.value;
    case "stlv":
      return encodeTlv(field.value);
  }
}

/** Encodes a list of fields as consecutive TLVs. */
export function encodeTlv(fields: readonly TlvField[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const field of fields) {
    checkUint(field.tag, 0xffff, "TLV tag");
    const value = encodeValue(field);
    if (value.length > MAX_VALUE_LENGTH) {
      throw encodeError(`value of tag ${field.tag} is ${value.length} bytes; a TLV holds at most 65535`);
    }
    const header = new Uint8Array(4);
    header[0] = field.tag & 0xff;
    header[1] = field.tag >> 8;
    header[2] = value.length & 0xff;
    header[3] = value.length >> 8;
    parts.push(header, value);
    total += 4 + value.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Splits bytes into TLV elements without interpreting values.
 * @param baseOffset where `bytes` starts in the outermost buffer (for error offsets)
 */
export function decodeTlvRaw(bytes: Uint8Array, baseOffset = 0): RawTlv[] {
  const out: RawTlv[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 4) {
      throw new TlvDecodeError("TLV_TRUNCATED", `TLV header needs 4 bytes, ${bytes.length - at} left`, {
        offset: baseOffset + at,
      });
    }
    const tag = (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
    const length = (bytes[at + 2] as number) | ((bytes[at + 3] as number) << 8);
    if (bytes.length - at - 4 < length) {
      throw new TlvDecodeError(
        "TLV_TRUNCATED",
        `value declares ${length} bytes, ${bytes.length - at - 4} left`,
        { offset: baseOffset + at, tag },
      );
    }
    out.push({ tag, value: bytes.subarray(at + 4, at + 4 + length), offset: baseOffset + at });
    at += 4 + length;
  }
  return out;
}

function decodeField(raw: RawTlv, schema: TlvSchema, depth: number): TlvField {
  const { tag, value } = raw;
  const valueOffset = raw.offset + 4;
  const type = schema(tag) ?? "bytes";
  switch (type) {
    case "byte":
      return { tag, type, value: decodeFixedUint(value, 1, type, valueOffset, tag) };
    case "u16":
      return { tag, type, value: decodeFixedUint(value, 2, type, valueOffset, tag) };
    case "u32":
    case "unixtime":
      return { tag, type, value: decodeFixedUint(value, 4, type, valueOffset, tag) };
    case "vln":
      return { tag, type, value: decodeVln(value, valueOffset, tag) };
    case "fvln":
      return { tag, type, value: decodeFvln(value, valueOffset, tag) };
    case "string":
      return { tag, type, value: decodeString(value) };
    case "bytes":
      return { tag, type, value: value.slice() };
    case "stlv":
      if (depth >= MAX_TLV_DEPTH) {
        throw new TlvDecodeError("TLV_TOO_DEEP", `STLV nested deeper than ${MAX_TLV_DEPTH}`, {
          offset: raw.offset,
          tag,
        });
      }
      return { tag, type, value: decodeLevel(value, schema, depth + 1, valueOffset) };
  }
}

function decodeLevel(bytes: Uint8Array, schema: TlvSchema, depth: number, baseOffset: number): TlvField[] {
  return decodeTlvRaw(bytes, baseOffset).map((raw) => decodeField(raw, schema, depth));
}

/**
 * Decodes TLVs into typed fields using `schema` (FFD 1.2 by default). STLV values are decoded
 * recursively; unknown tags stay raw bytes.
 * @throws TlvDecodeError on any malformed input
 */
export function decodeTlv(bytes: Uint8Array, schema: TlvSchema = ffdSchema): TlvField[] {
  return decodeLevel(bytes, schema, 0, 0);
}

/** `decodeTlv` of a slice that starts at `baseOffset` of a larger buffer (error offsets stay absolute). */
export function decodeTlvAt(
  bytes: Uint8Array,
  baseOffset: number,
  schema: TlvSchema = ffdSchema,
): TlvField[] {
  return decodeLevel(bytes, schema, 1, baseOffset);
}

// ---------------------------------------------------------------------------------------------
// Builders and lookups, so documents read as lists of named fields

export const tlv = {
  byte: (tag: number, value: number): TlvField => ({ tag, type: "byte", value }),
  u32: (tag: number, value: number): TlvField => ({ tag, type: "u32", value }),
  vln: (tag: number, value: number): TlvField => ({ tag, type: "vln", value }),
  fvln: (tag: number, value: number): TlvField => ({ tag, type: "fvln", value }),
  unixtime: (tag: number, seconds: number): TlvField => ({ tag, type: "unixtime", value: seconds }),
  string: (tag: number, value: string): TlvField => ({ tag, type: "string", value }),
  bytes: (tag: number, value: Uint8Array): TlvField => ({ tag, type: "bytes", value }),
  stlv: (tag: number, value: TlvField[]): TlvField => ({ tag, type: "stlv", value }),
};

export function findField(fields: readonly TlvField[], tag: number): TlvField | undefined {
  return fields.find((f) => f.tag === tag);
}

export function findAll(fields: readonly TlvField[], tag: number): TlvField[] {
  return fields.filter((f) => f.tag === tag);
}
