/**
 * Whole fiscal documents: one outer STLV whose tag is the document type (3 receipt, 2 shift
 * open, 5 shift close), as the FN stores them and FF3A reads them back.
 */
import { DOCUMENT_TYPE } from "./codes.ts";
import { FfdError } from "./errors.ts";
import { fiscalSignFromBytes } from "./fiscal-sign.ts";
import { type FfdReceiptDocument, receiptFromFields, receiptToFields } from "./receipt-document.ts";
import {
  type FfdShiftCloseDocument,
  type FfdShiftOpenDocument,
  shiftCloseFromFields,
  shiftCloseToFields,
  shiftOpenFromFields,
  shiftOpenToFields,
} from "./shift-documents.ts";
import { describeTag, Tag, tagInfo } from "./tags.ts";
import { decodeTlvAt, decodeTlvRaw, encodeTlv, type TlvField, tlv } from "./tlv.ts";

export type FfdDocument = FfdReceiptDocument | FfdShiftOpenDocument | FfdShiftCloseDocument;

/** FFD string limits (1192 holds 16 characters: a UUID does not fit). */
function checkLengths(fields: readonly TlvField[]): void {
  for (const field of fields) {
    if (field.type === "stlv") {
      checkLengths(field.value);
      continue;
    }
    const max = tagInfo(field.tag)?.maxLength;
    if (field.type === "string" && max !== undefined && field.value.length > max) {
      throw new FfdError(
        "DOCUMENT_INVALID",
        `${describeTag(field.tag)} is ${field.value.length} characters; FFD 1.2 allows at most ${max}: shorten it`,
      );
    }
  }
}

export function documentToFields(doc: FfdDocument): TlvField {
  switch (doc.kind) {
    case "receipt":
      return tlv.stlv(DOCUMENT_TYPE.receipt, receiptToFields(doc));
    case "shift_open":
      return tlv.stlv(DOCUMENT_TYPE.shift_open, shiftOpenToFields(doc));
    case "shift_close":
      return tlv.stlv(DOCUMENT_TYPE.shift_close, shiftCloseToFields(doc));
  }
}

/** @throws FfdError DOCUMENT_INVALID (e.g. a string longer than FFD allows), TLV_ENCODE */
export function encodeDocument(doc: FfdDocument): Uint8Array {
  const field = documentToFields(doc);
  checkLengths([field]);
  return encodeTlv([field]);
}

/** The outer STLV of a document (whatever its type number), its body decoded with the FFD schema. */
function decodeOuter(bytes: Uint8Array): { documentType: number; fields: TlvField[] } {
  const top = decodeTlvRaw(bytes);
  const outer = top[0];
  if (top.length !== 1 || outer === undefined) {
    throw new FfdError(
      "DOCUMENT_INVALID",
      `a fiscal document must be exactly one STLV, got ${top.length} elements`,
    );
  }
  // Document forms are numbered below 1000; tags from 1000 up are fields, not documents.
  if (outer.tag >= 1000) {
    throw new FfdError(
      "DOCUMENT_INVALID",
      `a fiscal document starts with its type (< 1000), not ${describeTag(outer.tag)}`,
    );
  }
  return { documentType: outer.tag, fields: decodeTlvAt(outer.value, outer.offset + 4) };
}

/** @throws TlvDecodeError on malformed bytes, FfdError DOCUMENT_INVALID on an unknown type or missing tags */
export function decodeDocument(bytes: Uint8Array): FfdDocument {
  const { documentType, fields } = decodeOuter(bytes);
  switch (documentType) {
    case DOCUMENT_TYPE.receipt:
      return receiptFromFields(fields);
    case DOCUMENT_TYPE.shift_open:
      return shiftOpenFromFields(fields);
    case DOCUMENT_TYPE.shift_close:
      return shiftCloseFromFields(fields);
    default:
      throw new FfdError("DOCUMENT_INVALID", `document type ${documentType} is not modelled by Kassa`);
  }
}

/** What every document type has, read without knowing the type: enough for find-document and the OFD. */
export interface DocumentSummary {
  documentType: number;
  fdNumber: number;
  fnNumber: string | null;
  dateTime: number | null;
  fiscalSign: string | null;
  /** Tag 1192 (Kassa's receipt id) when present. */
  receiptTag: string | null;
}

export function readDocumentSummary(bytes: Uint8Array): DocumentSummary {
  const { documentType, fields } = decodeOuter(bytes);
  const find = (tag: number) => fields.find((f) => f.tag === tag);
  const fd = find(Tag.FD_NUMBER);
  if (fd?.type !== "u32") {
    throw new FfdError(
      "DOCUMENT_INVALID",
      `document type ${documentType} has no ${describeTag(Tag.FD_NUMBER)}`,
    );
  }
  const fn = find(Tag.FN_NUMBER);
  const time = find(Tag.DATE_TIME);
  const sign = find(Tag.FISCAL_SIGN);
  const receiptTag = find(Tag.ADDITIONAL_RECEIPT_ATTRIBUTE);
  return {
    documentType,
    fdNumber: fd.value,
    fnNumber: fn?.type === "string" ? fn.value : null,
    dateTime: time?.type === "unixtime" ? time.value : null,
    fiscalSign: sign?.type === "bytes" ? fiscalSignFromBytes(sign.value) : null,
    receiptTag: receiptTag?.type === "string" ? receiptTag.value : null,
  };
}
