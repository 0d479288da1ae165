import { type DashboardSession, readSessionToken, SESSION_COOKIE } from "@kassa/api/central/auth";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getEnv } from "../env.ts";

/** The signed-in user's session from the cookie, or null (the signature and expiry are checked). */
export async function currentSession(): Promise<DashboardSession | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return token ? readSessionToken(token, getEnv().sessionSecret, new Date()) : null;
}

/** For dashboard pages: the session, or a redirect to /login. */
export async function requireSession(): Promise<DashboardSession> {
  const session = await currentSession();
  if (!session) redirect("/login");
  return session;
}
