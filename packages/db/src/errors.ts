/**
 * The data layer's one error type. `code` is stable (callers and tests switch on it); the message
 * says what went wrong and what to do next.
 */
export const DbErrorCode = {
  /** A migration already applied to this database has changed on disk since. */
  MIGRATION_CHECKSUM_MISMATCH: "MIGRATION_CHECKSUM_MISMATCH",
  /** A migration was started and never recorded as finished: part of it may be applied. */
  MIGRATION_HALF_APPLIED: "MIGRATION_HALF_APPLIED",
  /** A migration's SQL failed; its transaction was rolled back. */
  MIGRATION_FAILED: "MIGRATION_FAILED",
  /** The migrations folder is missing or holds something that is not a migration. */
  MIGRATIONS_FOLDER_INVALID: "MIGRATIONS_FOLDER_INVALID",
  /** A database setting (URL, data directory, file path) is unusable. */
  INVALID_DATABASE_CONFIG: "INVALID_DATABASE_CONFIG",
  /** The database server could not be reached or refused the login. */
  DATABASE_UNREACHABLE: "DATABASE_UNREACHABLE",
} as const;
export type DbErrorCode = (typeof DbErrorCode)[keyof typeof DbErrorCode];

export class DbError extends Error {
  override readonly name: string = "DbError";
  readonly code: DbErrorCode;

  constructor(code: DbErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A migration problem; `migration` names the folder (e.g. `20261122080000_init`). */
export class MigrationError extends DbError {
  override readonly name = "MigrationError";
  readonly migration: string | undefined;

  constructor(
    code: DbErrorCode,
    migration: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.migration = migration;
  }
}
