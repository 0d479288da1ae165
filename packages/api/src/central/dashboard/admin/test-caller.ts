import type { CentralDatabase } from "@kassa/db/central";
import { testSessionCookie } from "../../auth/testing.ts";
import { createCentralContext } from "../../context.ts";
import { createCallerFactory } from "../../trpc.ts";
import { dashboardRouter } from "../router.ts";

const SECRET = "test-session-secret-0123456789abcdef";
const createCaller = createCallerFactory(dashboardRouter);
const cookies = new Map<string, Promise<string>>();

/** A dashboard caller signed in as `userId` through a real session row (tests only), with a fixed clock. */
export async function adminCaller(db: CentralDatabase, userId: string, now: Date) {
  let cookie = cookies.get(userId);
  if (!cookie) {
    cookie = testSessionCookie(db, userId, SECRET);
    cookies.set(userId, cookie);
  }
  const headers = new Headers({ cookie: await cookie });
  return createCaller(createCentralContext({ db, headers, sessionSecret: SECRET, now: () => now }));
}

/** A new session for `userId` each time (a test that ends sessions needs fresh ones). */
export async function freshSessionHeaders(db: CentralDatabase, userId: string): Promise<Headers> {
  return new Headers({ cookie: await testSessionCookie(db, userId, SECRET) });
}

export function callerWithHeaders(db: CentralDatabase, headers: Headers, now: Date) {
  return createCaller(createCentralContext({ db, headers, sessionSecret: SECRET, now: () => now }));
}

/** Forgets cached sessions (between test files sharing this module; each file has its own database). */
export function resetAdminCallers(): void {
  cookies.clear();
}

/** `call("owner").admin.stores.list()` reads as a plain call while the caller (a session row) is made on first use. */
export function lazy<T extends object>(caller: Promise<T>): T {
  const at = (path: string[]): unknown =>
    new Proxy(() => undefined, {
      get: (_t, key) => at([...path, String(key)]),
      apply: async (_t, _this, args) => {
        let target: unknown = await caller;
        for (const key of path) target = (target as Record<string, unknown>)[key];
        return (target as (...a: unknown[]) => unknown)(...args);
      },
    });
  return at([]) as T;
}
