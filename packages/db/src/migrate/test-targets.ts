// Fresh databases for the runner's tests, one per test, on each backend the runner supports.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import Database from "better-sqlite3";
import pg from "pg";
import { pgliteFromTemplate } from "../testing/pglite-template.ts";
import { createThrowawayDatabase, type ThrowawayDatabase } from "../testing/throwaway-postgres.ts";
import type { MigrationBackend } from "./backend.ts";
import { pgBackend } from "./pg-backend.ts";
import { pgliteBackend } from "./pglite-backend.ts";
import { sqliteBackend } from "./sqlite-backend.ts";

export interface Target {
  backend: MigrationBackend;
  /** Runs one raw statement on the same database (to inspect or sabotage it). */
  query<T>(sql: string): Promise<T[]>;
  /** A second connection to the same database, where the backend can have one (PostgreSQL). */
  another?(): Promise<MigrationBackend>;
  close(): Promise<void>;
}

export interface TargetKind {
  name: string;
  setup(): Promise<void>;
  fresh(): Promise<Target>;
  teardown(): Promise<void>;
}

let schemaCounter = 0;

export function sqliteTargets(): TargetKind {
  let dir = "";
  return {
    name: "SQLite (better-sqlite3)",
    async setup() {
      dir = mkdtempSync(join(tmpdir(), "kassa-migrate-"));
    },
    async fresh() {
      const db = new Database(join(dir, `t${schemaCounter++}.db`));
      return {
        backend: sqliteBackend(db),
        query: async <T>(sql: string) => {
          const statement = db.prepare(sql);
          if (statement.reader) return statement.all() as T[];
          statement.run();
          return [];
        },
        close: async () => {
          db.close();
        },
      };
    },
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// One PGlite instance, a schema per test: a new instance costs seconds, a schema milliseconds.
export function pgliteTargets(): TargetKind {
  let db: PGlite | undefined;
  return {
    name: "PGlite",
    async setup() {
      // Restored from the migrated template (fast); each test works in its own empty schema.
      db = await pgliteFromTemplate();
    },
    async fresh() {
      const instance = db!;
      const schema = `t${schemaCounter++}`;
      await instance.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
      return {
        backend: pgliteBackend(instance),
        query: async <T>(sql: string) => (await instance.query<T>(sql)).rows,
        close: async () => {},
      };
    },
    async teardown() {
      await db?.close();
    },
  };
}

export function postgresTargets(serverUrl: string): TargetKind {
  let database: ThrowawayDatabase | undefined;
  return {
    name: "PostgreSQL",
    async setup() {
      database = await createThrowawayDatabase(serverUrl);
    },
    async fresh() {
      const schema = `t${schemaCounter++}`;
      const clients: pg.Client[] = [];
      const connect = async () => {
        const client = new pg.Client({ connectionString: database!.url });
        await client.connect();
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
        clients.push(client);
        return client;
      };
      const client = await connect();
      return {
        backend: pgBackend(client),
        query: async <T>(sql: string) => (await client.query(sql)).rows as T[],
        another: async () => pgBackend(await connect()),
        close: async () => {
          for (const c of clients) await c.end();
        },
      };
    },
    async teardown() {
      await database?.drop();
    },
  };
}

export function allTargets(): TargetKind[] {
  const url = process.env.TEST_DATABASE_URL;
  return [sqliteTargets(), pgliteTargets(), ...(url ? [postgresTargets(url)] : [])];
}
