export { hashPassword, PasswordHashError, SCRYPT_BOUNDS, verifyPassword } from "./passwords.ts";
