import { createHmac } from "node:crypto";

/**
 * FAKE fiscal sign. A real FN computes the document's fiscal sign (FPD, tag 1077) as a GOST
 * 28147-89 MAC with a key that never leaves the FN; only the FN and the tax service can check it.
 * The emulator stands in with HMAC-SHA256 over the FD number and the document's TLV under a
 * per-FN key, truncated to the 4 bytes of the printed FP. It is deterministic (same key and
 * document → same sign) and checkable by no one but the emulator: never present it as real.
 * Tag 1077's 6-byte layout is ffd/fiscal-sign.ts's.
 */
export function fakeFiscalSign(key: Uint8Array, fdNumber: number, documentTlv: Uint8Array): number {
  const fd = Buffer.alloc(4);
  fd.writeUInt32LE(fdNumber);
  return createHmac("sha256", key).update(fd).update(documentTlv).digest().readUInt32BE(0);
}
