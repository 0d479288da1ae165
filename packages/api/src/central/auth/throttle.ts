import { createHash } from "node:crypto";
import { RateLimiterPostgres } from "rate-limiter-flexible";
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

/** One sign-in attempt, counted before its password is checked (SignInThrottle.reserve). */
export interface SignInReservation {
  /** Seconds to wait when the account or the address is over its limit (refuse unchecked), else 0. */
  wait: number;
  /** The address key is null when the client's address is not known (no per-address limit). */
  keys: { account: string; address: string | null };
  /** The count each key reached with this attempt. */
  consumed: { account: number; address: number };
}

export interface SignInThrottle {
  /**
   * Counts this attempt for the account and the address BEFORE the password is checked (one
   * atomic upsert each, on whichever instance), so attempts in flight together are counted
   * together and at most the limit of them ever reach the password check.
   */
  reserve(email: string, address: string | null): Promise<SignInReservation>;
  /** The attempt failed: the one that took the last allowed point starts a block (doubling). Returns its wait, or 0. */
  recordFailure(reservation: SignInReservation): Promise<number>;
  /** The attempt signed in: the account's count and back-off are forgotten, the address's attempt refunded. */
  recordSuccess(reservation: SignInReservation): Promise<void>;
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
  const keys = (email: string, address: string | null) => ({
    account: keyOf(email.trim().toLowerCase()),
    address: address === null ? null : keyOf(address),
  });
  const points = { account: options.accountFailures, address: options.addressFailures };
  const kinds = ["account", "address"] as const;

  return {
    options,
    async reserve(email, address) {
      const key = keys(email, address);
      // penalty() only counts (consume() would throw past the limit); each upsert is atomic.
      const [account, byAddress] = await Promise.all(
        kinds.map((kind) => {
          const k = key[kind];
          return k === null ? Promise.resolve(null) : failures[kind].penalty(k, 1);
        }),
      );
      let wait = 0;
      for (const [kind, res] of [
        ["account", account],
        ["address", byAddress],
      ] as const) {
        if (res && res.consumedPoints > points[kind]) {
          wait = Math.max(wait, Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
        }
      }
      return {
        wait,
        keys: key,
        consumed: { account: account?.consumedPoints ?? 0, address: byAddress?.consumedPoints ?? 0 },
      };
    },
    async recordFailure(reservation) {
      let wait = 0;
      for (const kind of kinds) {
        // Only the attempt that took the last allowed point starts the block (those past it were
        // refused unchecked), so attempts in flight together start one block, not many.
        if (reservation.consumed[kind] !== points[kind]) continue;
        const key = reservation.keys[kind];
        if (key === null) continue;
        const strike = await strikes[kind].penalty(key, 1);
        const seconds = Math.min(
          options.maxBlockSeconds,
          options.firstBlockSeconds * 2 ** Math.min(30, strike.consumedPoints - 1),
        );
        await failures[kind].block(key, seconds);
        wait = Math.max(wait, seconds);
      }
      return wait;
    },
    async recordSuccess({ keys: key }) {
      await Promise.all([
        failures.account.delete(key.account),
        strikes.account.delete(key.account),
        key.address === null ? Promise.resolve() : failures.address.reward(key.address, 1),
      ]);
    },
  };
}
