/** The SQL dialects the runner writes its bookkeeping for. */
export type MigrationDialect = "postgresql" | "sqlite";

/** One connection, used by one runner at a time. */
export interface MigrationSession {
  readonly dialect: MigrationDialect;
  /** One parameterised statement (`$1`… on PostgreSQL, `?` on SQLite); returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** A script of one or more statements, no parameters (a migration file). */
  exec(sql: string): Promise<void>;
}

/**
 * What the runner needs from a database: a session held for the whole run, under a lock that keeps
 * a second process (another Next.js instance, a second agent on the same file) from migrating at
 * the same time.
 */
export interface MigrationBackend {
  readonly dialect: MigrationDialect;
  withSession<T>(fn: (session: MigrationSession) => Promise<T>): Promise<T>;
}
