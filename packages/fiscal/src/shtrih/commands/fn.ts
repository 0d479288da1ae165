/**
 * FN (fiscal storage) commands: FF01 status, FF40 shift parameters, FF0A find document,
 * FF3A / FF3B read a document as TLV. Layouts: Shtrih-M protocol v1.17 section "Команды ФН";
 * FF01 checked against the trace in docs/fiscal-reference.md. FF0A's per-type tail (receipt: operation
 * + sum; shift documents: shift number) follows v1.17 — *unverified* on hardware.
 */
import type { DeviceDateTime } from "../binary.ts";
import { defineCommand, type PasswordRequest } from "./define.ts";

/** FF01 warning flag bits. */
export const FnWarningBits = {
  keyExpiresIn3Days: 1 << 0,
  keyExpiresIn30Days: 1 << 1,
  archiveNearlyFull: 1 << 2,
  ofdTimeout: 1 << 3,
} as const;

export const FN_NUMBER_LENGTH = 16;

export interface FnStatusAnswer {
  /** 3 = fiscal mode. */
  lifePhase: number;
  /** Document open in the FN (0 none, 1 registration, 2 shift open, 4 receipt, 8 shift close…). */
  currentDocument: number;
  /** 0 no document data received, 1 received. */
  documentData: number;
  shiftOpen: boolean;
  warnings: number;
  /** Date-time of the last document. */
  dateTime: DeviceDateTime;
  /** 16 ASCII digits. */
  fnNumber: string;
  lastFdNumber: number;
}

export const fnStatus = defineCommand<PasswordRequest, FnStatusAnswer>({
  code: 0xff01,
  name: "FN status",
  writeRequest: (w, r) => w.u32(r.password, "password"),
  readRequest: (r) => ({ password: r.u32("password") }),
  writeAnswer: (w, a) =>
    w
      .u8(a.lifePhase)
      .u8(a.currentDocument)
      .u8(a.documentData)
      .u8(a.shiftOpen ? 1 : 0)
      .u8(a.warnings)
      .fnDateTime(a.dateTime)
      .textFixed(a.fnNumber, FN_NUMBER_LENGTH, "ascii")
      .u32(a.lastFdNumber, "lastFdNumber"),
  readAnswer: (r) => ({
    lifePhase: r.u8("life phase"),
    currentDocument: r.u8("current document"),
    documentData: r.u8("document data"),
    shiftOpen: r.u8("shift state") === 1,
    warnings: r.u8("warnings"),
    dateTime: r.fnDateTime(),
    fnNumber: r.textFixed(FN_NUMBER_LENGTH, "ascii", "FN number"),
    lastFdNumber: r.u32("last FD number"),
  }),
});

export interface ShiftParamsAnswer {
  shiftOpen: boolean;
  shiftNumber: number;
  /** Receipt number within the shift. */
  receiptNumber: number;
}

export const shiftParams = defineCommand<PasswordRequest, ShiftParamsAnswer>({
  code: 0xff40,
  name: "current shift parameters",
  writeRequest: (w, r) => w.u32(r.password, "password"),
  readRequest: (r) => ({ password: r.u32("password") }),
  writeAnswer: (w, a) =>
    w
      .u8(a.shiftOpen ? 1 : 0)
      .u16(a.shiftNumber)
      .u16(a.receiptNumber),
  readAnswer: (r) => ({
    shiftOpen: r.u8("shift state") === 1,
    shiftNumber: r.u16("shift number"),
    receiptNumber: r.u16("receipt number"),
  }),
});

export interface FdNumberRequest extends PasswordRequest {
  fdNumber: number;
}

/** FFD document types (FF0A / FF3A). */
export const DocumentType = {
  registration: 1,
  shiftOpen: 2,
  receipt: 3,
  bso: 4,
  shiftClose: 5,
  fnClose: 6,
  operatorConfirmation: 7,
  registrationChange: 11,
  calculationsReport: 21,
  correctionReceipt: 31,
} as const;

export type FoundDocumentDetails =
  | { kind: "receipt"; operationType: number; total: number }
  | { kind: "shift"; shiftNumber: number }
  | { kind: "other"; bytes: Uint8Array };

export interface FoundDocument {
  documentType: number;
  ofdAcknowledged: boolean;
  dateTime: DeviceDateTime;
  fdNumber: number;
  fiscalSign: number;
  details: FoundDocumentDetails;
}

export const findDocument = defineCommand<FdNumberRequest, FoundDocument>({
  code: 0xff0a,
  name: "find fiscal document by number",
  writeRequest: (w, r) => w.u32(r.password, "password").u32(r.fdNumber, "fdNumber"),
  readRequest: (r) => ({ password: r.u32("password"), fdNumber: r.u32("FD number") }),
  writeAnswer: (w, a) => {
    w.u8(a.documentType)
      .u8(a.ofdAcknowledged ? 1 : 0)
      .fnDateTime(a.dateTime)
      .u32(a.fdNumber)
      .u32(a.fiscalSign);
    const d = a.details;
    if (d.kind === "receipt") w.u8(d.operationType).money(d.total);
    else if (d.kind === "shift") w.u16(d.shiftNumber);
    else w.bytes(d.bytes);
  },
  readAnswer: (r) => {
    const documentType = r.u8("document type");
    const ofdAcknowledged = r.u8("OFD acknowledged") === 1;
    const dateTime = r.fnDateTime();
    const fdNumber = r.u32("FD number");
    const fiscalSign = r.u32("fiscal sign");
    let details: FoundDocumentDetails;
    if (documentType === DocumentType.receipt || documentType === DocumentType.correctionReceipt) {
      details = { kind: "receipt", operationType: r.u8("operation type"), total: r.money("total") };
    } else if (documentType === DocumentType.shiftOpen || documentType === DocumentType.shiftClose) {
      details = { kind: "shift", shiftNumber: r.u16("shift number") };
    } else {
      details = { kind: "other", bytes: r.rest() };
    }
    return { documentType, ofdAcknowledged, dateTime, fdNumber, fiscalSign, details };
  },
});

export interface DocumentTlvInfo {
  /** FFD document type (u16). */
  documentType: number;
  /** Length of the document's TLV, bytes. */
  length: number;
}

/** FF3A: select a document for TLV reading. Follow with FF3B until `length` bytes were read. */
export const requestDocumentTlv = defineCommand<FdNumberRequest, DocumentTlvInfo>({
  code: 0xff3a,
  name: "request fiscal document as TLV",
  writeRequest: (w, r) => w.u32(r.password, "password").u32(r.fdNumber, "fdNumber"),
  readRequest: (r) => ({ password: r.u32("password"), fdNumber: r.u32("FD number") }),
  writeAnswer: (w, a) => w.u16(a.documentType).u16(a.length),
  readAnswer: (r) => ({ documentType: r.u16("document type"), length: r.u16("length") }),
});

/** FF3B: the next block of the selected document's TLV (the device sends one TLV per call). */
export const readDocumentTlv = defineCommand<PasswordRequest, { tlv: Uint8Array }>({
  code: 0xff3b,
  name: "read fiscal document TLV",
  writeRequest: (w, r) => w.u32(r.password, "password"),
  readRequest: (r) => ({ password: r.u32("password") }),
  writeAnswer: (w, a) => w.bytes(a.tlv),
  readAnswer: (r) => ({ tlv: r.rest() }),
});
