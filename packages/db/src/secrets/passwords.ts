import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

// Secrets chosen by people — dashboard passwords and cashiers' PINs — get a slow, salted hash (scrypt,
// node:crypto, no native add-on). One format for both, because a PIN hashed by the central server is
// verified offline by the till. Parameters are stored with the hash so they can be raised later.
//
// New hashes use the OWASP Password Storage Cheat Sheet's minimum for scrypt: N=2^17, r=8, p=1
// (128 MiB and about half a second per hash on a small machine).
const PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;

/**
 * What a stored hash may ask for before it is verified. The parameters come from the stored string —
 * for a till, from the central server — so they are checked like any input: too weak is refused (the
 * floor is the previous default, N=2^14, so hashes made before the raise still verify), and so much
 * work that one verification would exhaust the till's memory or CPU is refused too.
 */
export const SCRYPT_BOUNDS = {
  minN: 2 ** 14,
  maxN: 2 ** 18,
  minR: 8,
  maxR: 16,
  minP: 1,
  maxP: 4,
  /** 128·N·r bytes, scrypt's working memory; N=2^18 with r=8 is 256 MiB. */
  maxMemoryBytes: 256 * 1024 * 1024,
  minSaltBytes: 16,
} as const;

/** node:crypto refuses more than 32 MiB by default; the bounds above are the real limit. */
const MAX_MEM = SCRYPT_BOUNDS.maxMemoryBytes + 1024 * 1024;

export type PasswordHashErrorCode = "PASSWORD_HASH_PARAMETERS_REFUSED";

/** A stored hash this code will not verify (its parameters are out of bounds); nothing was computed. */
export class PasswordHashError extends Error {
  override readonly name = "PasswordHashError";
  readonly code: PasswordHashErrorCode = "PASSWORD_HASH_PARAMETERS_REFUSED";
}

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, { ...options, maxmem: MAX_MEM }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$<salt base64>$<hash base64>` */
export async function hashPassword(password: string): Promise<string> {
  if (password.length === 0) throw new TypeError('"password" must not be empty');
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64"), key.toString("base64")].join("$");
}

const INTEGER = /^[1-9]\d{0,9}$/;

/** N, r and p of a stored hash, or a PasswordHashError naming the one out of bounds. */
function checkedParams(n: string, r: string, p: string, salt: Buffer): { N: number; r: number; p: number } {
  const b = SCRYPT_BOUNDS;
  const refuse = (what: string) =>
    new PasswordHashError(
      `The stored password hash is refused: ${what}. Set the password or PIN again to store a current hash.`,
    );
  if (!INTEGER.test(n) || !INTEGER.test(r) || !INTEGER.test(p)) throw refuse("N, r and p must be integers");
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if ((params.N & (params.N - 1)) !== 0 || params.N < b.minN || params.N > b.maxN) {
    throw refuse(`N=${n} must be a power of two from ${b.minN} to ${b.maxN}`);
  }
  if (params.r < b.minR || params.r > b.maxR) throw refuse(`r=${r} must be from ${b.minR} to ${b.maxR}`);
  if (params.p < b.minP || params.p > b.maxP) throw refuse(`p=${p} must be from ${b.minP} to ${b.maxP}`);
  if (128 * params.N * params.r > b.maxMemoryBytes) {
    throw refuse(`N=${n} with r=${r} needs more than ${b.maxMemoryBytes / 2 ** 20} MiB`);
  }
  if (salt.length < b.minSaltBytes) throw refuse(`the salt must be at least ${b.minSaltBytes} bytes`);
  return params;
}

/**
 * True when `password` matches `stored`. A string that is not this format answers false; a hash in
 * this format whose parameters are out of SCRYPT_BOUNDS throws PasswordHashError before any work.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash, extra] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash || extra !== undefined) return false;
  const saltBytes = Buffer.from(salt, "base64");
  const params = checkedParams(n, r, p, saltBytes);
  const expected = Buffer.from(hash, "base64");
  const actual = await derive(password, saltBytes, params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
