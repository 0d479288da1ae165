import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DbErrorCode, MigrationError } from "../errors.ts";

export interface MigrationFile {
  /** The folder name, e.g. `20261122080000_init`; migrations run in name order. */
  readonly name: string;
  readonly sql: string;
  /** SHA-256 (hex) of the SQL with line endings normalised, so a Windows checkout does not look tampered. */
  readonly checksum: string;
  /** Set by a first line `-- kassa:no-transaction` (e.g. CREATE INDEX CONCURRENTLY). */
  readonly transactional: boolean;
}

// Prisma's layout: <timestamp>_<name>/migration.sql beside migration_lock.toml.
const MIGRATION_NAME = /^\d{14}_[A-Za-z0-9_]+$/;

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql.replace(/\r\n/g, "\n")).digest("hex");
}

export function readMigrationFiles(dir: string): MigrationFile[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new MigrationError(
      DbErrorCode.MIGRATIONS_FOLDER_INVALID,
      undefined,
      `Migrations folder ${dir} does not exist: point "migrationsDir" at packages/db/prisma/<central|agent>/migrations.`,
    );
  }
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return names.map((name) => {
    const file = join(dir, name, "migration.sql");
    if (!MIGRATION_NAME.test(name) || !existsSync(file)) {
      throw new MigrationError(
        DbErrorCode.MIGRATIONS_FOLDER_INVALID,
        name,
        `${join(dir, name)} is not a migration: expected a folder named <14-digit timestamp>_<name> holding migration.sql. Move it out of ${dir}.`,
      );
    }
    const sql = readFileSync(file, "utf8");
    return {
      name,
      sql,
      checksum: checksumOf(sql),
      transactional: !sql.trimStart().startsWith("-- kassa:no-transaction"),
    };
  });
}
