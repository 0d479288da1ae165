/**
 * Reads a fiscal document back from the FN: FF0A for its header (type, date, fiscal sign), then
 * FF3A + FF3B for its TLV (where tag 1192, Kassa's receipt id, lives). Never prints.
 */

import { FiscalDeviceError } from "../device/errors.ts";
import type { StoredDocument } from "../device/fiscal-device.ts";
import { Tag } from "../ffd/tags.ts";
import { decodeString, decodeTlvRaw, decodeVln, type RawTlv } from "../ffd/tlv.ts";
import { dateTimeToIso } from "./binary.ts";
import { findDocument, readDocumentTlv, requestDocumentTlv } from "./commands/index.ts";
import type { DeviceCaller } from "./device-call.ts";
import { ERR_NO_DATA } from "./error-codes.ts";

export interface ShtrihStoredDocument extends StoredDocument {
  /** Shift number (tag 1038, or FF0A for shift reports), null when the document carries none. */
  shiftNumber: number | null;
}

const isNoData = (err: unknown) => err instanceof FiscalDeviceError && err.deviceCode === ERR_NO_DATA;

export async function readStoredDocument(
  caller: DeviceCaller,
  password: number,
  fdNumber: number,
): Promise<ShtrihStoredDocument | null> {
  let header: Awaited<ReturnType<typeof findDocument.decodeAnswer>>;
  try {
    header = await caller.call(findDocument, { password, fdNumber }, { readOnly: true });
  } catch (err) {
    if (isNoData(err)) return null;
    throw err;
  }
  const tlvBytes = await readDocumentTlvBytes(caller, password, fdNumber);
  const raws = flatten(tlvBytes, fdNumber);
  const tag1192 = raws.find((r) => r.tag === Tag.ADDITIONAL_RECEIPT_ATTRIBUTE);
  const tag1038 = raws.find((r) => r.tag === Tag.SHIFT_NUMBER);
  const shiftFromHeader = header.details.kind === "shift" ? header.details.shiftNumber : null;
  return {
    fdNumber: header.fdNumber,
    documentType: header.documentType,
    dateTime: dateTimeToIso(header.dateTime),
    fiscalSign: String(header.fiscalSign),
    tlv: tlvBytes,
    receiptTag: tag1192 ? decodeString(tag1192.value) : null,
    shiftNumber: tag1038 ? decodeVln(tag1038.value) : shiftFromHeader,
  };
}

async function readDocumentTlvBytes(
  caller: DeviceCaller,
  password: number,
  fdNumber: number,
): Promise<Uint8Array> {
  const info = await caller.call(requestDocumentTlv, { password, fdNumber }, { readOnly: true });
  const out = new Uint8Array(info.length);
  let got = 0;
  while (got < info.length) {
    let block: Uint8Array;
    try {
      // Not readOnly: FF3B advances a cursor, so asking again after a lost answer would skip a block.
      ({ tlv: block } = await caller.call(readDocumentTlv, { password }));
    } catch (err) {
      if (isNoData(err)) break;
      throw err;
    }
    if (block.length === 0) break;
    out.set(block.subarray(0, info.length - got), got);
    got += block.length;
  }
  if (got < info.length) {
    throw new FiscalDeviceError(
      "PROTOCOL_ERROR",
      `Document ${fdNumber} came back short from the FN (${got} of ${info.length} bytes). Retry; call support if it repeats.`,
    );
  }
  return out;
}

/**
 * Top-level TLVs, plus those inside a wrapping document STLV (tag = document type < 100).
 * Bytes that do not parse are an error, never "no tags": recovery would take a receipt whose 1192
 * it cannot read for "not fiscalized" and print the sale a second time.
 */
function flatten(bytes: Uint8Array, fdNumber: number): RawTlv[] {
  try {
    const raws = decodeTlvRaw(bytes);
    const [only] = raws;
    return raws.length === 1 && only && only.tag < 100 ? [...raws, ...decodeTlvRaw(only.value)] : raws;
  } catch (err) {
    throw new FiscalDeviceError(
      "PROTOCOL_ERROR",
      `Document ${fdNumber} from the FN does not parse as TLV (${(err as Error).message}). Retry; call support if it repeats — do not repeat the sale by hand.`,
      { cause: err },
    );
  }
}
