import { closeSync, mkdirSync, openSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";

/** The file whose lock says an agent process serves this data directory. */
export function lockPath(dataDir: string): string {
  return join(resolve(dataDir), "agent.lock");
}

/**
 * Creates the file 0600 if it does not exist. Never opens an existing one: closing any descriptor
 * of a file drops every POSIX lock this process holds on it, so a refused second lock attempt in
 * the same process would have released the first one's lock for every other process.
 */
export function createOwnerOnly(path: string): void {
  try {
    closeSync(openSync(path, "wx", 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/** A second agent process on a data directory another one serves. */
export class DataDirLockedError extends Error {
  override readonly name = "DataDirLockedError";
  constructor(readonly dataDir: string) {
    super(
      `another kassa agent is already running on the data directory ${resolve(dataDir)} (it holds ${lockPath(dataDir)}): stop it first, or give this one its own --data-dir`,
    );
  }
}

export interface DataDirLock {
  release(): void;
}

/**
 * One agent process per data directory. Two would both number receipts from the same `seq` and
 * print on the same register; the second would fail its inserts on the unique index. The lock is
 * an open EXCLUSIVE transaction on a small SQLite file of its own (the buffer's readers — the CLI,
 * the commit thread — are unaffected): the operating system drops it however the process ends,
 * kill -9 and power cuts included, so unlike a PID file there is never a stale lock to clear, and
 * a restart right after a crash starts at once. Taken before the buffer is opened, so a second
 * process does not even run the migrations.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = lockPath(dataDir);
  // The data directory holds PIN hashes and the register's state: this user's only.
  mkdirSync(resolve(dataDir), { recursive: true, mode: 0o700 });
  createOwnerOnly(path);
  const db = new Database(path);
  try {
    // Fail at once instead of waiting for the other process to end.
    db.pragma("busy_timeout = 0");
    // Nothing is ever written: no journal file, the lock is the whole point.
    db.exec("BEGIN EXCLUSIVE");
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === "SQLITE_BUSY") throw new DataDirLockedError(dataDir);
    throw error;
  }
  return {
    release() {
      if (!db.open) return;
      db.exec("ROLLBACK");
      db.close();
    },
  };
}
