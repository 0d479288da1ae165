import type Database from "better-sqlite3";

/** The agent's SQLite buffer (better-sqlite3 with WAL + synchronous=FULL, from @kassa/db/agent). */
export type SyncDb = Database.Database;

/** Where outbox items go. The OFD relay runs through the device and has no outbox rows of its own. */
export type Destination = "central" | "ofd";

/** One outbox row as stored. */
export interface OutboxRow {
  id: number;
  destination: string;
  kind: string;
  item_id: string;
  hlc: string;
  payload: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}
