import type { SyncEngine, TAgentStatus } from "@kassa/api/agent";
import type { BufferCapacity } from "../buffer/capacity.ts";
import { WARN_FILL } from "../buffer/capacity.ts";
import type { ReceiptStatements } from "../db/receipt-rows.ts";
import type { DeviceRunner } from "../fiscal/device-runner.ts";
import type { FiscalQueue } from "../fiscal/fiscal-queue.ts";
import { withOffset } from "../fiscal/with-offset.ts";
import type { AgentMetrics } from "../metrics.ts";
import type { ShiftService } from "../shift/shift-service.ts";

const FN_UNSENT_WARN_DAYS = 25;

export interface StatusServiceOptions {
  terminalId: string;
  syncMode: "running" | "offline-only";
  runner: DeviceRunner;
  queue: FiscalQueue;
  shifts: ShiftService;
  capacity: BufferCapacity;
  statements: ReceiptStatements;
  /** Receipts the register refused for their content, waiting for support. */
  countNeedsAttention: () => number;
  sync: () => SyncEngine;
  metrics: AgentMetrics;
  now: () => number;
}

/** `status`: what the till, its register, its buffer and its sync are doing, with warnings in words. */
export async function agentStatus(o: StatusServiceOptions): Promise<TAgentStatus> {
  const device = await readDevice(o);
  o.capacity.refresh();
  const sync = o.sync().status();
  const waiting = o.statements.countWaiting.get()!.n;
  const needsAttention = o.countNeedsAttention();
  o.metrics.receiptsWaiting.set(waiting);
  const fill = o.capacity.fill;
  const warnings: string[] = [];
  if (fill >= WARN_FILL) {
    warnings.push(`Buffer ${Math.round(fill * 100)} % full: restore the connection to the central server.`);
  }
  const shiftWarning = o.shifts.warning();
  if (shiftWarning) warnings.push(shiftWarning);
  if (o.queue.waitingReason) warnings.push(o.queue.waitingReason.message);
  if (needsAttention > 0) {
    warnings.push(
      `${needsAttention} receipt${needsAttention === 1 ? " was" : "s were"} refused by the fiscal register for ${needsAttention === 1 ? "its" : "their"} content and will not print: settle the sale with the customer, then void it (kassa-agent receipts attention / receipts void).`,
    );
  }
  if (device.fnOldestUnsentAt) {
    const days = (o.now() - Date.parse(device.fnOldestUnsentAt)) / 86_400_000;
    if (days >= FN_UNSENT_WARN_DAYS) {
      warnings.push(
        `The oldest fiscal document has waited ${Math.floor(days)} days for the OFD: at 30 days the FN blocks sales. Restore the internet connection.`,
      );
    }
  }
  const shift = o.shifts.current();
  return {
    terminalId: o.terminalId,
    online: sync.online,
    sync: o.syncMode,
    device: {
      ...device,
      shiftOpen: shift !== null,
      shiftExpiresAt: shift ? new Date(shift.opened_at_ms + 24 * 3_600_000).toISOString() : null,
      waitingReason: o.queue.waitingReason,
    },
    buffer: {
      pending: o.capacity.pendingCount,
      capacity: o.capacity.capacity,
      fillPercent: Math.round(fill * 1000) / 10,
    },
    receipts: { waitingForDevice: waiting, needsAttention },
    breakers: sync.breakers,
    lastSyncAt: sync.lastSyncAt,
    clockSkewMs: sync.clockSkewMs,
    warnings,
  };
}

/** Asks the register, through the shared queue so it never interrupts a receipt; a dead line is a state, not an error. */
async function readDevice(o: StatusServiceOptions) {
  try {
    return await o.runner.run(async (device) => {
      const status = await device.status();
      const ofd = await device.ofdStatus();
      return {
        connected: true,
        mode: status.mode,
        paper: status.paperPresent,
        fnUnsent: ofd.unsentCount,
        fnOldestUnsentAt: ofd.oldestUnsentAt && withOffset(ofd.oldestUnsentAt),
      };
    });
  } catch {
    return { connected: false, mode: "unknown", paper: false, fnUnsent: 0, fnOldestUnsentAt: null };
  }
}
