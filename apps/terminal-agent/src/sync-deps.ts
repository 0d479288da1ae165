import type { FiscalDevice } from "@kassa/fiscal/device";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { CashierRecord } from "./auth/cashiers.ts";
import type { HybridLogicalClock } from "./clock/hlc.ts";
import type { BufferDb } from "./db/buffer.ts";

/**
 * What the composition root (agent.ts) hands to the sync worker:
 * `createSyncWorker(deps: SyncWorkerDeps): SyncEngine` in src/sync/index.ts (helper S).
 */
export interface SyncWorkerDeps {
  db: BufferDb;
  terminalId: string;
  central: { url: string; terminalKey: string };
  log: Logger;
  /** Epoch ms; tests inject a fake clock. */
  now: () => number;
  /** Merge server timestamps with `hlc.receive` (it enforces the drift guard). */
  hlc: HybridLogicalClock;
  /** Runs work on the fiscal register between receipts (the OFD relay: readOfdMessage / writeOfdReceipt). */
  withDevice: <T>(task: (device: FiscalDevice) => Promise<T>) => Promise<T>;
  /** Stores the cashier list fetched from the central server (offline PIN login). */
  replaceCashiers: (cashiers: readonly CashierRecord[]) => void;
  /** Register sync metrics here so they appear on the agent's /metrics. */
  metrics: Registry;
}
