import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * A terminal's credential is `<terminal id>.<secret>`, the secret 32 random bytes in base64url. Only
 * SHA-256 of the secret is stored. A slow password hash (scrypt, argon2) exists to make guessing a
 * low-entropy password expensive; a 256-bit random secret cannot be guessed or brute-forced from
 * its SHA-256 at all, so a slow hash would only add CPU to every sync call.
 */
export interface TerminalCredential {
  /** Shown once, at provisioning; the till keeps it. */
  key: string;
  /** What the `terminals.key_hash` column stores. */
  keyHash: string;
}

const SECRET_BYTES = 32;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const HASH_PATTERN = /^[0-9a-f]{64}$/;

export function generateTerminalKey(terminalId: string): string {
  if (!terminalId || terminalId.includes(".")) {
    throw new TypeError(`"terminalId" must be a non-empty id without ".", got ${JSON.stringify(terminalId)}`);
  }
  return `${terminalId}.${randomBytes(SECRET_BYTES).toString("base64url")}`;
}

/** Generates a key and its hash in one go, for provisioning and key rotation. */
export function issueTerminalCredential(terminalId: string): TerminalCredential {
  const key = generateTerminalKey(terminalId);
  return { key, keyHash: hashTerminalSecret(parseTerminalKey(key)!.secret) };
}

/** Splits a key into the terminal id (to look the terminal up) and the secret; null if malformed. */
export function parseTerminalKey(key: string): { terminalId: string; secret: string } | null {
  const dot = key.indexOf(".");
  if (dot <= 0) return null;
  const terminalId = key.slice(0, dot);
  const secret = key.slice(dot + 1);
  return SECRET_PATTERN.test(secret) ? { terminalId, secret } : null;
}

export function hashTerminalSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/**
 * True when `key`'s secret hashes to `storedHash` (the row found by the key's terminal id).
 * Compared in constant time so response timing leaks nothing about the stored hash.
 */
export function verifyTerminalKey(key: string, storedHash: string): boolean {
  const parsed = parseTerminalKey(key);
  if (!parsed || !HASH_PATTERN.test(storedHash)) return false;
  const actual = Buffer.from(hashTerminalSecret(parsed.secret), "hex");
  return timingSafeEqual(actual, Buffer.from(storedHash, "hex"));
}
