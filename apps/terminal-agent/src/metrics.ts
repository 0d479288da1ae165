import { Counter, Gauge, Histogram, Registry } from "prom-client";

const BREAKER_STATES = ["closed", "open", "half_open"] as const;

/**
 * Where the scrape-time gauges read from: set by the agent once the sync worker and the RUM
 * recorder exist (an offline-only agent has no breakers to show, so it leaves them unset).
 */
export interface MetricSources {
  breakers?: () => Record<string, string>;
  dlqPending?: () => number;
  rumStored?: () => number;
}

/** The agent's Prometheus metrics, one registry per agent instance (tests run several in one process). */
export function createMetrics(now: () => number = Date.now) {
  const registry = new Registry();
  const registers = [registry];
  const sources: MetricSources = {};
  /** The FN's oldest document not yet confirmed by the OFD, as last read from the register. */
  const fn = { oldestUnsentAtMs: null as number | null };
  return {
    registry,
    sources,
    /** The register's OFD backlog as the agent last read it (status, every sync round's snapshot). */
    noteFnUnsent(count: number, oldestUnsentAt: string | null): void {
      this.fnUnsent.set(count);
      fn.oldestUnsentAtMs = oldestUnsentAt ? Date.parse(oldestUnsentAt) : null;
    },
    fnUnsent: new Gauge({
      name: "kassa_fn_unsent_documents",
      help: "Fiscal documents the FN holds not yet confirmed by the OFD (last read from the register)",
      registers,
    }),
    fnOldestUnsentAge: new Gauge({
      name: "kassa_fn_oldest_unsent_age_seconds",
      help: "Age of the FN's oldest document unconfirmed by the OFD (0 when none; the FN blocks at 30 days)",
      registers,
      collect() {
        this.set(fn.oldestUnsentAtMs === null ? 0 : Math.max(0, (now() - fn.oldestUnsentAtMs) / 1000));
      },
    }),
    breakerState: new Gauge({
      name: "kassa_sync_breaker_state",
      help: "Circuit breaker per destination: 1 for its current state (closed, open, half_open), 0 for the others",
      labelNames: ["destination", "state"] as const,
      registers,
      collect() {
        const breakers = sources.breakers?.();
        if (!breakers) return;
        for (const [destination, current] of Object.entries(breakers)) {
          for (const state of BREAKER_STATES) this.set({ destination, state }, current === state ? 1 : 0);
        }
      },
    }),
    dlqPending: new Gauge({
      name: "kassa_dlq_items",
      help: "Items in the dead-letter queue waiting for support (retry or discard)",
      registers,
      collect() {
        if (sources.dlqPending) this.set(sources.dlqPending());
      },
    }),
    syncRoundSeconds: new Histogram({
      name: "kassa_sync_round_seconds",
      help: "One sync round (OFD relay, status snapshot, every push to the central server)",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
      registers,
    }),
    syncBatchSeconds: new Histogram({
      name: "kassa_sync_batch_seconds",
      help: "One answered push of a batch, per destination",
      labelNames: ["destination"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    }),
    syncBatchItems: new Counter({
      name: "kassa_sync_items_sent_total",
      help: "Items sent in answered pushes, per destination",
      labelNames: ["destination"] as const,
      registers,
    }),
    syncBatchBytes: new Counter({
      name: "kassa_sync_bytes_sent_total",
      help: "Bytes on the wire (compressed) of answered pushes, per destination",
      labelNames: ["destination"] as const,
      registers,
    }),
    rumStored: new Gauge({
      name: "kassa_rum_samples_buffered",
      help: "RUM samples in the buffer waiting for the central server (bounded by KASSA_RUM_MAX_SAMPLES)",
      registers,
      collect() {
        if (sources.rumStored) this.set(sources.rumStored());
      },
    }),
    receiptsAccepted: new Counter({
      name: "kassa_receipts_accepted_total",
      help: "Receipts durably accepted",
      labelNames: ["kind"] as const,
      registers,
    }),
    receiptsFiscalized: new Counter({
      name: "kassa_receipts_fiscalized_total",
      help: "Receipts fiscalized by the device",
      registers,
    }),
    acceptSeconds: new Histogram({
      name: "kassa_receipt_accept_seconds",
      help: "receipts.create: validation to durable commit (excludes printing)",
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.25],
      registers,
    }),
    deviceErrors: new Counter({
      name: "kassa_device_errors_total",
      help: "Fiscal register errors by code",
      labelNames: ["code"] as const,
      registers,
    }),
    receiptsWaiting: new Gauge({
      name: "kassa_receipts_waiting_for_device",
      help: "Receipts accepted but not yet fiscalized",
      registers,
    }),
    bufferPending: new Gauge({
      name: "kassa_buffer_pending",
      help: "Outbox items not yet delivered",
      registers,
    }),
    bufferFill: new Gauge({
      name: "kassa_buffer_fill_ratio",
      help: "Outbox items / capacity (warns at 0.8)",
      registers,
    }),
    centralFaults: new Counter({
      name: "kassa_sync_central_faults_total",
      help: "Pushes the central server failed through its own fault (no answer, 5xx, a 4xx naming no item); nothing dead-lettered",
      labelNames: ["status"] as const,
      registers,
    }),
    loginFailures: new Counter({ name: "kassa_login_failures_total", help: "Failed PIN logins", registers }),
    requestsRejected: new Counter({
      name: "kassa_requests_rejected_total",
      help: "Local API requests refused before reaching a procedure",
      labelNames: ["reason"] as const,
      registers,
    }),
  };
}

export type AgentMetrics = ReturnType<typeof createMetrics>;
