/** Shift open (document type 2) and shift close (type 5) reports as typed models. */
import { FFD_VERSION_1_2 } from "./codes.ts";
import { fieldReader } from "./field-reader.ts";
import { fiscalSignFromBytes, fiscalSignToBytes } from "./fiscal-sign.ts";
import type { FfdDocumentAttributes } from "./receipt-document.ts";
import { Tag } from "./tags.ts";
import { type TlvField, tlv } from "./tlv.ts";

export interface FfdShiftOpenDocument extends FfdDocumentAttributes {
  kind: "shift_open";
  /** 1038 */
  shiftNumber: number;
  /** 1021 */
  cashier: string;
  /** 1203 */
  cashierInn?: string;
  /** 1209: 4 = FFD 1.2 */
  ffdVersion: number;
}

export interface FfdShiftCloseDocument extends FfdDocumentAttributes {
  kind: "shift_close";
  shiftNumber: number;
  cashier: string;
  cashierInn?: string;
  /** 1118 */
  receiptsCount: number;
  /** 1111 */
  fdCount: number;
  /** 1097: documents the OFD has not confirmed yet */
  unsentCount: number;
  /** 1098: FFD seconds of the oldest unconfirmed document (the 30-day rule counts from here) */
  firstUnsentDate?: number;
  /** 1053: the OFD has not answered in time */
  ofdTimeout: boolean;
}

function common(doc: FfdDocumentAttributes & { shiftNumber: number }): TlvField[] {
  return [
    tlv.unixtime(Tag.DATE_TIME, doc.dateTime),
    tlv.u32(Tag.FD_NUMBER, doc.fdNumber),
    tlv.string(Tag.FN_NUMBER, doc.fnNumber),
    tlv.bytes(Tag.FISCAL_SIGN, fiscalSignToBytes(doc.fiscalSign)),
    tlv.u32(Tag.SHIFT_NUMBER, doc.shiftNumber),
  ];
}

function cashierFields(doc: { cashier: string; cashierInn?: string }): TlvField[] {
  const fields = [tlv.string(Tag.CASHIER, doc.cashier)];
  if (doc.cashierInn !== undefined) fields.push(tlv.string(Tag.CASHIER_INN, doc.cashierInn));
  return fields;
}

export function shiftOpenToFields(doc: FfdShiftOpenDocument): TlvField[] {
  return [...common(doc), ...cashierFields(doc), tlv.byte(Tag.FFD_VERSION, doc.ffdVersion)];
}

export function shiftCloseToFields(doc: FfdShiftCloseDocument): TlvField[] {
  const fields = [
    ...common(doc),
    ...cashierFields(doc),
    tlv.u32(Tag.RECEIPTS_COUNT_IN_SHIFT, doc.receiptsCount),
    tlv.u32(Tag.FD_COUNT_IN_SHIFT, doc.fdCount),
    tlv.u32(Tag.UNSENT_DOCUMENTS_COUNT, doc.unsentCount),
  ];
  if (doc.firstUnsentDate !== undefined)
    fields.push(tlv.unixtime(Tag.FIRST_UNSENT_DATE, doc.firstUnsentDate));
  fields.push(tlv.byte(Tag.OFD_TIMEOUT_SIGN, doc.ofdTimeout ? 1 : 0));
  return fields;
}

function readCommon(fields: readonly TlvField[], where: string) {
  const r = fieldReader(fields, where);
  const base = {
    dateTime: r.number(Tag.DATE_TIME),
    fdNumber: r.number(Tag.FD_NUMBER),
    fnNumber: r.string(Tag.FN_NUMBER),
    fiscalSign: fiscalSignFromBytes(r.bytes(Tag.FISCAL_SIGN)),
    shiftNumber: r.number(Tag.SHIFT_NUMBER),
    cashier: r.optString(Tag.CASHIER) ?? "",
  };
  const cashierInn = r.optString(Tag.CASHIER_INN);
  return { r, base: cashierInn === undefined ? base : { ...base, cashierInn } };
}

export function shiftOpenFromFields(fields: readonly TlvField[]): FfdShiftOpenDocument {
  const { r, base } = readCommon(fields, "shift open report");
  return { kind: "shift_open", ...base, ffdVersion: r.optNumber(Tag.FFD_VERSION) ?? FFD_VERSION_1_2 };
}

export function shiftCloseFromFields(fields: readonly TlvField[]): FfdShiftCloseDocument {
  const { r, base } = readCommon(fields, "shift close report");
  const doc: FfdShiftCloseDocument = {
    kind: "shift_close",
    ...base,
    receiptsCount: r.optNumber(Tag.RECEIPTS_COUNT_IN_SHIFT) ?? 0,
    fdCount: r.optNumber(Tag.FD_COUNT_IN_SHIFT) ?? 0,
    unsentCount: r.optNumber(Tag.UNSENT_DOCUMENTS_COUNT) ?? 0,
    ofdTimeout: (r.optNumber(Tag.OFD_TIMEOUT_SIGN) ?? 0) !== 0,
  };
  const firstUnsentDate = r.optNumber(Tag.FIRST_UNSENT_DATE);
  if (firstUnsentDate !== undefined) doc.firstUnsentDate = firstUnsentDate;
  return doc;
}
