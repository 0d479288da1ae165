import {
  type CentralDatabase,
  createCentralDatabase,
  useOpenPglite,
} from "../central/create-central-database.ts";
import { pgliteFromTemplate } from "./pglite-template.ts";
import { createThrowawayDatabase } from "./throwaway-postgres.ts";

export interface TestCentralDatabaseOptions {
  /**
   * PostgreSQL server to create the throwaway database on. Default: `TEST_DATABASE_URL`; when that is
   * unset too, an embedded in-memory PGlite.
   */
  serverUrl?: string;
  /** Migration progress lines. Default: none (tests stay quiet). */
  log?: (line: string) => void;
  /** Connections of the PostgreSQL pool (benchmarks raise it). Default 4. */
  poolSize?: number;
}

/**
 * A fresh, migrated, isolated central database for one test file: a database with a random name on
 * the PostgreSQL server of `TEST_DATABASE_URL` (dropped by `close()`), or an in-memory PGlite
 * restored from a migrated template (gone with `close()`). Never shared with other tests or the
 * process-wide cache.
 */
export async function createTestCentralDatabase(
  options: TestCentralDatabaseOptions = {},
): Promise<CentralDatabase> {
  const serverUrl = options.serverUrl ?? process.env.TEST_DATABASE_URL;
  const log = options.log ?? (() => {});
  if (serverUrl) {
    const throwaway = await createThrowawayDatabase(serverUrl);
    try {
      const db = await createCentralDatabase({
        url: throwaway.url,
        shared: false,
        log,
        poolSize: options.poolSize ?? 4,
      });
      return { ...db, close: once(() => db.close().finally(() => throwaway.drop())) };
    } catch (error) {
      await throwaway.drop();
      throw error;
    }
  }
  return useOpenPglite(await pgliteFromTemplate(), log);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= fn();
    return closing;
  };
}
