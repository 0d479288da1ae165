import { createKassaAuth, type KassaAuth } from "@kassa/api/central/auth";
import { getEnv } from "../env.ts";
import { getDb } from "./db.ts";

// One sign-in per process, over the process's central database (kept on globalThis for the same
// reason as db.ts: Next.js may evaluate this module in several bundles).
const holder = globalThis as typeof globalThis & { __kassaAuth?: Promise<KassaAuth> };

/** The dashboard's sign-in (better-auth on the central database, the shared throttle). */
export function getAuth(): Promise<KassaAuth> {
  if (!holder.__kassaAuth) {
    const opening = getDb().then((db) => createKassaAuth({ db, secret: getEnv().sessionSecret }));
    holder.__kassaAuth = opening;
    opening.catch(() => {
      if (holder.__kassaAuth === opening) holder.__kassaAuth = undefined;
    });
  }
  return holder.__kassaAuth;
}
