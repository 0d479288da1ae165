import type { Database } from "better-sqlite3";
import type { MigrationBackend } from "./backend.ts";

/**
 * Runs migrations over better-sqlite3. SQLite has no advisory lock; the runner's BEGIN IMMEDIATE
 * plus a re-check inside the transaction keeps two agent processes from applying one migration twice.
 */
export function sqliteBackend(db: Database): MigrationBackend {
  return {
    dialect: "sqlite",
    withSession: (fn) =>
      fn({
        dialect: "sqlite",
        async query<T>(sql: string, params?: readonly unknown[]) {
          const statement = db.prepare(sql);
          if (statement.reader) return statement.all(...(params ?? [])) as T[];
          statement.run(...(params ?? []));
          return [];
        },
        async exec(sql: string) {
          db.exec(sql);
        },
      }),
  };
}
