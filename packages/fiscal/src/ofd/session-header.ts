/**
 * The 30-byte session header that starts every message between the FN (through the KKT or the
 * host) and the OFD, in both directions. Layout (little-endian numbers; yandex/ofd
 * ofd/protocol.py `SessionHeader`, struct '<IHH16sHHH'):
 *
 *   0–3   signature        2A 08 41 0A
 *   4–5   session protocol 81 A2
 *   6–7   app protocol     01 20 for FFD 1.2 (00 01 for FFD 1.0)
 *   8–23  FN number        16 ASCII digits
 *   24–25 body length      u16 LE (the vendor relay reads it to know how much follows)
 *   26–27 flags            u16 LE, passed through untouched
 *   28–29 CRC              u16 LE
 *
 * UNVERIFIED: which bytes the CRC covers. Kassa computes CRC-16/CCITT-FALSE over header bytes
 * 0–27 followed by the body, and the emulator checks it. The real body is a container encrypted
 * inside the FN; Kassa's emulated FN puts the document's plain TLV there instead.
 */
import { crc16Ccitt } from "./crc16.ts";
import { OfdMessageError } from "./errors.ts";

export const SESSION_HEADER_LENGTH = 30;
export const SESSION_SIGNATURE = Uint8Array.of(0x2a, 0x08, 0x41, 0x0a);
export const SESSION_PROTOCOL_VERSION = 0x81a2;
/** Application protocol version bytes 01 20 (FFD 1.2), read big-endian as 0x0120. */
export const APP_PROTOCOL_FFD_1_2 = 0x0120;
export const MAX_BODY_LENGTH = 0xffff;

export interface SessionHeader {
  /** 0x0120 for FFD 1.2 (bytes 6–7 read big-endian). */
  appVersion: number;
  fnNumber: string;
  bodyLength: number;
  flags: number;
  crc: number;
}

export interface OfdMessage {
  header: SessionHeader;
  body: Uint8Array;
}

function checkFnNumber(fnNumber: string): void {
  if (!/^\d{16}$/.test(fnNumber)) {
    throw new OfdMessageError(`FN number "${fnNumber}" must be 16 digits`);
  }
}

function messageCrc(header28: Uint8Array, body: Uint8Array): number {
  return crc16Ccitt(body, crc16Ccitt(header28));
}

/** Builds header + body. */
export function encodeOfdMessage(options: {
  fnNumber: string;
  body: Uint8Array;
  flags?: number;
  appVersion?: number;
}): Uint8Array {
  const { fnNumber, body, flags = 0, appVersion = APP_PROTOCOL_FFD_1_2 } = options;
  checkFnNumber(fnNumber);
  if (body.length > MAX_BODY_LENGTH) {
    throw new OfdMessageError(
      `message body is ${body.length} bytes; the session header allows at most 65535`,
    );
  }
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xffff)
    throw new OfdMessageError("flags must be a u16");
  const out = new Uint8Array(SESSION_HEADER_LENGTH + body.length);
  const view = new DataView(out.buffer);
  out.set(SESSION_SIGNATURE, 0);
  view.setUint16(4, SESSION_PROTOCOL_VERSION, false);
  view.setUint16(6, appVersion, false);
  for (let i = 0; i < 16; i++) out[8 + i] = fnNumber.charCodeAt(i);
  view.setUint16(24, body.length, true);
  view.setUint16(26, flags, true);
  out.set(body, SESSION_HEADER_LENGTH);
  view.setUint16(28, messageCrc(out.subarray(0, 28), body), true);
  return out;
}

/**
 * Parses the first 30 bytes: signature, versions, FN number, body length. Does not check the
 * CRC (that needs the body): a reader uses this to learn how many bytes follow.
 * @throws OfdMessageError
 */
export function decodeSessionHeader(bytes: Uint8Array): SessionHeader {
  if (bytes.length < SESSION_HEADER_LENGTH) {
    throw new OfdMessageError(`session header needs 30 bytes, got ${bytes.length}`);
  }
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== SESSION_SIGNATURE[i]) {
      throw new OfdMessageError("not an OFD message: the session header signature 2A 08 41 0A is missing");
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, SESSION_HEADER_LENGTH);
  const sessionVersion = view.getUint16(4, false);
  if (sessionVersion !== SESSION_PROTOCOL_VERSION) {
    throw new OfdMessageError(`unsupported session protocol version 0x${sessionVersion.toString(16)}`);
  }
  const fnBytes = bytes.subarray(8, 24);
  const fnNumber = String.fromCharCode(...fnBytes);
  if (!/^\d{16}$/.test(fnNumber))
    throw new OfdMessageError("the FN number in the session header is not 16 digits");
  return {
    appVersion: view.getUint16(6, false),
    fnNumber,
    bodyLength: view.getUint16(24, true),
    flags: view.getUint16(26, true),
    crc: view.getUint16(28, true),
  };
}

/**
 * Parses a whole message (exactly header + body) and checks its CRC.
 * @throws OfdMessageError
 */
export function decodeOfdMessage(bytes: Uint8Array, options: { verifyCrc?: boolean } = {}): OfdMessage {
  const header = decodeSessionHeader(bytes);
  const expected = SESSION_HEADER_LENGTH + header.bodyLength;
  if (bytes.length !== expected) {
    throw new OfdMessageError(`the header announces ${expected} bytes in all, got ${bytes.length}`);
  }
  const body = bytes.subarray(SESSION_HEADER_LENGTH);
  if ((options.verifyCrc ?? true) && messageCrc(bytes.subarray(0, 28), body) !== header.crc) {
    throw new OfdMessageError("OFD message CRC mismatch: the message was corrupted on the way");
  }
  return { header, body };
}
