import { Counter, Gauge, Histogram } from "prom-client";
import { centralRegistry } from "../metrics.ts";
import type { ItemResult } from "../sync/item-result.ts";
import type { SqlRunner } from "../sync/sql.ts";

/**
 * The central server's own ingest figures on /metrics (centralRegistry): what arrives, how big the
 * batches are, what admission control turns away and how long the database takes. Registered
 * once per process (the registry survives Next.js dev reloads, so do these).
 */
function once<T>(name: string, make: () => T): T {
  return (centralRegistry.getSingleMetric(name) as T | undefined) ?? make();
}

export const ingestItems = once(
  "kassa_central_ingest_items_total",
  () =>
    new Counter({
      name: "kassa_central_ingest_items_total",
      help: "Items answered by ingest.push, by kind and status (accepted, duplicate, rejected); rate() is the ingest rate",
      labelNames: ["kind", "status"] as const,
      registers: [centralRegistry],
    }),
);

export const ingestBatchItems = once(
  "kassa_central_ingest_batch_items",
  () =>
    new Histogram({
      name: "kassa_central_ingest_batch_items",
      help: "Items per ingest.push batch",
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers: [centralRegistry],
    }),
);

export const ingestAdmissionRefusals = once(
  "kassa_central_ingest_admission_refusals_total",
  () =>
    new Counter({
      name: "kassa_central_ingest_admission_refusals_total",
      help: "ingest.push calls answered RETRY_LATER by admission control",
      registers: [centralRegistry],
    }),
);

export const ingestTransactionSeconds = once(
  "kassa_central_ingest_transaction_seconds",
  () =>
    new Histogram({
      name: "kassa_central_ingest_transaction_seconds",
      help: "Database time of one ingest.push batch (its whole transaction)",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [centralRegistry],
    }),
);

/** One ingest.push answered: its items by kind and status, its size and its database time. */
export function recordIngestBatch(results: readonly ItemResult[], seconds: number): void {
  ingestBatchItems.observe(results.length);
  ingestTransactionSeconds.observe(seconds);
  const counts = new Map<string, number>();
  for (const r of results) {
    const key = `${r.kind}\u0000${r.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, n] of counts) {
    const [kind, status] = key.split("\u0000") as [string, string];
    ingestItems.inc({ kind, status }, n);
  }
}

/**
 * Round trip of `SELECT 1`, measured when /metrics is scraped: the database's latency as this
 * instance sees it (-1 when the query failed). The scrape passes its database in.
 */
const dbPingSeconds = once(
  "kassa_central_db_ping_seconds",
  () =>
    new Gauge({
      name: "kassa_central_db_ping_seconds",
      help: "Round trip of SELECT 1 to the central database at scrape time (-1 = failed)",
      registers: [centralRegistry],
    }),
);

/** The exposition text, after measuring the database's round trip. */
export async function scrapeCentralMetrics(sql: SqlRunner): Promise<string> {
  const started = performance.now();
  try {
    await sql.query("SELECT 1");
    dbPingSeconds.set((performance.now() - started) / 1000);
  } catch {
    dbPingSeconds.set(-1);
  }
  return centralRegistry.metrics();
}
