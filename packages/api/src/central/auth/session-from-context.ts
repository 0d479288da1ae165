import type { CentralContext } from "../context.ts";
import { type DashboardSession, sessionFromHeaders } from "./session.ts";

/**
 * The signed-in user's session from the request's cookie, or null. A context without sign-in (a
 * server for agents only) never authenticates anyone.
 */
export function sessionFromContext(ctx: CentralContext): Promise<DashboardSession | null> {
  if (ctx.auth === null) return Promise.resolve(null);
  return sessionFromHeaders(ctx.auth, ctx.headers);
}
