/**
 * Tag 1077 "fiscal sign of the document" (ФПД) is 6 bytes; the number printed on the receipt
 * and returned by Shtrih-M FF45 as a u32 (the "FP") is its last 4 bytes read big-endian.
 * UNVERIFIED against a real FN dump: the first 2 bytes are written as zero here. Kassa compares
 * documents by the decimal FP string, which this layout preserves either way.
 */
import { FfdError } from "./errors.ts";

export function fiscalSignToBytes(fiscalSign: string): Uint8Array {
  if (!/^\d{1,10}$/.test(fiscalSign) || Number(fiscalSign) > 0xffffffff) {
    throw new FfdError(
      "DOCUMENT_INVALID",
      `fiscal sign "${fiscalSign}" must be a decimal number from 0 to 4294967295`,
    );
  }
  const out = new Uint8Array(6);
  new DataView(out.buffer).setUint32(2, Number(fiscalSign), false);
  return out;
}

export function fiscalSignFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 6 && bytes.length !== 4) {
    throw new FfdError(
      "DOCUMENT_INVALID",
      `tag 1077 fiscal sign must be 6 (or 4) bytes, got ${bytes.length}`,
    );
  }
  return String(
    new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(bytes.length - 4, false),
  );
}
