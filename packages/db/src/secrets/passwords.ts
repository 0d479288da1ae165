import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

// Secrets chosen by people — dashboard passwords and cashiers' PINs — get a slow, salted hash (scrypt,
// node:crypto, no native add-on). One format for both, because a PIN hashed by the central server is
// verified offline by the till. Parameters are stored with the hash so they can be raised later.
//
// New hashes use the OWASP Password Storage Cheat Sheet's minimum for scrypt. The sheet lists
// equivalent settings that trade memory for parallel work (N=2^17 r=8 p=1, N=2^16 p=2, N=2^15 p=3,
// N=2^14 p=5, N=2^13 p=10):
// - dashboard passwords (verified by the central server): N=2^17, r=8, p=1 — 128 MiB per check;
// - cashiers' PINs (verified on the till, whose whole agent must stay within 150 MB RSS): N=2^14,
//   r=8, p=5 — the same order of work in 16 MiB (p runs sequentially in node:crypto).
const PASSWORD_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
export const PIN_PARAMS = { N: 2 ** 14, r: 8, p: 5 } as const;
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
  maxP: 16,
  /** N·r·p, scrypt's CPU work: at most twice the password default, so no stored hash costs more. */
  maxWork: 2 * 2 ** 17 * 8,
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
  return hashWith(password, PASSWORD_PARAMS);
}

/** A cashier's PIN (4–8 digits), hashed with the till-sized parameters (PIN_PARAMS); same format. */
export async function hashPin(pin: string): Promise<string> {
  if (!/^\d{4,8}$/.test(pin)) throw new TypeError('"pin" must be 4-8 digits');
  return hashWith(pin, PIN_PARAMS);
}

async function hashWith(secret: string, params: { N: number; r: number; p: number }): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, params);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64"), key.toString("base64")].join("$");
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
  if (params.N * params.r * params.p > b.maxWork) {
    throw refuse(`N=${n}, r=${r}, p=${p} is more work than ${b.maxWork} (N·r·p)`);
  }
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
