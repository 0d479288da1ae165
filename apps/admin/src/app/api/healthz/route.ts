import { getDb } from "~/server/db.ts";

export const dynamic = "force-dynamic";

/**
 * 200 `{"ok":true}` once the central database is open, migrated and answering; 503 `{"ok":false}`
 * otherwise (the launcher and load balancers poll this). It names no host, database or error:
 * anyone can reach it, so the reason goes to the server's log only.
 */
export async function GET(): Promise<Response> {
  try {
    const db = await getDb();
    await db.prisma.$queryRaw`SELECT 1`;
    return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    console.error("healthz: the central database is not available:", error);
    return Response.json({ ok: false }, { status: 503, headers: { "cache-control": "no-store" } });
  }
}
