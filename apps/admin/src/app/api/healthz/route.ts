import { getDb } from "~/server/db.ts";

export const dynamic = "force-dynamic";

/** 200 once the central database is open and migrated (the launcher and load balancers poll this). */
export async function GET(): Promise<Response> {
  try {
    const db = await getDb();
    await db.prisma.$queryRaw`SELECT 1`;
    return Response.json({ ok: true, database: db.kind });
  } catch (error) {
    return Response.json(
      { ok: false, error: error instanceof Error ? error.message : String(error) },
      { status: 503 },
    );
  }
}
