import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

// PIN hashes use the same `scrypt$N$r$p$<salt>$<hash>` format as the central server's passwords,
// so hashes made centrally verify here offline. A 4-8 digit PIN is weak on its own; the lockout
// after 5 failures is what protects it, the slow hash protects a stolen buffer file.
const PARAMS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;

function derive(pin: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize("NFKC"), salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPin(pin: string): Promise<string> {
  if (!/^\d{4,8}$/.test(pin)) throw new TypeError('"pin" must be 4-8 digits');
  const salt = randomBytes(16);
  const key = await derive(pin, salt, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await derive(pin, Buffer.from(salt, "base64"), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
