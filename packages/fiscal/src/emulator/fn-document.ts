/**
 * A fiscal document as the fake FN keeps it: the FFD 1.2 TLV (the value of the document's STLV,
 * whose tag is the document type) plus the attributes the KKT's FN commands answer with.
 */

import { Tag } from "../ffd/tags.ts";
import { decodeString, decodeTlvRaw, encodeTlv, type TlvField, tlv } from "../ffd/tlv.ts";

export interface FnDocument {
  fdNumber: number;
  /** FFD document type: 1 registration, 2 shift open, 3 receipt, 5 shift close, 31 correction receipt. */
  documentType: number;
  /** Device wall-clock time, `YYYY-MM-DDThh:mm:ss` (no zone). */
  dateTime: string;
  /** Absolute time (ms since epoch) the document was made: the 30-day rule counts from here. */
  issuedAtMs: number;
  /** The 4-byte fiscal sign (FP) as printed and returned by FF45. FAKE: see fiscal-sign.ts. */
  fiscalSign: number;
  shiftNumber: number;
  /** The document's TLV list. */
  tlv: Uint8Array;
  /** Tag 1192 when the host wrote it (Kassa's receipt id). */
  receiptTag: string | null;
  /** Receipts: calculation sign (1054) and total (1020). */
  operationType: number | null;
  total: number | null;
  /** Confirmed by the OFD (its receipt was written back into the FN). */
  ofdConfirmed: boolean;
}

/** Raw TLV bytes written by the host (FF0C / FF4D) as fields, bytes kept exactly. */
export function rawTlvFields(bytes: Uint8Array): TlvField[] {
  return decodeTlvRaw(bytes).map((raw) => tlv.bytes(raw.tag, raw.value.slice()));
}

/** Tag 1192 among host-written TLVs, decoded as CP866. */
export function receiptTagOf(fields: readonly TlvField[]): string | null {
  const f = fields.find((x) => x.tag === Tag.ADDITIONAL_RECEIPT_ATTRIBUTE);
  if (!f) return null;
  if (f.type === "bytes") return decodeString(f.value);
  if (f.type === "string") return f.value;
  return null;
}

/** The whole document as one STLV (tag = document type): what FFD readers and the OFD take. */
export function documentStlv(doc: FnDocument): Uint8Array {
  return encodeTlv([tlv.bytes(doc.documentType, doc.tlv)]);
}
