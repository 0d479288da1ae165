import { join } from "node:path";
import { openAgentDatabase } from "@kassa/db/agent";

/** The agent's SQLite connection (better-sqlite3, WAL, synchronous=FULL, migrations applied). */
export type BufferDb = Awaited<ReturnType<typeof openAgentDatabase>>;

export function bufferPath(dataDir: string): string {
  return join(dataDir, "buffer.sqlite");
}

export function openBuffer(dataDir: string, log?: (line: string) => void): Promise<BufferDb> {
  return openAgentDatabase(bufferPath(dataDir), log ? { log } : {});
}
