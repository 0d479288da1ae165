import { randomBytes } from "node:crypto";

// Crockford base32, as in the ULID spec (https://github.com/ulid/spec): sortable by creation time,
// 26 characters, no ambiguous letters. Ids are generated on tills and servers alike, so they must
// not need a central sequence.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A new ULID-shaped id: 10 characters of millisecond time + 16 characters (80 bits) of randomness. */
export function newId(now: number = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = "";
  for (let i = 0; i < 16; i++) random += ALPHABET[(bytes[i] ?? 0) % 32];
  return time + random;
}
