import type { CentralDatabase } from "@kassa/db/central";
import { SESSION_COOKIE } from "../../auth/cookie.ts";
import { createSessionToken } from "../../auth/session-token.ts";
import { createCentralContext } from "../../context.ts";
import { createCallerFactory } from "../../trpc.ts";
import { dashboardRouter } from "../router.ts";

const SECRET = "test-session-secret-0123456789abcdef";
const createCaller = createCallerFactory(dashboardRouter);

/** A dashboard caller signed in as `userId` (tests only), with a fixed clock. */
export function dashboardCaller(db: CentralDatabase, userId: string, now: Date) {
  const token = createSessionToken({ userId, expiresAt: new Date(now.getTime() + 3600_000) }, SECRET);
  const headers = new Headers({ cookie: `${SESSION_COOKIE}=${token}` });
  return createCaller(createCentralContext({ db, headers, sessionSecret: SECRET, now: () => now }));
}
