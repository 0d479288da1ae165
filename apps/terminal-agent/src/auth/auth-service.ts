import { createHash, randomBytes } from "node:crypto";
import { type TCashierRef, type TLoginInput, type TLoginOutput, ZCashierByName } from "@kassa/api/agent";
import { AppError } from "@kassa/api/errors";
import type { Logger } from "pino";
import type { BufferDb } from "../db/buffer.ts";
import type { AgentMetrics } from "../metrics.ts";
import type { RumSink } from "../rum.ts";
import { PasswordHashError, verifyPin } from "./pin.ts";

export const MAX_PIN_FAILURES = 5;
const SESSION_MS = 12 * 60 * 60_000;

interface CashierRow {
  id: string;
  login: string;
  name: string;
  inn: string | null;
  pin_hash: string;
  failed_attempts: number;
  locked_until: number;
}

export interface ResolvedCashier {
  name: string;
  inn?: string;
  cashierId?: string;
}

export interface AuthServiceOptions {
  db: BufferDb;
  requireLogin: boolean;
  lockoutMs: number;
  now: () => number;
  log: Logger;
  metrics: AgentMetrics;
  rum: RumSink;
}

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** Offline PIN login against the cached cashiers, and resolution of the `cashier` field of each call. */
export class AuthService {
  private readonly byLogin;
  private readonly countAttempt;
  private readonly lockAtLimit;
  private verifying: Promise<unknown> = Promise.resolve();
  /** Verifications counted and not yet answered, per cashier (one agent process per buffer: buffer-lock.ts). */
  private readonly inFlight = new Map<string, number>();
  private readonly uncountAttempt;
  private readonly lockNow;
  private readonly clearFailures;
  private readonly insertSession;
  private readonly sessionCashier;

  constructor(private readonly options: AuthServiceOptions) {
    const { db } = options;
    this.byLogin = db.prepare<[string], CashierRow>("SELECT * FROM cashiers WHERE login = ?");
    this.countAttempt = db.prepare("UPDATE cashiers SET failed_attempts = failed_attempts + 1 WHERE id = ?");
    this.lockAtLimit = db.prepare(
      "UPDATE cashiers SET failed_attempts = 0, locked_until = ? WHERE id = ? AND failed_attempts >= ?",
    );
    this.uncountAttempt = db.prepare(
      "UPDATE cashiers SET failed_attempts = max(failed_attempts - 1, 0) WHERE id = ?",
    );
    this.lockNow = db.prepare("UPDATE cashiers SET failed_attempts = 0, locked_until = ? WHERE id = ?");
    this.clearFailures = db.prepare("UPDATE cashiers SET failed_attempts = 0, locked_until = 0 WHERE id = ?");
    this.insertSession = db.prepare(
      "INSERT INTO cashier_sessions (token_hash, cashier_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    );
    this.sessionCashier = db.prepare<[string, number], CashierRow>(
      `SELECT c.* FROM cashier_sessions s JOIN cashiers c ON c.id = s.cashier_id
       WHERE s.token_hash = ? AND s.expires_at > ?`,
    );
  }

  /**
   * PIN login. The attempt is counted as a failure *before* the slow hash runs, in one immediate
   * transaction, so parallel attempts cannot all read "4 failures so far" and each get a guess: at
   * most MAX_PIN_FAILURES verifications are ever in flight or done per lockout window. The right
   * PIN then clears the counter; a wrong one leaves its count, and the attempt that finds the
   * limit reached starts the lockout.
   */
  async login(input: TLoginInput): Promise<TLoginOutput> {
    const started = performance.now();
    const now = this.options.now();
    const row = this.reserveAttempt(input.login, now);
    // Verify even for an unknown login so timing does not reveal which logins exist.
    let ok: boolean;
    if (row) this.inFlight.set(row.id, (this.inFlight.get(row.id) ?? 0) + 1);
    try {
      ok = await this.verify(input.pin, row?.pin_hash ?? DUMMY_HASH, row?.id);
    } catch (error) {
      // The PIN could not be checked (a stored hash the bounds refuse): no guess was made, so the
      // attempt is not a failure. Left counted, five of them locked the cashier for good, even
      // after the PIN was set again.
      if (row) this.uncountAttempt.run(row.id);
      throw error;
    } finally {
      if (row) {
        const left = (this.inFlight.get(row.id) ?? 1) - 1;
        if (left > 0) this.inFlight.set(row.id, left);
        else this.inFlight.delete(row.id);
      }
    }
    if (!row || !ok) {
      this.options.metrics.loginFailures.inc();
      if (row && this.lockIfLimitReached(row.id)) {
        this.options.log.warn({ cashierId: row.id }, "cashier locked after too many wrong PINs");
        throw this.locked(this.options.lockoutMs);
      }
      throw new AppError("UNAUTHORIZED", {
        message: "Wrong login or PIN. After 5 wrong PINs the cashier is locked for a while.",
        fieldErrors: { pin: ["wrong login or PIN"] },
      });
    }
    const token = randomBytes(24).toString("base64url");
    const expiresAt = now + SESSION_MS;
    this.options.db.transaction(() => {
      this.clearFailures.run(row.id);
      this.insertSession.run(sha256(token), row.id, new Date(now).toISOString(), expiresAt);
    })();
    this.options.rum.measure("pin_login.duration", performance.now() - started, "ms", { cashierId: row.id });
    return {
      session: token,
      cashier: { id: row.id, login: row.login, name: row.name, ...(row.inn ? { inn: row.inn } : {}) },
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  /**
   * Counts this attempt (as a failure until the PIN proves right) or refuses it: locked, or as many
   * attempts already counted as the limit allows. IMMEDIATE takes SQLite's write lock first, so the
   * read and the increment are one step for every connection to the buffer, not only this process.
   */
  private reserveAttempt(login: string, now: number): CashierRow | undefined {
    const reserved = this.options.db
      .transaction(() => {
        const row = this.byLogin.get(login);
        if (!row) return undefined;
        if (row.locked_until > now) throw this.locked(row.locked_until - now);
        if (row.failed_attempts >= MAX_PIN_FAILURES && !this.inFlight.get(row.id)) {
          // Counted, and no verification of them is left (the agent was killed while they ran):
          // they count as wrong and the lockout starts now. Waiting for them would wait forever.
          // Returned, not thrown: a throw would roll the lockout back with the transaction.
          this.lockNow.run(now + this.options.lockoutMs, row.id);
          return "locked" as const;
        }
        if (row.failed_attempts >= MAX_PIN_FAILURES) {
          // The limit's worth of attempts is counted and still being checked: whatever they turn
          // out to be, this one gets no guess (if they are all wrong the lockout starts at once).
          throw new AppError("USER_LOCKED", {
            message: `${MAX_PIN_FAILURES} PIN attempts for this cashier are being checked: wait for them; after ${MAX_PIN_FAILURES} wrong PINs the cashier is locked.`,
            retryAfterSeconds: 1,
          });
        }
        this.countAttempt.run(row.id);
        return row;
      })
      .immediate();
    if (reserved === "locked") throw this.locked(this.options.lockoutMs);
    return reserved;
  }

  /** After a wrong PIN: locks the cashier if the counted attempts reached the limit (and restarts the count). */
  private lockIfLimitReached(cashierId: string): boolean {
    const until = this.options.now() + this.options.lockoutMs;
    return this.lockAtLimit.run(until, cashierId, MAX_PIN_FAILURES).changes > 0;
  }

  /**
   * One scrypt at a time: at N=2^17 each takes 128 MiB, and a till's agent targets 150 MB in all.
   * A stored hash the bounds refuse is a typed error (the PIN cannot be checked here), never a guess.
   */
  private verify(pin: string, stored: string, cashierId: string | undefined): Promise<boolean> {
    const run = this.verifying.then(() => verifyPin(pin, stored));
    this.verifying = run.then(
      () => undefined,
      () => undefined,
    );
    return run.catch((error: unknown) => {
      if (!(error instanceof PasswordHashError)) throw error;
      this.options.log.error({ cashierId, err: error }, "a cashier's stored PIN hash is refused");
      throw new AppError("UNAUTHORIZED", {
        message:
          "This cashier's PIN cannot be checked on this till (its stored hash is refused): set the PIN again in the dashboard and sync.",
        fieldErrors: { pin: ["the stored PIN hash is refused"] },
        cause: error,
      });
    });
  }

  /** Who rings this up: a named cashier, or the cashier behind a session (required with KASSA_REQUIRE_LOGIN=1). */
  resolve(ref: TCashierRef | undefined, field = "cashier"): ResolvedCashier | null {
    if (!ref) {
      if (this.options.requireLogin) throw this.loginRequired(field);
      return null;
    }
    if ("session" in ref) {
      const row = this.sessionCashier.get(sha256(ref.session), this.options.now());
      if (!row) {
        throw new AppError("SESSION_INVALID", {
          message: "The cashier session is unknown or expired: log in again with auth.login.",
          fieldErrors: { [`${field}.session`]: ["unknown or expired session"] },
        });
      }
      // The name and INN were set centrally (maybe by an older release): they are printed on the
      // receipt, so they pass the same content contract as a name the POS sends.
      const printable = ZCashierByName.safeParse({ name: row.name, ...(row.inn ? { inn: row.inn } : {}) });
      if (!printable.success) {
        throw new AppError("VALIDATION_FAILED", {
          message: `Cashier ${row.login}'s name or INN as set centrally cannot be printed by the fiscal register: correct it in the dashboard (or sell with cashier {name}).`,
          fieldErrors: {
            [field]: printable.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
          },
        });
      }
      return { ...printable.data, cashierId: row.id };
    }
    if (this.options.requireLogin) throw this.loginRequired(field);
    return { name: ref.name, ...(ref.inn ? { inn: ref.inn } : {}) };
  }

  private loginRequired(field: string): AppError {
    return new AppError("LOGIN_REQUIRED", {
      message: "This till requires PIN login: call auth.login and send cashier: {session}.",
      fieldErrors: { [field]: ["a cashier session from auth.login is required"] },
    });
  }

  private locked(remainingMs: number): AppError {
    const minutes = Math.ceil(remainingMs / 60_000);
    return new AppError("USER_LOCKED", {
      message: `Too many wrong PINs: this cashier is locked for ${minutes} more minute(s). Ask a manager or wait.`,
      retryAfterSeconds: Math.ceil(remainingMs / 1000),
    });
  }
}

/** A valid hash of no real PIN, so unknown logins cost the same as known ones. */
const DUMMY_HASH =
  "scrypt$16384$8$5$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
