/**
 * OFD exchange commands: FF39 exchange status, FF3F unconfirmed documents, FF30–FF33 relay of the
 * FN's outgoing message and the OFD's answer. Layouts: Shtrih-M protocol v1.17 "Информационный
 * обмен"; the FF3F tail (oldest date) and the FF32/FF33 write semantics are *unverified* design
 * assumptions: the FN applies the OFD answer when its last byte has been written with FF33.
 */
import type { DeviceDateTime } from "../binary.ts";
import { defineCommand, type Empty, type PasswordRequest } from "./define.ts";

export interface OfdStatusAnswer {
  /** Bit flags of the exchange (bit 0 transport connected, bit 1 message waiting…). */
  exchangeStatus: number;
  /** 1 while a message is being read with FF31. */
  readingMessage: number;
  unsentCount: number;
  /** First document without an OFD confirmation, 0 when none. */
  firstUnsentFd: number;
  firstUnsentDateTime: DeviceDateTime;
}

export const ofdStatus = defineCommand<PasswordRequest, OfdStatusAnswer>({
  code: 0xff39,
  name: "OFD exchange status",
  writeRequest: (w, r) => w.u32(r.password, "password"),
  readRequest: (r) => ({ password: r.u32("password") }),
  writeAnswer: (w, a) =>
    w
      .u8(a.exchangeStatus)
      .u8(a.readingMessage)
      .u16(a.unsentCount)
      .u32(a.firstUnsentFd)
      .fnDateTime(a.firstUnsentDateTime),
  readAnswer: (r) => ({
    exchangeStatus: r.u8("exchange status"),
    readingMessage: r.u8("reading message"),
    unsentCount: r.u16("unsent count"),
    firstUnsentFd: r.u32("first unsent FD"),
    firstUnsentDateTime: r.fnDateTime("first unsent date"),
  }),
});

export const unconfirmedCount = defineCommand<PasswordRequest, { count: number }>({
  code: 0xff3f,
  name: "documents without OFD confirmation",
  writeRequest: (w, r) => w.u32(r.password, "password"),
  readRequest: (r) => ({ password: r.u32("password") }),
  writeAnswer: (w, a) => w.u16(a.count),
  readAnswer: (r) => ({ count: r.u16("count") }),
});

/** FF30: is a message for the OFD waiting? Its length, 0 when none. */
export const ofdMessageLength = defineCommand<PasswordRequest, { length: number }>({
  code: 0xff30,
  name: "OFD message available",
  writeRequest: (w, r) => w.u32(r.password, "password"),
  readRequest: (r) => ({ password: r.u32("password") }),
  writeAnswer: (w, a) => w.u16(a.length),
  readAnswer: (r) => ({ length: r.u16("length") }),
});

export interface BlockReadRequest extends PasswordRequest {
  offset: number;
  /** ≤ 250 so the answer fits one frame. */
  length: number;
}

export const MAX_OFD_BLOCK = 240;

/** FF31: a block of the FN's outgoing message. */
export const readOfdBlock = defineCommand<BlockReadRequest, { data: Uint8Array }>({
  code: 0xff31,
  name: "read OFD message block",
  writeRequest: (w, r) => w.u32(r.password, "password").u16(r.offset, "offset").u8(r.length, "length"),
  readRequest: (r) => ({ password: r.u32("password"), offset: r.u16("offset"), length: r.u8("length") }),
  writeAnswer: (w, a) => w.bytes(a.data),
  readAnswer: (r) => ({ data: r.rest() }),
});

/** FF32: start writing the OFD's answer of `length` bytes. */
export const startOfdAnswer = defineCommand<PasswordRequest & { length: number }, Empty>({
  code: 0xff32,
  name: "start writing OFD answer",
  writeRequest: (w, r) => w.u32(r.password, "password").u16(r.length, "length"),
  readRequest: (r) => ({ password: r.u32("password"), length: r.u16("length") }),
  writeAnswer: () => {},
  readAnswer: () => ({}),
});

/** FF33: a block of the OFD's answer; the FN applies it when the last byte is in. */
export const writeOfdBlock = defineCommand<PasswordRequest & { offset: number; data: Uint8Array }, Empty>({
  code: 0xff33,
  name: "write OFD answer block",
  writeRequest: (w, r) => w.u32(r.password, "password").u16(r.offset, "offset").bytes(r.data),
  readRequest: (r) => ({ password: r.u32("password"), offset: r.u16("offset"), data: r.rest() }),
  writeAnswer: () => {},
  readAnswer: () => ({}),
});
