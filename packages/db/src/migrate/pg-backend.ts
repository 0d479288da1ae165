import pg from "pg";
import type { MigrationBackend, MigrationSession } from "./backend.ts";

// Any constant works; all Kassa processes migrating one database must agree on it.
const MIGRATION_LOCK_KEY = 7_261_735_301;

/** Runs migrations over node-postgres: a Pool (a client is checked out for the run) or a connected Client. */
export function pgBackend(db: pg.Pool | pg.Client): MigrationBackend {
  return {
    dialect: "postgresql",
    async withSession(fn) {
      const client = db instanceof pg.Pool ? await db.connect() : db;
      try {
        // Several Next.js instances may start together: the first migrates, the others wait here.
        await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        try {
          return await fn(session(client));
        } finally {
          await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
        }
      } finally {
        if (db instanceof pg.Pool) (client as pg.PoolClient).release();
      }
    },
  };
}

function session(client: pg.ClientBase): MigrationSession {
  return {
    dialect: "postgresql",
    async query<T>(sql: string, params?: readonly unknown[]) {
      const result = await client.query(sql, params ? [...params] : undefined);
      return result.rows as T[];
    },
    async exec(sql: string) {
      // Without parameters node-postgres uses the simple protocol, which accepts many statements.
      await client.query(sql);
    },
  };
}
