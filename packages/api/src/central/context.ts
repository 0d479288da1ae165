import type { createCentralDatabase } from "@kassa/db/central";
import { type KassaAuth, kassaAuthFor } from "./auth/kassa-auth.ts";

export type CentralDatabase = Awaited<ReturnType<typeof createCentralDatabase>>;

/** Everything a central procedure may use. Built once per request by the HTTP adapter. */
export interface CentralContext {
  db: CentralDatabase;
  headers: Headers;
  /** Injected so tests drive time (leases, admission control) with a fake clock. */
  now: () => Date;
  /**
   * Dashboard sign-in (better-auth over the sessions table, auth/kassa-auth.ts). In the context
   * (not a module global) so tests and several servers in one process each use their own; null
   * on a server for agents only, where no dashboard session is ever accepted.
   */
  auth: KassaAuth | null;
}

export function createCentralContext(input: {
  db: CentralDatabase;
  headers: Headers;
  now?: () => Date;
  auth?: KassaAuth;
  /** Shorthand for `auth`: the sign-in of `db` with this cookie-signing secret (tests, benches). */
  sessionSecret?: string;
}): CentralContext {
  return {
    db: input.db,
    headers: input.headers,
    now: input.now ?? (() => new Date()),
    auth: input.auth ?? (input.sessionSecret ? kassaAuthFor(input.db, input.sessionSecret) : null),
  };
}
