import { verifyPassword } from "@kassa/db/secrets";

export { PasswordHashError } from "@kassa/db/secrets";

// PINs use the central server's password format (`@kassa/db/secrets`), so a PIN hashed centrally
// verifies here offline. A 4-8 digit PIN is weak on its own; the lockout after 5 failures is what
// protects it, the slow hash protects a stolen buffer file.

export { hashPin } from "@kassa/db/secrets";

/** Throws PasswordHashError for a stored hash whose scrypt parameters are out of bounds. */
export function verifyPin(pin: string, stored: string): Promise<boolean> {
  return verifyPassword(pin, stored);
}
