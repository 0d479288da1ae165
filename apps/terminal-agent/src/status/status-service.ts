import type { SyncEngine, TAgentStatus } from "@kassa/api/agent";
import type { DeviceInfo } from "@kassa/fiscal/device";
import type { BufferCapacity } from "../buffer/capacity.ts";
import { WARN_FILL } from "../buffer/capacity.ts";
import type { ReceiptStatements } from "../db/receipt-rows.ts";
import type { DeviceRunner } from "../fiscal/device-runner.ts";
import type { FiscalQueue } from "../fiscal/fiscal-queue.ts";
import { withOffset } from "../fiscal/with-offset.ts";
import type { AgentMetrics } from "../metrics.ts";
import type { ShiftService } from "../shift/shift-service.ts";
import type { WireItem } from "../sync/wire-items.ts";

/** The wire shape of the `terminal_status` item (ZTerminalStatusData of the central ingest). */
export type TerminalStatusData = Extract<WireItem, { kind: "terminal_status" }>["data"];

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
  /** The register family the till is configured for (KASSA_KKT_KIND), sent with the snapshot. */
  family?: "shtrih" | "atol";
}

/** `status`: what the till, its register, its buffer and its sync are doing, with warnings in words. */
export async function agentStatus(o: StatusServiceOptions): Promise<TAgentStatus> {
  return (await readStatus(o, false)).status;
}

/**
 * The status snapshot the sync worker sends the central server on every round (outbox kind
 * `terminal_status`): the local `status` plus the till's DLQ backlog and the register's FN number,
 * in the wire shape of ZTerminalStatusData. Fleet shows it, so a till that sells nothing is true too.
 */
export async function terminalStatusSnapshot(
  o: StatusServiceOptions & { dlqPending: () => number | Promise<number> },
): Promise<TerminalStatusData> {
  const { status, fnNumber, identity } = await readStatus(o, true);
  const fnKnown = status.device.connected;
  return {
    measuredAt: new Date(o.now()).toISOString(),
    online: status.online,
    lastSyncAt: status.lastSyncAt,
    pending: status.buffer.pending,
    bufferCapacity: status.buffer.capacity,
    bufferFillPercent: status.buffer.fillPercent,
    dlqPending: await o.dlqPending(),
    breakers: status.breakers,
    device: {
      connected: status.device.connected,
      mode: status.device.mode.slice(0, 32),
      paper: status.device.paper,
      shiftOpen: status.device.shiftOpen,
      shiftExpiresAt: status.device.shiftExpiresAt,
    },
    receipts: {
      waitingForDevice: status.receipts.waitingForDevice,
      waitingReason: status.device.waitingReason,
      needsAttention: status.receipts.needsAttention,
    },
    // A register that did not answer reports nothing about its FN: unknown, not "0 unsent".
    fn: {
      unsentCount: fnKnown ? status.device.fnUnsent : null,
      oldestUnsentAt: fnKnown ? status.device.fnOldestUnsentAt : null,
    },
    // Model and firmware as the register reports them (identify); unknown when it cannot say.
    register: {
      model: identity?.model.slice(0, 128) ?? null,
      fnNumber,
      firmware: identity?.firmware?.slice(0, 64) ?? null,
      ...(identity?.family || o.family ? { family: identity?.family ?? o.family } : {}),
    },
    clockSkewMs: status.clockSkewMs === null ? null : Math.round(status.clockSkewMs),
  };
}

async function readStatus(
  o: StatusServiceOptions,
  withFn: boolean,
): Promise<{ status: TAgentStatus; fnNumber: string | null; identity: DeviceInfo | null }> {
  const { fnNumber, identity, ...device } = await readDevice(o, withFn);
  // A register that did not answer says nothing about its FN: /metrics keeps the last reading.
  if (device.connected) o.metrics.noteFnUnsent(device.fnUnsent, device.fnOldestUnsentAt);
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
  if (sync.centralKey) warnings.push(sync.centralKey.message);
  const shift = o.shifts.current();
  const status: TAgentStatus = {
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
    centralKey: sync.centralKey ?? null,
    warnings,
  };
  return { status, fnNumber, identity };
}

/** Asks the register, through the shared queue so it never interrupts a receipt; a dead line is a state, not an error. */
async function readDevice(o: StatusServiceOptions, withFn: boolean) {
  try {
    return await o.runner.run(async (device) => {
      const status = await device.status();
      const ofd = await device.ofdStatus();
      // The FN number only for the central snapshot: the local `status` keeps its two calls.
      const fnNumber = withFn ? (await device.fnStatus()).fnNumber : null;
      // A driver that cannot identify its register yet still reports everything else.
      const identity = withFn ? await device.identify().catch(() => null) : null;
      return {
        connected: true,
        mode: status.mode as string,
        paper: status.paperPresent,
        fnUnsent: ofd.unsentCount,
        fnOldestUnsentAt: ofd.oldestUnsentAt && withOffset(ofd.oldestUnsentAt),
        fnNumber,
        identity,
      };
    });
  } catch {
    return {
      connected: false,
      mode: "unknown",
      paper: false,
      fnUnsent: 0,
      fnOldestUnsentAt: null,
      fnNumber: null,
      identity: null,
    };
  }
}
