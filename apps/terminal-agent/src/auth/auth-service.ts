import { createHash, randomBytes } from "node:crypto";
import type { TCashierRef, TLoginInput, TLoginOutput } from "@kassa/api/agent";
import { AppError } from "@kassa/api/errors";
import type { Logger } from "pino";
import type { BufferDb } from "../db/buffer.ts";
import type { AgentMetrics } from "../metrics.ts";
import type { RumRecorder } from "../rum.ts";
import { verifyPin } from "./pin.ts";

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
  rum: RumRecorder;
}

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** Offline PIN login against the cached cashiers, and resolution of the `cashier` field of each call. */
export class AuthService {
  private readonly byLogin;
  private readonly recordFailure;
  private readonly clearFailures;
  private readonly insertSession;
  private readonly sessionCashier;

  constructor(private readonly options: AuthServiceOptions) {
    const { db } = options;
    this.byLogin = db.prepare<[string], CashierRow>("SELECT * FROM cashiers WHERE login = ?");
    this.recordFailure = db.prepare("UPDATE cashiers SET failed_attempts = ?, locked_until = ? WHERE id = ?");
    this.clearFailures = db.prepare("UPDATE cashiers SET failed_attempts = 0, locked_until = 0 WHERE id = ?");
    this.insertSession = db.prepare(
      "INSERT INTO cashier_sessions (token_hash, cashier_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    );
    this.sessionCashier = db.prepare<[string, number], CashierRow>(
      `SELECT c.* FROM cashier_sessions s JOIN cashiers c ON c.id = s.cashier_id
       WHERE s.token_hash = ? AND s.expires_at > ?`,
    );
  }

  async login(input: TLoginInput): Promise<TLoginOutput> {
    const started = performance.now();
    const now = this.options.now();
    const row = this.byLogin.get(input.login);
    if (row && row.locked_until > now) throw this.locked(row.locked_until - now);
    // Verify even for an unknown login so timing does not reveal which logins exist.
    const ok = await verifyPin(input.pin, row?.pin_hash ?? DUMMY_HASH);
    if (!row || !ok) {
      this.options.metrics.loginFailures.inc();
      if (row) {
        const failures = row.failed_attempts + 1;
        const lockedUntil = failures >= MAX_PIN_FAILURES ? now + this.options.lockoutMs : 0;
        this.recordFailure.run(failures >= MAX_PIN_FAILURES ? 0 : failures, lockedUntil, row.id);
        if (lockedUntil) {
          this.options.log.warn({ cashierId: row.id }, "cashier locked after too many wrong PINs");
          throw this.locked(this.options.lockoutMs);
        }
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
    this.options.rum.record("pin_login_ms", performance.now() - started, { cashierId: row.id });
    return {
      session: token,
      cashier: { id: row.id, login: row.login, name: row.name, ...(row.inn ? { inn: row.inn } : {}) },
      expiresAt: new Date(expiresAt).toISOString(),
    };
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
      return { name: row.name, ...(row.inn ? { inn: row.inn } : {}), cashierId: row.id };
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
  "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
