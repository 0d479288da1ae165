import { createHmac, timingSafeEqual } from "node:crypto";

// A dashboard session is a stateless signed token: `<payload b64url>.<HMAC-SHA256 b64url>` where
// the payload is `{"u":<user id>,"e":<expiry, epoch ms>}`. Stateless keeps the central server
// stateless (any number of Next.js instances, no session table); the price is that sign-out only
// forgets the cookie, so sessions are kept short (SESSION_TTL_MS).

/** How long a session lasts after sign-in: 12 hours (one working day). */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface DashboardSession {
  userId: string;
  expiresAt: Date;
}

function sign(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

export function createSessionToken(session: DashboardSession, secret: string): string {
  const payload = Buffer.from(JSON.stringify({ u: session.userId, e: session.expiresAt.getTime() })).toString(
    "base64url",
  );
  return `${payload}.${sign(payload, secret)}`;
}

/** The session in `token`, or null when it is malformed, tampered with, or expired at `now`. */
export function readSessionToken(token: string, secret: string, now: Date): DashboardSession | null {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(payload, secret));
  const actual = Buffer.from(signature);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const { u, e } = parsed as { u?: unknown; e?: unknown };
  if (typeof u !== "string" || typeof e !== "number" || e <= now.getTime()) return null;
  return { userId: u, expiresAt: new Date(e) };
}
