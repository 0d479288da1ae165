import type { TIngestItem, TTerminalStatusData } from "../ingest/ingest-items.types.ts";
import { hlcAt } from "./sample-receipts.ts";

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object | null ? DeepPartial<T[K]> | T[K] : T[K] };

/** A healthy till's status snapshot measured at `atMs`, with `changes` applied: for tests and benches. */
export function sampleTerminalStatus(
  atMs: number,
  changes: DeepPartial<TTerminalStatusData> = {},
): TTerminalStatusData {
  const base: TTerminalStatusData = {
    measuredAt: new Date(atMs).toISOString(),
    online: true,
    lastSyncAt: new Date(atMs - 15_000).toISOString(),
    pending: 0,
    bufferCapacity: 100_000,
    bufferFillPercent: 0,
    dlqPending: 0,
    breakers: { central: "closed", ofd: "closed" },
    device: {
      connected: true,
      mode: "shift_open",
      paper: true,
      shiftOpen: true,
      shiftExpiresAt: new Date(atMs + 20 * 3_600_000).toISOString(),
    },
    receipts: { waitingForDevice: 0, waitingReason: null, needsAttention: 0 },
    fn: { unsentCount: 0, oldestUnsentAt: null },
    register: { model: "Shtrih-M emulator", fnNumber: "9999078900004312", firmware: null },
    clockSkewMs: 0,
  };
  const merged = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    const held = merged[key];
    merged[key] =
      value && typeof value === "object" && held && typeof held === "object" ? { ...held, ...value } : value;
  }
  return merged as unknown as TTerminalStatusData;
}

export function terminalStatusItem(
  atMs: number,
  changes?: DeepPartial<TTerminalStatusData>,
  counter = 0,
): Extract<TIngestItem, { kind: "terminal_status" }> {
  return {
    kind: "terminal_status",
    id: "terminal-status",
    hlc: hlcAt(atMs, counter),
    data: sampleTerminalStatus(atMs, changes),
  };
}
