import { type DashboardSession, sessionFromHeaders } from "@kassa/api/central/auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "./auth.ts";

/** The signed-in user's session (a live row of `sessions`, named by the signed cookie), or null. */
export async function currentSession(): Promise<DashboardSession | null> {
  return sessionFromHeaders(await getAuth(), new Headers(await headers()));
}

/** For dashboard pages: the session, or a redirect to /login. */
export async function requireSession(): Promise<DashboardSession> {
  const session = await currentSession();
  if (!session) redirect("/login");
  return session;
}
