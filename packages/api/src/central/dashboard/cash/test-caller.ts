import type { CentralDatabase } from "@kassa/db/central";
import { signedInContext } from "../../auth/testing.ts";
import { createCallerFactory } from "../../trpc.ts";
import { dashboardRouter } from "../router.ts";

const createCaller = createCallerFactory(dashboardRouter);

/** A dashboard caller signed in as `userId` (tests only), with a fixed clock. */
export function dashboardCaller(db: CentralDatabase, userId: string, now: Date) {
  return createCaller(signedInContext(db, userId, { now: () => now }));
}
