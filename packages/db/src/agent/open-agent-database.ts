import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { DbError, DbErrorCode } from "../errors.ts";
import { agentMigrationsDir } from "../migrate/paths.ts";
import { runMigrations } from "../migrate/run-migrations.ts";
import { sqliteBackend } from "../migrate/sqlite-backend.ts";
import { AGENT_PRAGMAS } from "./pragmas.ts";

export interface AgentDatabaseOptions {
  /** Progress lines from the migration runner. Default: none. */
  log?: (line: string) => void;
  /** Where the migrations live. Default: this package's prisma/agent/migrations. */
  migrationsDir?: string;
}

/**
 * Opens (creating if needed) the agent's SQLite buffer with the durability pragmas and applies
 * pending migrations. The hot path prepares its statements on the returned connection.
 */
export async function openAgentDatabase(
  filePath: string,
  options: AgentDatabaseOptions = {},
): Promise<Database.Database> {
  const db = openWithPragmas(filePath);
  try {
    await runMigrations({
      backend: sqliteBackend(db),
      dir: options.migrationsDir ?? agentMigrationsDir,
      log: options.log,
    });
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** A connection with the agent's pragmas, verified: a silent fallback to another journal mode is an error. */
export function openWithPragmas(filePath: string): Database.Database {
  if (!filePath || filePath === ":memory:") {
    throw new DbError(
      DbErrorCode.INVALID_DATABASE_CONFIG,
      `The agent's database must be a file (got ${JSON.stringify(filePath)}): set the data directory to a writable folder.`,
    );
  }
  const path = resolve(filePath);
  let db: Database.Database;
  try {
    // The buffer holds receipts, cashiers' PIN hashes and sessions: only the agent's user reads it.
    // New folders are 0700; an existing one is the operator's choice and is left as it is.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Created 0600 before SQLite opens it, so it never exists readable by others; SQLite gives
    // the -wal and -shm files it creates the database file's mode. Only when missing ("wx"):
    // closing a descriptor of an existing buffer would drop the POSIX locks other connections of
    // this process hold on it (SQLite's own warning, "How To Corrupt An SQLite Database" 2.2).
    try {
      closeSync(openSync(path, "wx", 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    restrictToOwner(path);
    db = new Database(path);
  } catch (error) {
    throw new DbError(
      DbErrorCode.INVALID_DATABASE_CONFIG,
      `Cannot open the agent's database ${path} (${(error as Error).message}): check the data directory exists and is writable.`,
      { cause: error },
    );
  }
  for (const pragma of AGENT_PRAGMAS) db.exec(pragma);
  const mode = db.pragma("journal_mode", { simple: true });
  if (mode !== "wal") {
    db.close();
    throw new DbError(
      DbErrorCode.INVALID_DATABASE_CONFIG,
      `SQLite refused WAL mode for ${path} (journal_mode=${String(mode)}): put the data directory on a local disk, not a network share.`,
    );
  }
  restrictToOwner(path);
  return db;
}

/** 0600 on the database and its WAL/SHM files, also those an older release left readable by others. */
function restrictToOwner(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}
