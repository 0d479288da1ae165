import { type CentralContext, type CentralDatabase, createCentralContext } from "../context.ts";
import { readCookie, SESSION_COOKIE } from "./cookie.ts";
import { type DashboardSession, readSessionToken } from "./session-token.ts";

/**
 * The central context plus the key that signs dashboard sessions. The secret travels in the
 * context (not a module global) so tests and several servers in one process each use their own.
 */
export interface DashboardContext extends CentralContext {
  sessionSecret: string;
}

export function createDashboardContext(input: {
  db: CentralDatabase;
  headers: Headers;
  sessionSecret: string;
  now?: () => Date;
}): DashboardContext {
  return { ...createCentralContext(input), sessionSecret: input.sessionSecret };
}

function hasSessionSecret(ctx: CentralContext): ctx is DashboardContext {
  return typeof (ctx as Partial<DashboardContext>).sessionSecret === "string";
}

/**
 * The signed-in user's session from the request's cookie, or null. A context built without a
 * session secret (e.g. by createCentralContext alone) never authenticates anyone.
 */
export function sessionFromContext(ctx: CentralContext): DashboardSession | null {
  if (!hasSessionSecret(ctx)) return null;
  const token = readCookie(ctx.headers.get("cookie"), SESSION_COOKIE);
  return token ? readSessionToken(token, ctx.sessionSecret, ctx.now()) : null;
}
