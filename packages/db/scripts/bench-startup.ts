// npm run bench -w @kassa/db   (set TEST_DATABASE_URL to include PostgreSQL)
//
// Start-up cost of each database: open + apply every migration on an empty database, then reopen
// (the second run of the runner is a no-op). These are the numbers a till or a server pays at boot.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openAgentDatabase } from "../src/agent/open-agent-database.ts";
import { createCentralDatabase } from "../src/central/create-central-database.ts";
import { createThrowawayDatabase } from "../src/testing/throwaway-postgres.ts";

const dir = mkdtempSync(join(tmpdir(), "kassa-bench-startup-"));
const rows: { backend: string; step: string; ms: number; detail: string }[] = [];

async function timed<T>(backend: string, step: string, fn: (log: (line: string) => void) => Promise<T>) {
  const lines: string[] = [];
  const started = performance.now();
  const result = await fn((line) => lines.push(line));
  const ms = Math.round(performance.now() - started);
  rows.push({ backend, step, ms, detail: lines.filter((l) => l.startsWith("applied")).join("; ") });
  return result;
}

try {
  const file = join(dir, "buffer.db");
  (await timed("SQLite", "new file + migrate", (log) => openAgentDatabase(file, { log }))).close();
  (await timed("SQLite", "reopen", (log) => openAgentDatabase(file, { log }))).close();

  const dataDir = join(dir, "central-pg");
  const opts = { dataDir, shared: false };
  await (await timed("PGlite", "initdb + migrate", (log) => createCentralDatabase({ ...opts, log }))).close();
  await (await timed("PGlite", "reopen", (log) => createCentralDatabase({ ...opts, log }))).close();

  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const throwaway = await createThrowawayDatabase(serverUrl);
    try {
      const url = { url: throwaway.url, shared: false };
      await (
        await timed("PostgreSQL", "connect + migrate", (log) => createCentralDatabase({ ...url, log }))
      ).close();
      await (await timed("PostgreSQL", "reconnect", (log) => createCentralDatabase({ ...url, log }))).close();
    } finally {
      await throwaway.drop();
    }
  }
  console.table(rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
