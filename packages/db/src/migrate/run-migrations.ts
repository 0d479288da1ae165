import { DbErrorCode, MigrationError } from "../errors.ts";
import type { MigrationBackend, MigrationDialect, MigrationSession } from "./backend.ts";
import { type MigrationFile, readMigrationFiles } from "./migration-files.ts";

export const MIGRATIONS_TABLE = "_kassa_migrations";

export interface RunMigrationsOptions {
  backend: MigrationBackend;
  /** The migrations folder (Prisma layout); see `centralMigrationsDir` / `agentMigrationsDir`. */
  dir: string;
  /** Receives one progress line per migration. Default: no output. */
  log?: (line: string) => void;
}

export interface MigrationResult {
  /** Names applied by this run, in order; empty when the database was up to date. */
  applied: string[];
  /** How many migrations the database now has. */
  total: number;
}

interface AppliedRow {
  name: string;
  checksum: string;
  started_at: unknown;
  finished_at: unknown;
}

const CREATE_TABLE: Record<MigrationDialect, string> = {
  postgresql: `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
    "name" TEXT PRIMARY KEY,
    "checksum" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3)
  )`,
  sqlite: `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "checksum" TEXT NOT NULL,
    "started_at" TEXT NOT NULL,
    "finished_at" TEXT
  )`,
};
const NOW: Record<MigrationDialect, string> = {
  postgresql: "clock_timestamp()",
  sqlite: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
};
// SQLite: take the write lock up front so a second agent process waits instead of failing mid-way.
const BEGIN: Record<MigrationDialect, string> = { postgresql: "BEGIN", sqlite: "BEGIN IMMEDIATE" };

/**
 * Applies the pending migrations of `dir` in name order, each in its own transaction together with
 * its bookkeeping row, so a crash leaves either all of a migration or none of it. Running it again
 * is a no-op. Refuses to go on when an applied migration was edited or one was left half-applied.
 */
export async function runMigrations(options: RunMigrationsOptions): Promise<MigrationResult> {
  const files = readMigrationFiles(options.dir);
  const log = options.log ?? (() => {});
  return options.backend.withSession(async (session) => {
    const p = (i: number) => (session.dialect === "postgresql" ? `$${i}` : "?");
    await session.exec(CREATE_TABLE[session.dialect]);
    const rows = await session.query<AppliedRow>(
      `SELECT "name", "checksum", "started_at", "finished_at" FROM "${MIGRATIONS_TABLE}" ORDER BY "name"`,
    );
    const byName = new Map(rows.map((row) => [row.name, row]));
    for (const row of rows)
      checkApplied(
        row,
        files.find((file) => file.name === row.name),
      );
    for (const row of rows) {
      if (!files.some((file) => file.name === row.name)) {
        log(
          `warning: ${row.name} is applied to the database but missing from ${options.dir} (newer code ran here?)`,
        );
      }
    }

    const applied: string[] = [];
    let appliedByAnother = 0;
    for (const file of files) {
      if (byName.has(file.name)) continue;
      const started = performance.now();
      const done = file.transactional
        ? await applyInTransaction(session, file, p)
        : await applyWithoutTransaction(session, file, p);
      if (done) {
        applied.push(file.name);
        log(`applied ${file.name} in ${Math.round(performance.now() - started)} ms`);
      } else {
        appliedByAnother++;
      }
    }
    if (applied.length === 0) log(`database is up to date (${files.length} migrations)`);
    return { applied, total: rows.length + appliedByAnother + applied.length };
  });
}

function checkApplied(row: AppliedRow, file: MigrationFile | undefined): void {
  if (row.finished_at === null || row.finished_at === undefined) {
    throw new MigrationError(
      DbErrorCode.MIGRATION_HALF_APPLIED,
      row.name,
      `Migration ${row.name} was started at ${formatTime(row.started_at)} and never finished, so part of it may be ` +
        `applied; nothing else was migrated. Compare the database with ${row.name}/migration.sql, complete or undo ` +
        `its statements by hand, then in "${MIGRATIONS_TABLE}" either set finished_at on its row (now complete) or ` +
        `delete the row (to run it again).`,
    );
  }
  if (file && file.checksum !== row.checksum) {
    throw new MigrationError(
      DbErrorCode.MIGRATION_CHECKSUM_MISMATCH,
      row.name,
      `Migration ${row.name} was applied with checksum ${row.checksum.slice(0, 12)}… but its file now has ` +
        `${file.checksum.slice(0, 12)}…: an applied migration was edited. Restore ${row.name}/migration.sql from ` +
        `version control and put the change in a new migration with a later timestamp.`,
    );
  }
}

async function applyInTransaction(
  session: MigrationSession,
  file: MigrationFile,
  p: (i: number) => string,
): Promise<boolean> {
  await session.exec(BEGIN[session.dialect]);
  try {
    // Another process may have applied it between our read and our lock (SQLite has no advisory lock).
    const [existing] = await session.query<AppliedRow>(
      `SELECT "name", "checksum", "started_at", "finished_at" FROM "${MIGRATIONS_TABLE}" WHERE "name" = ${p(1)}`,
      [file.name],
    );
    if (existing) {
      checkApplied(existing, file);
      await session.exec("COMMIT");
      return false;
    }
    await session.query(
      `INSERT INTO "${MIGRATIONS_TABLE}" ("name", "checksum", "started_at") VALUES (${p(1)}, ${p(2)}, ${NOW[session.dialect]})`,
      [file.name, file.checksum],
    );
    await session.exec(file.sql);
    await markFinished(session, file, p);
    await session.exec("COMMIT");
    return true;
  } catch (error) {
    await session.exec("ROLLBACK").catch(() => {});
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(
      DbErrorCode.MIGRATION_FAILED,
      file.name,
      `Migration ${file.name} failed and was rolled back (${messageOf(error)}); the database is as it was before it. ` +
        "Fix the SQL in a new migration, or the database state it trips over, and start again.",
      { cause: error },
    );
  }
}

async function applyWithoutTransaction(
  session: MigrationSession,
  file: MigrationFile,
  p: (i: number) => string,
): Promise<boolean> {
  // The row is committed first on purpose: if this stops half-way, the next run sees it unfinished.
  await session.query(
    `INSERT INTO "${MIGRATIONS_TABLE}" ("name", "checksum", "started_at") VALUES (${p(1)}, ${p(2)}, ${NOW[session.dialect]})`,
    [file.name, file.checksum],
  );
  try {
    await session.exec(file.sql);
  } catch (error) {
    throw new MigrationError(
      DbErrorCode.MIGRATION_FAILED,
      file.name,
      `Migration ${file.name} (no-transaction) failed part-way (${messageOf(error)}): some statements may be applied. ` +
        `Fix the database by hand, then set finished_at on its "${MIGRATIONS_TABLE}" row or delete the row.`,
      { cause: error },
    );
  }
  await markFinished(session, file, p);
  return true;
}

async function markFinished(session: MigrationSession, file: MigrationFile, p: (i: number) => string) {
  await session.query(
    `UPDATE "${MIGRATIONS_TABLE}" SET "finished_at" = ${NOW[session.dialect]} WHERE "name" = ${p(1)}`,
    [file.name],
  );
}

function formatTime(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
