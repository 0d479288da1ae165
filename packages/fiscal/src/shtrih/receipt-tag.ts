/**
 * What Kassa writes into tag 1192 ("additional receipt attribute") so a receipt can be recognized
 * on the device later. FFD 1.2 limits 1192 to 16 characters (ffd/tags.ts), and Kassa's receipt ids
 * are usually UUIDs: longer ids are written as the first 16 hex digits of their SHA-256 (64 bits,
 * enough to tell the receipts of one FN apart). Short printable ids are written as they are, so they
 * stay readable on the printed receipt.
 */
import { createHash } from "node:crypto";

export const RECEIPT_TAG_LENGTH = 16;

export function receiptTagFor(receiptId: string): string {
  if (typeof receiptId !== "string" || receiptId.length === 0) {
    throw new TypeError('"receiptId" must be a non-empty string');
  }
  if (receiptId.length <= RECEIPT_TAG_LENGTH && /^[\x21-\x7e]+$/.test(receiptId)) return receiptId;
  return createHash("sha256").update(receiptId, "utf8").digest("hex").slice(0, RECEIPT_TAG_LENGTH);
}
