import { newId } from "@kassa/db/central";
import { type CentralContext, type CentralDatabase, createCentralContext } from "../context.ts";
import { isSecureRequest, type KassaAuth, SESSION_TTL_SECONDS, signedSessionCookie } from "./kassa-auth.ts";
import type { DashboardSession } from "./session.ts";

/** The cookie-signing secret of tests and benches (never a server's). */
export const TEST_SESSION_SECRET = "test-session-secret-0123456789abcdef";

/**
 * A `Cookie` header value for a fresh session row of `userId`, signed with `secret` — what a real
 * sign-in leaves in the browser, without the scrypt check (tests and benches sign in hundreds of
 * times). The session is real: sign-out or revokeUserSessions ends it like any other.
 */
export async function testSessionCookie(
  db: CentralDatabase,
  userId: string,
  secret: string = TEST_SESSION_SECRET,
  options: { secure?: boolean } = {},
): Promise<string> {
  const token = `${newId()}${newId()}`;
  await db.prisma.session.create({
    data: {
      id: newId(),
      token,
      userId,
      expiresAt: new Date(Date.now() + SESSION_TTL_SECONDS * 1000),
    },
  });
  return signedSessionCookie(token, secret, options.secure);
}

/**
 * A context factory for `createCaller(…)` signed in as `userId` (a fresh session per call), or
 * with no cookie for null. tRPC resolves it per call, so callers stay synchronous to build.
 */
export function signedInContext(
  db: CentralDatabase,
  userId: string | null,
  options: { now?: () => Date; secret?: string; headers?: Record<string, string> } = {},
): () => Promise<CentralContext> {
  const secret = options.secret ?? TEST_SESSION_SECRET;
  return async () => {
    const headers = new Headers(options.headers);
    if (userId) headers.set("cookie", await testSessionCookie(db, userId, secret));
    return createCentralContext({
      db,
      headers,
      sessionSecret: secret,
      ...(options.now ? { now: options.now } : {}),
    });
  };
}

/**
 * better-auth's own getSession answer for a request, as sessionFromHeaders' shape: the reference
 * the direct cookie + row read (session.ts) is checked against.
 */
export async function betterAuthSession(auth: KassaAuth, headers: Headers): Promise<DashboardSession | null> {
  const result = await auth.forRequest(isSecureRequest(headers)).api.getSession({ headers });
  if (!result) return null;
  return { userId: result.user.id, sessionId: result.session.id, expiresAt: result.session.expiresAt };
}
