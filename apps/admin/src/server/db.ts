import type { CentralDatabase } from "@kassa/api/central";
import { createCentralDatabase } from "@kassa/db/central";
import { getEnv } from "../env.ts";
import { resolveFromRepoRoot } from "./repo-root.ts";

// One central database per process. Kept on globalThis because Next.js may evaluate this module
// more than once (route handlers and server actions live in separate bundles; dev reloads), and
// embedded PGlite must never be opened twice on the same directory.
const holder = globalThis as typeof globalThis & { __kassaCentralDb?: Promise<CentralDatabase> };

/** The process's central database, opened (and migrated) on first use. */
export function getDb(): Promise<CentralDatabase> {
  if (!holder.__kassaCentralDb) {
    const env = getEnv();
    const opening = createCentralDatabase({
      url: env.databaseUrl,
      dataDir: env.centralDataDir,
      // Named explicitly: inside the Next.js server bundle, @kassa/db cannot find its own folder.
      migrationsDir: resolveFromRepoRoot("packages/db/prisma/central/migrations"),
    });
    holder.__kassaCentralDb = opening;
    // A failed open is not cached: the next request retries (e.g. PostgreSQL still starting).
    opening.catch(() => {
      if (holder.__kassaCentralDb === opening) holder.__kassaCentralDb = undefined;
    });
    opening.then(closeOnExit, () => undefined);
  }
  return holder.__kassaCentralDb;
}

function closeOnExit(db: CentralDatabase) {
  // PGlite flushes on close; PostgreSQL pools end cleanly instead of leaving idle sockets.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      db.close().finally(() => process.exit(0));
    });
  }
}
