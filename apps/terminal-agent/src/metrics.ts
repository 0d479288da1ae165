import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** The agent's Prometheus metrics, one registry per agent instance (tests run several in one process). */
export function createMetrics() {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
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
