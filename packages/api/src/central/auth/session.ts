import { isSecureRequest, type KassaAuth } from "./kassa-auth.ts";

/** Who a request's session cookie belongs to. */
export interface DashboardSession {
  userId: string;
  sessionId: string;
  expiresAt: Date;
}

/**
 * The session the request's cookie names, read from the sessions table (a revoked or expired
 * session is null at once, on every instance), or null without a valid, signed cookie.
 */
export async function sessionFromHeaders(
  auth: KassaAuth,
  headers: Headers,
): Promise<DashboardSession | null> {
  const result = await auth.forRequest(isSecureRequest(headers)).api.getSession({ headers });
  if (!result) return null;
  return { userId: result.user.id, sessionId: result.session.id, expiresAt: result.session.expiresAt };
}
