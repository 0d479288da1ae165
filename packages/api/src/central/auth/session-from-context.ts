import type { CentralContext } from "../context.ts";
import { readCookie, SESSION_COOKIE } from "./cookie.ts";
import { type DashboardSession, readSessionToken } from "./session-token.ts";

/**
 * The signed-in user's session from the request's cookie, or null. A context without a session
 * secret (a server for agents only) never authenticates anyone.
 */
export function sessionFromContext(ctx: CentralContext): DashboardSession | null {
  if (ctx.sessionSecret === null) return null;
  const token = readCookie(ctx.headers.get("cookie"), SESSION_COOKIE);
  return token ? readSessionToken(token, ctx.sessionSecret, ctx.now()) : null;
}
