// The generated client: PrismaClient, the Prisma namespace, model types and enums (Role, …).
export * from "../../generated/central/client.ts";
export { DbError, DbErrorCode, MigrationError } from "../errors.ts";
export { newId } from "../ids.ts";
export { hashPassword, hashPin, PasswordHashError, verifyPassword } from "../secrets/passwords.ts";
export {
  type CentralDatabase,
  type CentralDatabaseOptions,
  createCentralDatabase,
  DEFAULT_PGLITE_DIR,
} from "./create-central-database.ts";
export type { RawSql } from "./raw-sql.ts";
export {
  generateTerminalKey,
  hashTerminalSecret,
  issueTerminalCredential,
  parseTerminalKey,
  type TerminalCredential,
  verifyTerminalKey,
} from "./terminal-credentials.ts";
