/**
 * Byte codecs of Shtrih-M protocol v1: little-endian integers, 5-byte money in kopecks, 6-byte
 * quantities ×10⁶, CP1251 (device text) and CP866 (FFD strings), DD MM YY / hh mm ss dates and the
 * FN's 5-byte YY MM DD hh mm. Source: docs/fiscal-reference.md "Protocol v1 (serial) framing".
 */
import iconv from "iconv-lite";
import { FiscalDeviceError } from "../device/errors.ts";

/** A date-time as the device keeps it: local wall-clock time, no zone. */
export interface DeviceDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** `YYYY-MM-DDThh:mm:ss` (no zone: the device clock is local time). */
export function dateTimeToIso(dt: DeviceDateTime): string {
  return `${pad(dt.year, 4)}-${pad(dt.month)}-${pad(dt.day)}T${pad(dt.hour)}:${pad(dt.minute)}:${pad(dt.second)}`;
}

/** Wall-clock fields of a JS Date in the host's zone. */
export function dateToDeviceDateTime(date: Date): DeviceDateTime {
  return {
    year: date.getFullYear(),
    month: date.getMonth() + 1,
    day: date.getDate(),
    hour: date.getHours(),
    minute: date.getMinutes(),
    second: date.getSeconds(),
  };
}

export const MAX_MONEY = 2 ** 40 - 1;
export const MAX_QUANTITY_UNITS = 2 ** 48 - 1;
export const QUANTITY_SCALE = 1_000_000;

/** A short or malformed answer/request: the other side does not speak the format we expect. */
export function protocolError(message: string): FiscalDeviceError {
  return new FiscalDeviceError(
    "PROTOCOL_ERROR",
    `${message}. The device answered in an unexpected format: check the model and firmware, then retry.`,
  );
}

function checkUint(value: number, bytes: number, what: string): void {
  const max = 2 ** (8 * bytes) - 1;
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new TypeError(`"${what}" must be an integer 0..${max}, got ${value}`);
  }
}

/** Builds a byte string field by field. */
export class ByteWriter {
  private parts: number[] = [];

  uint(value: number, bytes: number, what = "value"): this {
    checkUint(value, bytes, what);
    let v = value;
    for (let i = 0; i < bytes; i++) {
      this.parts.push(v % 256);
      v = Math.floor(v / 256);
    }
    return this;
  }
  u8(v: number, what = "value"): this {
    return this.uint(v, 1, what);
  }
  u16(v: number, what = "value"): this {
    return this.uint(v, 2, what);
  }
  u32(v: number, what = "value"): this {
    return this.uint(v, 4, what);
  }
  /** Money, kopecks, 5 bytes LE. */
  money(kopecks: number, what = "money"): this {
    return this.uint(kopecks, 5, what);
  }
  /** Money or "device computes it" (five 0xFF bytes) when null. */
  moneyOrAuto(kopecks: number | null, what = "money"): this {
    if (kopecks === null) return this.fill(0xff, 5);
    return this.money(kopecks, what);
  }
  /** Quantity ×10⁶ in 6 bytes LE. */
  quantity(q: number, what = "quantity"): this {
    if (!Number.isFinite(q) || q < 0)
      throw new TypeError(`"${what}" must be a non-negative number, got ${q}`);
    return this.uint(Math.round(q * QUANTITY_SCALE), 6, what);
  }
  bytes(b: Uint8Array): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  fill(byte: number, count: number): this {
    for (let i = 0; i < count; i++) this.parts.push(byte);
    return this;
  }
  /** Text in CP1251, zero-padded (or cut) to exactly `length` bytes. */
  textFixed(text: string, length: number, encoding: TextEncoding = "cp1251"): this {
    const enc = encodeText(text, encoding);
    if (enc.length > length)
      throw new TypeError(`text "${text}" is ${enc.length} bytes; the field holds ${length}`);
    this.bytes(enc);
    return this.fill(0, length - enc.length);
  }
  /** DD MM YY */
  date(dt: DeviceDateTime): this {
    return this.u8(dt.day)
      .u8(dt.month)
      .u8(dt.year % 100);
  }
  /** hh mm ss */
  time(dt: DeviceDateTime): this {
    return this.u8(dt.hour).u8(dt.minute).u8(dt.second);
  }
  /** The FN's 5-byte YY MM DD hh mm. */
  fnDateTime(dt: DeviceDateTime): this {
    return this.u8(dt.year % 100)
      .u8(dt.month)
      .u8(dt.day)
      .u8(dt.hour)
      .u8(dt.minute);
  }
  toBytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** Reads fields in order; a read past the end throws a RangeError naming the field. */
export class ByteReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }
  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) {
      throw new RangeError(`"${what}" needs ${n} bytes at offset ${this.pos}, only ${this.remaining} left`);
    }
  }
  uint(bytes: number, what = "value"): number {
    this.need(bytes, what);
    let v = 0;
    for (let i = bytes - 1; i >= 0; i--) v = v * 256 + this.buf[this.pos + i]!;
    this.pos += bytes;
    return v;
  }
  u8(what = "value"): number {
    return this.uint(1, what);
  }
  u16(what = "value"): number {
    return this.uint(2, what);
  }
  u32(what = "value"): number {
    return this.uint(4, what);
  }
  money(what = "money"): number {
    return this.uint(5, what);
  }
  moneyOrAuto(what = "money"): number | null {
    this.need(5, what);
    if (this.buf.subarray(this.pos, this.pos + 5).every((b) => b === 0xff)) {
      this.pos += 5;
      return null;
    }
    return this.money(what);
  }
  quantity(what = "quantity"): number {
    return this.uint(6, what) / QUANTITY_SCALE;
  }
  bytes(n: number, what = "bytes"): Uint8Array {
    this.need(n, what);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  rest(): Uint8Array {
    const out = this.buf.slice(this.pos);
    this.pos = this.buf.length;
    return out;
  }
  /** Fixed-width text; trailing zero bytes are padding. */
  textFixed(length: number, encoding: TextEncoding = "cp1251", what = "text"): string {
    return decodeText(trimZeros(this.bytes(length, what)), encoding);
  }
  /** Text up to the end of the data (zero padding removed). */
  textRest(encoding: TextEncoding = "cp1251"): string {
    return decodeText(trimZeros(this.rest()), encoding);
  }
  date(what = "date"): Pick<DeviceDateTime, "year" | "month" | "day"> {
    const day = this.u8(what);
    const month = this.u8(what);
    const yy = this.u8(what);
    return { year: 2000 + yy, month, day };
  }
  time(what = "time"): Pick<DeviceDateTime, "hour" | "minute" | "second"> {
    return { hour: this.u8(what), minute: this.u8(what), second: this.u8(what) };
  }
  fnDateTime(what = "date-time"): DeviceDateTime {
    const year = 2000 + this.u8(what);
    return {
      year,
      month: this.u8(what),
      day: this.u8(what),
      hour: this.u8(what),
      minute: this.u8(what),
      second: 0,
    };
  }
}

export type TextEncoding = "cp1251" | "cp866" | "ascii";

export function encodeText(text: string, encoding: TextEncoding): Uint8Array {
  if (encoding === "ascii") return Uint8Array.from(Buffer.from(text, "latin1"));
  return Uint8Array.from(iconv.encode(text, encoding));
}

export function decodeText(bytes: Uint8Array, encoding: TextEncoding): string {
  if (encoding === "ascii") return Buffer.from(bytes).toString("latin1");
  return iconv.decode(Buffer.from(bytes), encoding);
}

export function trimZeros(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return bytes.subarray(0, end);
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(" ");
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-fA-F]/g, "");
  if (clean.length % 2 !== 0) throw new TypeError(`"hex" has an odd number of digits: ${hex}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
