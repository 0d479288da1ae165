/**
 * The OFD's answer to one fiscal document ("operator confirmation", FFD document 7): session
 * header + an STLV 7 with 1012 date-time, 1041 FN number, 1040 FD number, 1078 operator's fiscal
 * sign and 1022 reply code. Writing it into the FN clears that document's unsent status.
 *
 * Reply code (tag 1022) is Kassa's convention, shared by its OFD emulator and client, not the
 * OFD's published table: 0 accepted; 254 temporary server error (retry later: what an HTTP 5xx
 * would say); anything else a permanent rejection with the reason in tag 1066. A real OFD signals
 * trouble mostly by dropping the connection, which the client also treats as temporary.
 */
import { readDocumentSummary } from "../ffd/document.ts";
import { FfdError } from "../ffd/errors.ts";
import { Tag } from "../ffd/tags.ts";
import { decodeTlvAt, decodeTlvRaw, encodeTlv, type TlvField, tlv } from "../ffd/tlv.ts";
import { OfdMessageError } from "./errors.ts";
import { decodeOfdMessage, encodeOfdMessage, SESSION_HEADER_LENGTH } from "./session-header.ts";

export const OFD_REPLY_ACCEPTED = 0;
export const OFD_REPLY_REJECTED = 1;
export const OFD_REPLY_SERVER_ERROR = 254;

export interface OfdConfirmation {
  fnNumber: string;
  fdNumber: number;
  /** FFD seconds (see ffd-time.ts) when the OFD accepted the document. */
  dateTime: number;
  /** 1078: the OFD's signature over the document (a keyed hash in Kassa's emulator). */
  operatorSign: Uint8Array;
  replyCode: number;
  /** 1066: the OFD's reason when it did not accept. */
  message?: string;
}

export function encodeConfirmation(confirmation: OfdConfirmation): Uint8Array {
  const fields: TlvField[] = [
    tlv.unixtime(Tag.DATE_TIME, confirmation.dateTime),
    tlv.string(Tag.FN_NUMBER, confirmation.fnNumber),
    tlv.u32(Tag.FD_NUMBER, confirmation.fdNumber),
    tlv.bytes(Tag.OPERATOR_FISCAL_SIGN, confirmation.operatorSign),
    tlv.byte(Tag.OFD_REPLY_CODE, confirmation.replyCode),
  ];
  if (confirmation.message !== undefined)
    fields.push(tlv.string(Tag.MESSAGE, confirmation.message.slice(0, 256)));
  const body = encodeTlv([tlv.stlv(Tag.OPERATOR_CONFIRMATION, fields)]);
  return encodeOfdMessage({ fnNumber: confirmation.fnNumber, body });
}

function bad(message: string, cause?: unknown): OfdMessageError {
  const error = new OfdMessageError(message);
  if (cause !== undefined) Object.defineProperty(error, "cause", { value: cause });
  return error;
}

/**
 * Parses an OFD answer (header + body) as Kassa's OFD emulator writes it.
 * @throws OfdMessageError
 */
export function decodeConfirmation(answer: Uint8Array): OfdConfirmation {
  const { header, body } = decodeOfdMessage(answer);
  let fields: TlvField[];
  try {
    const [outer, ...rest] = decodeTlvRaw(body, SESSION_HEADER_LENGTH);
    if (outer?.tag !== Tag.OPERATOR_CONFIRMATION || rest.length > 0) {
      throw bad("the OFD answer is not an operator confirmation (document 7)");
    }
    fields = decodeTlvAt(outer.value, outer.offset + 4);
  } catch (error) {
    if (error instanceof FfdError) throw bad(`the OFD answer does not parse: ${error.message}`, error);
    throw error;
  }
  const get = (tag: number) => fields.find((f) => f.tag === tag);
  const fd = get(Tag.FD_NUMBER);
  const time = get(Tag.DATE_TIME);
  const sign = get(Tag.OPERATOR_FISCAL_SIGN);
  const code = get(Tag.OFD_REPLY_CODE);
  const message = get(Tag.MESSAGE);
  if (fd?.type !== "u32" || time?.type !== "unixtime" || code?.type !== "byte") {
    throw bad("the OFD answer misses the FD number, date-time or reply code");
  }
  const confirmation: OfdConfirmation = {
    fnNumber: header.fnNumber,
    fdNumber: fd.value,
    dateTime: time.value,
    operatorSign: sign?.type === "bytes" ? sign.value : new Uint8Array(0),
    replyCode: code.value,
  };
  if (message?.type === "string") confirmation.message = message.value;
  return confirmation;
}

/** FN number and FD number of an outgoing FN message whose body is a plain TLV document (the emulated FN). */
export function describeOfdMessage(message: Uint8Array): { fnNumber: string; fdNumber: number | null } {
  const { header, body } = decodeOfdMessage(message);
  try {
    return { fnNumber: header.fnNumber, fdNumber: readDocumentSummary(body).fdNumber };
  } catch (error) {
    // A real FN's body is encrypted: the FD number is then unknown to the host.
    if (error instanceof FfdError) return { fnNumber: header.fnNumber, fdNumber: null };
    throw error;
  }
}

/** What the emulated FN hands to the relay for one document: header + the document's TLV. */
export function buildFnMessage(fnNumber: string, documentTlv: Uint8Array): Uint8Array {
  return encodeOfdMessage({ fnNumber, body: documentTlv });
}
