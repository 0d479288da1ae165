import { createHash } from "node:crypto";
import { RateLimiterPostgres, type RateLimiterRes } from "rate-limiter-flexible";
import type { CentralDatabase } from "../context.ts";

/**
 * How failed sign-ins are limited. Counted per account (the email as typed, whether or not an
 * account has it — so the answer never tells which emails exist) and per client address.
 */
export interface SignInThrottleOptions {
  /** Failed sign-ins for one email within `windowSeconds` before it is blocked. */
  accountFailures: number;
  /** Failed sign-ins from one address within `windowSeconds` (many accounts tried from one place). */
  addressFailures: number;
  windowSeconds: number;
  /** The first block; each further block within `strikeMemorySeconds` doubles it, up to `maxBlockSeconds`. */
  firstBlockSeconds: number;
  maxBlockSeconds: number;
  strikeMemorySeconds: number;
}

export const DEFAULT_SIGN_IN_THROTTLE: SignInThrottleOptions = {
  accountFailures: 5,
  addressFailures: 20,
  windowSeconds: 15 * 60,
  firstBlockSeconds: 60,
  maxBlockSeconds: 60 * 60,
  strikeMemorySeconds: 24 * 60 * 60,
};

export interface SignInThrottle {
  /** Seconds until `email` may try again from `address`, or 0 when it may try now. */
  waitSeconds(email: string, address: string): Promise<number>;
  /** Counts a failed sign-in; returns the seconds to wait when this failure started a block, else 0. */
  recordFailure(email: string, address: string): Promise<number>;
  /** A successful sign-in forgets the account's failures and back-off (not the address's). */
  recordSuccess(email: string): Promise<void>;
  readonly options: SignInThrottleOptions;
}

/**
 * rate-limiter-flexible's PostgreSQL store wants a node-postgres-like client (`query({text,
 * values})` → `{rows}`). Kassa's RawSql is that over both backends — a pg pool or embedded PGlite,
 * whose own `query(text, params)` has another signature — but returns rows only and int8 as bigint, where the
 * limiter does arithmetic with numbers: so `expire` (epoch ms, well below 2^53) becomes a number.
 */
function limiterClient(db: CentralDatabase) {
  return {
    async query(q: { text: string; values?: unknown[] }) {
      const rows = (await db.sql.query<Record<string, unknown>>(q.text, q.values ?? [])).map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])),
      );
      // The limiter reads rowCount after SELECTs (0 = no row). RawSql returns rows only, so a
      // DELETE reports 0 here; delete()'s boolean answer is not used by this throttle.
      return { rows, rowCount: rows.length };
    },
  };
}

/** Keys are hashed: the table never holds the emails or addresses people typed or came from. */
const keyOf = (value: string) => createHash("sha256").update(value).digest("base64url");

export function createSignInThrottle(
  db: CentralDatabase,
  overrides: Partial<SignInThrottleOptions> = {},
): SignInThrottle {
  const options = { ...DEFAULT_SIGN_IN_THROTTLE, ...overrides };
  const limiter = (keyPrefix: string, points: number, duration: number) =>
    new RateLimiterPostgres({
      storeClient: limiterClient(db),
      storeType: "pool",
      // The table is made by the migration (20261201110000_auth), not by the limiter at run time.
      tableName: "sign_in_throttle",
      tableCreated: true,
      // Expired rows are deleted by whichever instance runs the sweep; none holds state of its own.
      clearExpiredByTimeout: true,
      keyPrefix,
      points,
      duration,
    });
  const failures = {
    account: limiter("account", options.accountFailures, options.windowSeconds),
    address: limiter("address", options.addressFailures, options.windowSeconds),
  };
  // How many times a key was blocked lately: the next block is that many doublings longer.
  const strikes = {
    account: limiter("account-strikes", Number.MAX_SAFE_INTEGER, options.strikeMemorySeconds),
    address: limiter("address-strikes", Number.MAX_SAFE_INTEGER, options.strikeMemorySeconds),
  };
  const keys = (email: string, address: string) => ({
    account: keyOf(email.trim().toLowerCase()),
    address: keyOf(address),
  });
  const blockedFor = (res: RateLimiterRes | null, points: number) =>
    res && res.consumedPoints > points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;

  return {
    options,
    async waitSeconds(email, address) {
      const key = keys(email, address);
      const [account, byAddress] = await Promise.all([
        failures.account.get(key.account),
        failures.address.get(key.address),
      ]);
      return Math.max(
        blockedFor(account, options.accountFailures),
        blockedFor(byAddress, options.addressFailures),
      );
    },
    async recordFailure(email, address) {
      const key = keys(email, address);
      let wait = 0;
      for (const kind of ["account", "address"] as const) {
        const points = kind === "account" ? options.accountFailures : options.addressFailures;
        // penalty() never throws for being over the limit (consume() would): it only counts.
        const res = await failures[kind].penalty(key[kind], 1);
        if (res.consumedPoints < points) continue;
        const strike = await strikes[kind].penalty(key[kind], 1);
        const seconds = Math.min(
          options.maxBlockSeconds,
          options.firstBlockSeconds * 2 ** Math.min(30, strike.consumedPoints - 1),
        );
        await failures[kind].block(key[kind], seconds);
        wait = Math.max(wait, seconds);
      }
      return wait;
    },
    async recordSuccess(email) {
      const account = keyOf(email.trim().toLowerCase());
      await Promise.all([failures.account.delete(account), strikes.account.delete(account)]);
    },
  };
}
