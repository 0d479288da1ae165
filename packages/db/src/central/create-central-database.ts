import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../../generated/central/client.ts";
import { DbError, DbErrorCode } from "../errors.ts";
import { centralMigrationsDir } from "../migrate/paths.ts";
import { pgBackend } from "../migrate/pg-backend.ts";
import { pgliteBackend } from "../migrate/pglite-backend.ts";
import { runMigrations } from "../migrate/run-migrations.ts";
import { pgliteRawSql, pgRawSql, type RawSql } from "./raw-sql.ts";

export interface CentralDatabaseOptions {
  /** PostgreSQL URL (`postgresql://user:pass@host:5432/db`). Unset or empty: embedded PGlite. */
  url?: string;
  /** PGlite data directory, used only without `url`. Default `./.kassa/central-pg` (from the working directory). */
  dataDir?: string;
  /** Progress lines (migrations applied, which database). Default: console.info with a `[db]` prefix. */
  log?: (line: string) => void;
  /**
   * Reuse one database per url/dataDir in this process (a `globalThis` cache, which also survives
   * Next.js dev reloads). Default true; tests that want their own pass false.
   */
  shared?: boolean;
  /** Maximum connections of the PostgreSQL pool. Default 10. */
  poolSize?: number;
  /** Where the migrations live. Default: this package's prisma/central/migrations. */
  migrationsDir?: string;
}

export interface CentralDatabase {
  /** For the dashboard and everything not on a hot path. */
  prisma: PrismaClient;
  /** The same database without Prisma, for bulk statements (ingest). */
  sql: RawSql;
  kind: "postgres" | "pglite";
  /** Disconnects Prisma and closes the pool or the PGlite instance. Safe to call twice. */
  close(): Promise<void>;
}

export const DEFAULT_PGLITE_DIR = "./.kassa/central-pg";

type Cache = Map<string, Promise<CentralDatabase>>;
const cacheHolder = globalThis as typeof globalThis & { __kassaCentralDatabases?: Cache };
if (!cacheHolder.__kassaCentralDatabases) cacheHolder.__kassaCentralDatabases = new Map();
const cache: Cache = cacheHolder.__kassaCentralDatabases;

/**
 * Opens the central database and applies pending migrations before returning: PostgreSQL when a URL
 * is given, otherwise PGlite persisted in `dataDir`. One per process unless `shared: false`.
 */
export function createCentralDatabase(options: CentralDatabaseOptions = {}): Promise<CentralDatabase> {
  const url = options.url?.trim() || undefined;
  // The data directory is chosen at run time: without the turbopackIgnore hints, Next.js's file
  // tracer assumes any file may be read here and traces the whole project into the server output.
  const key = url ?? `pglite:${resolve(/*turbopackIgnore: true*/ options.dataDir ?? DEFAULT_PGLITE_DIR)}`;
  if (options.shared === false) return open(url, options);
  let database = cache.get(key);
  if (!database) {
    database = open(url, options).then((db) => ({
      ...db,
      close: () => {
        cache.delete(key);
        return db.close();
      },
    }));
    cache.set(key, database);
    database.catch(() => cache.delete(key));
  }
  return database;
}

function open(url: string | undefined, options: CentralDatabaseOptions): Promise<CentralDatabase> {
  const log = options.log ?? ((line: string) => console.info(`[db] ${line}`));
  const migrationsDir = options.migrationsDir ?? centralMigrationsDir;
  return url
    ? openPostgres(url, options.poolSize ?? 10, log, migrationsDir)
    : openPglite(options, log, migrationsDir);
}

async function openPostgres(
  url: string,
  poolSize: number,
  log: (line: string) => void,
  migrationsDir: string,
): Promise<CentralDatabase> {
  const where = describeUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", (error) => log(`PostgreSQL connection error: ${error.message}`));
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DbError(
      DbErrorCode.DATABASE_UNREACHABLE,
      `Cannot connect to PostgreSQL at ${where} (${(error as Error).message}): check that the server is running and DATABASE_URL is right, or unset DATABASE_URL to use the embedded database.`,
      { cause: error },
    );
  }
  try {
    await runMigrations({ backend: pgBackend(pool), dir: migrationsDir, log });
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  log(`central database: PostgreSQL at ${where}`);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    sql: pgRawSql(pool),
    kind: "postgres",
    close: once(async () => {
      await prisma.$disconnect();
      await pool.end();
    }),
  };
}

async function openPglite(
  options: CentralDatabaseOptions,
  log: (line: string) => void,
  migrationsDir: string,
): Promise<CentralDatabase> {
  const dataDir = resolve(/*turbopackIgnore: true*/ options.dataDir ?? DEFAULT_PGLITE_DIR);
  const started = performance.now();
  let db: PGlite;
  try {
    mkdirSync(dataDir, { recursive: true });
    db = await PGlite.create(dataDir);
  } catch (error) {
    throw new DbError(
      DbErrorCode.INVALID_DATABASE_CONFIG,
      `Cannot open the embedded database in ${dataDir} (${(error as Error).message}): check the directory is writable and no other Kassa process is using it, or set DATABASE_URL.`,
      { cause: error },
    );
  }
  log(
    `central database: embedded PGlite in ${dataDir} (started in ${Math.round(performance.now() - started)} ms)`,
  );
  return useOpenPglite(db, log, migrationsDir);
}

/** Migrates an open PGlite instance and serves it through Prisma and raw SQL; closing it closes `db`. */
export async function useOpenPglite(
  db: PGlite,
  log: (line: string) => void,
  migrationsDir: string = centralMigrationsDir,
): Promise<CentralDatabase> {
  try {
    await runMigrations({ backend: pgliteBackend(db), dir: migrationsDir, log });
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  // One PGlite instance serves both Prisma and raw SQL: a data directory must have one owner.
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  return {
    prisma,
    sql: pgliteRawSql(db),
    kind: "pglite",
    close: once(async () => {
      await prisma.$disconnect();
      await db.close();
    }),
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= fn());
}

/** host:port/database, never the password. */
function describeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DbError(
      DbErrorCode.INVALID_DATABASE_CONFIG,
      'DATABASE_URL is not a URL: expected "postgresql://user:password@host:5432/database".',
    );
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    throw new DbError(
      DbErrorCode.INVALID_DATABASE_CONFIG,
      `DATABASE_URL must start with postgresql:// (got ${parsed.protocol}//): Kassa's central database is PostgreSQL.`,
    );
  }
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}
