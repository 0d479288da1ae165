import type { createCentralDatabase } from "@kassa/db/central";

export type CentralDatabase = Awaited<ReturnType<typeof createCentralDatabase>>;

/** Everything a central procedure may use. Built once per request by the HTTP adapter. */
export interface CentralContext {
  db: CentralDatabase;
  headers: Headers;
  /** Injected so tests drive time (leases, admission control) with a fake clock. */
  now: () => Date;
  /**
   * The key that signs dashboard session cookies. In the context (not a module global) so tests and
   * several servers in one process each use their own; null on a server for agents only, where no
   * dashboard session is ever accepted.
   */
  sessionSecret: string | null;
}

export function createCentralContext(input: {
  db: CentralDatabase;
  headers: Headers;
  now?: () => Date;
  sessionSecret?: string;
}): CentralContext {
  return {
    db: input.db,
    headers: input.headers,
    now: input.now ?? (() => new Date()),
    sessionSecret: input.sessionSecret ?? null,
  };
}
