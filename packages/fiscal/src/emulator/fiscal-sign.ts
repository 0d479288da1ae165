import { createHmac } from "node:crypto";

/**
 * FAKE fiscal sign. A real FN computes the document's fiscal sign (FPD, tag 1077) as a GOST
 * 28147-89 MAC with a key that never leaves the FN; only the FN and the tax service can check it.
 * The emulator stands in with HMAC-SHA256 over the document's TLV and FD number under a per-FN
 * key. It is deterministic (same key + document → same sign) and not checkable by anyone but the
 * emulator: never present it as a real fiscal sign.
 */
export interface FakeFiscalSign {
  /** The 6 bytes stored as tag 1077. */
  tag1077: Uint8Array;
  /** The 4-byte sign printed on the receipt and returned by FF45 (u32 of tag1077[2..6], big-endian). */
  fp: number;
}

export function fakeFiscalSign(key: Uint8Array, fdNumber: number, documentTlv: Uint8Array): FakeFiscalSign {
  const mac = createHmac("sha256", key);
  const fd = Buffer.alloc(4);
  fd.writeUInt32LE(fdNumber);
  mac.update(fd);
  mac.update(documentTlv);
  const digest = mac.digest();
  const tag1077 = Uint8Array.from(digest.subarray(0, 6));
  return { tag1077, fp: digest.readUInt32BE(2) };
}
