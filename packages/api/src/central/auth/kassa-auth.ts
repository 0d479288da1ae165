import { createHmac } from "node:crypto";
import { newId } from "@kassa/db/central";
import { hashPassword, PasswordHashError, verifyPassword } from "@kassa/db/secrets";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import type { CentralDatabase } from "../context.ts";
import { createSignInThrottle, type SignInThrottle, type SignInThrottleOptions } from "./throttle.ts";

// Dashboard sign-in is better-auth (email + password, sessions as rows of `sessions`), configured
// onto Kassa's tables and Kassa's scrypt. Why better-auth rather than the signed cookie it
// replaces: sessions must be revocable everywhere (sign-out, password change, removal), which a
// stateless cookie cannot be, and a maintained library carries the cookie signing, session
// lookup and credential plumbing so Kassa keeps only its own rules (who may see which store).
// Its organization plugin is not used: its members need a surrogate id and a slug, its roles and
// access control would duplicate dashboard/permissions.ts, and it has no store scope — Kassa's
// memberships stay the one source of roles and stores.
// Only `auth.api.*` is called (from the admin app's server actions); no better-auth HTTP route is
// mounted, so sign-up, password reset and the rest are not reachable. Each request's session is
// read by session.ts from the same cookie and rows (better-auth's getSession, for Kassa's
// configuration below, minus its generic machinery).

/** A session lasts one working day from sign-in; it is not extended by use (no sliding expiry). */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

/**
 * The session cookie's names. Over HTTPS `__Host-` (the browser then insists on Secure, Path=/
 * and no Domain, so no subdomain or plain-http page can plant or read it). Over plain http (the
 * demo on localhost, a till-side LAN install) a `__Host-`/Secure cookie would be dropped by the
 * browser on a LAN address, so the cookie is plain `kassa_session` — still HttpOnly and
 * SameSite=Lax; there is no transport security for Secure to protect there anyway.
 */
export const SESSION_COOKIE = { secure: "__Host-kassa_session", plain: "kassa_session" } as const;

export interface KassaAuthOptions {
  db: CentralDatabase;
  /** Signs session cookies (HMAC); at least 32 characters. */
  secret: string;
  throttle?: Partial<SignInThrottleOptions>;
}

function configure(db: CentralDatabase, secret: string, secure: boolean) {
  const name = secure ? SESSION_COOKIE.secure : SESSION_COOKIE.plain;
  return betterAuth({
    appName: "Kassa",
    secret,
    // Only used for links better-auth would build (none of Kassa's flows does); the protocol is
    // what matters, and the cookie options below are explicit anyway.
    baseURL: secure ? "https://kassa.invalid" : "http://kassa.invalid",
    database: prismaAdapter(db.prisma, { provider: "postgresql", transaction: false }),
    emailAndPassword: {
      enabled: true,
      // People are invited by an owner (admin pages); nobody signs themselves up.
      disableSignUp: true,
      minPasswordLength: 8,
      maxPasswordLength: 1024,
      password: {
        // Kassa's scrypt at OWASP's parameters (N=2^17, r=8, p=1), the format existing users have.
        hash: hashPassword,
        // A stored hash outside the accepted scrypt bounds is never computed: it answers like a
        // wrong password, and the account signs in again once its password is set anew.
        verify: ({ hash, password }) =>
          verifyPassword(password, hash).catch((error: unknown) => {
            if (error instanceof PasswordHashError) return false;
            throw error;
          }),
      },
    },
    session: {
      expiresIn: SESSION_TTL_SECONDS,
      disableSessionRefresh: true,
      // Every request reads the session row, so a deleted row (revocation) counts at once.
      cookieCache: { enabled: false },
    },
    // Sign-in is throttled by Kassa (throttle.ts, shared by every instance); better-auth's own
    // limiter would count per process.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    logger: { level: "error" },
    advanced: {
      useSecureCookies: false,
      cookies: {
        session_token: { name, attributes: { secure, sameSite: "lax", httpOnly: true, path: "/" } },
        session_data: {
          name: secure ? "__Host-kassa_session_data" : "kassa_session_data",
          attributes: { secure, sameSite: "lax", httpOnly: true, path: "/" },
        },
        dont_remember: {
          name: secure ? "__Host-kassa_dont_remember" : "kassa_dont_remember",
          attributes: { secure, sameSite: "lax", httpOnly: true, path: "/" },
        },
      },
      database: { generateId: () => newId() },
    },
  });
}

export type BetterAuthInstance = ReturnType<typeof configure>;

/** Kassa's sign-in: better-auth for secure and plain requests over one database, and the throttle. */
export interface KassaAuth {
  db: CentralDatabase;
  secret: string;
  /** better-auth reading and writing the cookie for this kind of request (see SESSION_COOKIE). */
  forRequest(secure: boolean): BetterAuthInstance;
  throttle: SignInThrottle;
}

export function createKassaAuth(options: KassaAuthOptions): KassaAuth {
  if (options.secret.length < 32) {
    throw new TypeError("The session secret must be at least 32 characters (e.g. `openssl rand -hex 32`).");
  }
  let secure: BetterAuthInstance | undefined;
  let plain: BetterAuthInstance | undefined;
  return {
    db: options.db,
    secret: options.secret,
    forRequest(isSecure) {
      if (isSecure) {
        secure ??= configure(options.db, options.secret, true);
        return secure;
      }
      plain ??= configure(options.db, options.secret, false);
      return plain;
    },
    throttle: createSignInThrottle(options.db, options.throttle),
  };
}

// One KassaAuth per (database, secret), for callers that hold only a secret (tests, benches,
// the standalone server): a second one would only be a second throttle object over the same rows.
const bySecret = new WeakMap<CentralDatabase, Map<string, KassaAuth>>();

export function kassaAuthFor(db: CentralDatabase, secret: string): KassaAuth {
  const forDb = bySecret.get(db) ?? new Map<string, KassaAuth>();
  bySecret.set(db, forDb);
  const auth = forDb.get(secret) ?? createKassaAuth({ db, secret });
  forDb.set(secret, auth);
  return auth;
}

/**
 * Whether a request reached Kassa over HTTPS: the proxy in front says so in `x-forwarded-proto`
 * (Next.js sets it from the socket when no proxy did). Decides the cookie (SESSION_COOKIE) and HSTS.
 */
export function isSecureRequest(headers: Headers): boolean {
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return proto === "https";
}

/**
 * A `Cookie` header value carrying the session token `token` as better-auth signs it
 * (`<token>.<base64 HMAC-SHA256>`, URL-encoded). For tests and benches that start from a session row.
 */
export function signedSessionCookie(token: string, secret: string, secure = false): string {
  const signature = createHmac("sha256", secret).update(token).digest("base64");
  return `${secure ? SESSION_COOKIE.secure : SESSION_COOKIE.plain}=${encodeURIComponent(`${token}.${signature}`)}`;
}
