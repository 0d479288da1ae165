/**
 * 0x14 set exchange parameters. Speed codes and the byte-timeout encoding: docs/fiscal-reference.md
 * "Handshake" (timeout byte 0–150 = ms, 151–249 = (n−149)×150 ms, 250–255 = (n−248)×15 s).
 */
import { defineCommand, type Empty, type PasswordRequest } from "./define.ts";

export const BAUD_RATES = [2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

export function baudCode(baudRate: number): number {
  const i = (BAUD_RATES as readonly number[]).indexOf(baudRate);
  if (i < 0) throw new TypeError(`"baudRate" must be one of ${BAUD_RATES.join(", ")}, got ${baudRate}`);
  return i;
}

export function byteTimeoutToMs(code: number): number {
  if (code <= 150) return code;
  if (code <= 249) return (code - 149) * 150;
  return (code - 248) * 15_000;
}

export function msToByteTimeout(ms: number): number {
  if (ms <= 150) return Math.max(0, Math.round(ms));
  if (ms <= 100 * 150) return Math.min(249, 149 + Math.ceil(ms / 150));
  return Math.min(255, 248 + Math.ceil(ms / 15_000));
}

export interface ExchangeParams extends PasswordRequest {
  port: number;
  baudCode: number;
  byteTimeout: number;
}

export const setExchangeParams = defineCommand<ExchangeParams, Empty>({
  code: 0x14,
  name: "set exchange parameters",
  writeRequest: (w, r) =>
    w
      .u32(r.password, "password")
      .u8(r.port, "port")
      .u8(r.baudCode, "baudCode")
      .u8(r.byteTimeout, "byteTimeout"),
  readRequest: (r) => ({
    password: r.u32("password"),
    port: r.u8("port"),
    baudCode: r.u8("baud code"),
    byteTimeout: r.u8("byte timeout"),
  }),
  writeAnswer: () => {},
  readAnswer: () => ({}),
});
