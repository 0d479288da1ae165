import type { PGliteInterface } from "@electric-sql/pglite";
import pg from "pg";

/**
 * Plain SQL beside Prisma, for the paths where Prisma's per-query cost matters (bulk ingest with
 * `INSERT … SELECT unnest(…)`). Both implementations return int8 as `bigint`, jsonb as objects and
 * timestamptz as `Date`, so code written against PGlite behaves the same on PostgreSQL.
 */
export interface RawSql {
  /** One parameterised statement (`$1`, `$2`…); returns its rows. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** A script of one or more statements without parameters. */
  exec(text: string): Promise<void>;
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: Omit<RawSql, "transaction">) => Promise<T>): Promise<T>;
}

const INT8_OID = 20;
// node-postgres returns int8 as a string by default (PGlite returns bigint): align on bigint.
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID) return (value: string) => BigInt(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

function pgQueryable(client: pg.Pool | pg.PoolClient): Omit<RawSql, "transaction"> {
  return {
    async query<T>(text: string, params?: readonly unknown[]) {
      const result = await client.query({ text, values: params ? [...params] : [], types });
      return result.rows as T[];
    },
    async exec(text: string) {
      await client.query(text);
    },
  };
}

export function pgRawSql(pool: pg.Pool): RawSql {
  return {
    ...pgQueryable(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(pgQueryable(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

// PGlite returns int8 as a number when it fits in 2^53 and as bigint otherwise: always bigint.
const pgliteOptions = { parsers: { [INT8_OID]: (value: string) => BigInt(value) } };

export function pgliteRawSql(db: PGliteInterface): RawSql {
  return {
    async query<T>(text: string, params?: readonly unknown[]) {
      return (await db.query<T>(text, params ? [...params] : undefined, pgliteOptions)).rows;
    },
    async exec(text: string) {
      await db.exec(text);
    },
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          async query<T>(text: string, params?: readonly unknown[]) {
            return (await tx.query<T>(text, params ? [...params] : undefined, pgliteOptions)).rows;
          },
          async exec(text: string) {
            await tx.exec(text);
          },
        }),
      ),
  };
}
