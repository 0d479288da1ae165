export { DbError, DbErrorCode, MigrationError } from "../errors.ts";
export type { MigrationBackend, MigrationDialect, MigrationSession } from "./backend.ts";
export { checksumOf, type MigrationFile, readMigrationFiles } from "./migration-files.ts";
export { agentMigrationsDir, centralMigrationsDir } from "./paths.ts";
export { pgBackend } from "./pg-backend.ts";
export { pgliteBackend } from "./pglite-backend.ts";
export {
  MIGRATIONS_TABLE,
  type MigrationResult,
  type RunMigrationsOptions,
  runMigrations,
} from "./run-migrations.ts";
export { sqliteBackend } from "./sqlite-backend.ts";
