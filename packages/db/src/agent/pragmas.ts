/**
 * Run on every SQLite connection of the agent, by better-sqlite3 and by Prisma alike.
 * WAL lets readers (status CLI, sync worker) run beside the writer; synchronous=FULL fsyncs the WAL
 * on every commit so an acknowledged receipt survives power loss (better-sqlite3's WAL default,
 * NORMAL, can lose the last commits); busy_timeout makes a second writer wait instead of failing.
 */
export const AGENT_PRAGMAS = [
  "PRAGMA journal_mode = WAL",
  "PRAGMA synchronous = FULL",
  "PRAGMA busy_timeout = 5000",
  "PRAGMA foreign_keys = ON",
] as const;

export const AGENT_PRAGMA_SCRIPT = `${AGENT_PRAGMAS.join(";\n")};`;
