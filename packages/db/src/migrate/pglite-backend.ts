import type { PGliteInterface } from "@electric-sql/pglite";
import type { MigrationBackend } from "./backend.ts";

/**
 * Runs migrations over embedded PGlite. No lock: a PGlite data directory is open in one process
 * only, and the central factory migrates before anything else uses the instance.
 */
export function pgliteBackend(db: PGliteInterface): MigrationBackend {
  return {
    dialect: "postgresql",
    withSession: (fn) =>
      fn({
        dialect: "postgresql",
        async query<T>(sql: string, params?: readonly unknown[]) {
          const result = await db.query<T>(sql, params ? [...params] : undefined);
          return result.rows;
        },
        async exec(sql: string) {
          await db.exec(sql);
        },
      }),
  };
}
