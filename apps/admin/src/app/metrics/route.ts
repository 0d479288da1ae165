import { scrapeCentralMetrics } from "@kassa/api/central";
import { centralRegistry } from "@kassa/api/central/metrics";
import { getEnv } from "~/env.ts";
import { getDb } from "~/server/db.ts";
import { metricsAccess } from "./access.ts";

export const dynamic = "force-dynamic";

/** GET /metrics: the central Prometheus registry (ingest, admission, database, alerts). See access.ts. */
export async function GET(request: Request): Promise<Response> {
  const access = metricsAccess(request.headers.get("authorization"), getEnv());
  if (access === "disabled") return new Response("Not found\n", { status: 404 });
  if (access === "unauthorized")
    return new Response("Unauthorized: send Authorization: Bearer <KASSA_METRICS_TOKEN>\n", {
      status: 401,
      headers: { "www-authenticate": 'Bearer realm="kassa-metrics"' },
    });
  const body = await scrapeCentralMetrics((await getDb()).sql);
  return new Response(body, {
    headers: { "content-type": centralRegistry.contentType, "cache-control": "no-store" },
  });
}
