/** The raw-SQL side of the central database (`db.sql` from @kassa/db): the ingest's hot path. */
export interface SqlRunner {
  /** One parameterised statement ($1 …); returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/** A runner that can also open a transaction (one connection, rolled back if `fn` throws). */
export interface TransactionalSql extends SqlRunner {
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/** The terminal a batch comes from (proven by its key): every write is scoped to it. */
export interface TerminalScope {
  organizationId: string;
  storeId: string;
  id: string;
}
