export {
  hashPassword,
  hashPin,
  PasswordHashError,
  PIN_PARAMS,
  SCRYPT_BOUNDS,
  verifyPassword,
} from "./passwords.ts";
