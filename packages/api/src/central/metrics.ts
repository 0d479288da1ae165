import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * The central server's Prometheus registry, served at `/metrics` by apps/admin. One per process:
 * every central module registers its metrics here (ingest, admission, database latency, alerts), so
 * one scrape sees them all. Tests that need isolation read values through `registry.getSingleMetric`.
 */
const globalForMetrics = globalThis as unknown as { kassaCentralMetrics?: Registry };

export const centralRegistry: Registry = globalForMetrics.kassaCentralMetrics ?? createRegistry();
// Next.js dev reloads re-evaluate modules: keep one registry, or every metric would register twice.
globalForMetrics.kassaCentralMetrics = centralRegistry;

function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "kassa_central_" });
  return registry;
}
