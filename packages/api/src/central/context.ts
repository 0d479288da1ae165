import type { createCentralDatabase } from "@kassa/db/central";

export type CentralDatabase = Awaited<ReturnType<typeof createCentralDatabase>>;

/** Everything a central procedure may use. Built once per request by the HTTP adapter. */
export interface CentralContext {
  db: CentralDatabase;
  headers: Headers;
  /** Injected so tests drive time (leases, admission control) with a fake clock. */
  now: () => Date;
}

export function createCentralContext(input: {
  db: CentralDatabase;
  headers: Headers;
  now?: () => Date;
}): CentralContext {
  return { db: input.db, headers: input.headers, now: input.now ?? (() => new Date()) };
}
