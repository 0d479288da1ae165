import { OfdClient, startOfdEmulator } from "@kassa/fiscal/ofd";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { FnDouble } from "./fn-double.ts";
import { createSyncWorker, type SyncObserver } from "./index.ts";
import { openTestBuffer } from "./test-support.ts";

// The worker's observer hooks (what the agent turns into RUM samples), on the OFD destination
// against the real OFD emulator over TCP, with agent time on a fake clock: an offline period is
// reported once, with its original start, even when the worker restarts in the middle of it.

const T0 = Date.UTC(2026, 11, 1, 7, 0, 0);
let nowMs = T0;
const clock = {
  now: () => nowMs,
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
};
const cleanups: (() => Promise<void> | void)[] = [];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(nowMs);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.useRealTimers();
});

function advance(ms: number): void {
  nowMs += ms;
  vi.setSystemTime(nowMs);
}

it("reports the OFD's offline period once, from its first failed round, across a restart; and its batches", async () => {
  const ofd = await startOfdEmulator({ port: 0, clock });
  const fn = new FnDouble([1000, 1001, 1002], nowMs - 3600_000);
  const buffer = await openTestBuffer();
  cleanups.push(
    () => ofd.close(),
    () => buffer.dispose(),
  );
  const seen = { offline: [] as unknown[], batches: [] as unknown[], transitions: [] as string[] };
  const observe: SyncObserver = {
    offline: (period) => seen.offline.push(period),
    batch: (batch) => seen.batches.push({ destination: batch.destination, items: batch.items }),
    transition: (t) => seen.transitions.push(`${t.destination}:${t.from}->${t.to}`),
  };
  const worker = (breaker = {}) => {
    const w = createSyncWorker({
      db: buffer.db,
      terminalId: "till-observe",
      schedule: false,
      watchMs: 0,
      now: () => nowMs,
      breaker,
      observe,
      ofd: {
        device: fn.device(),
        client: new OfdClient({ host: "127.0.0.1", port: ofd.port, timeoutMs: 500 }),
      },
    });
    cleanups.push(() => w.stop());
    return w;
  };

  ofd.setMode("down");
  const first = worker({ failureThreshold: 1 });
  const downAt = nowMs;
  await first.now();
  advance(10 * 60_000);
  await first.now();
  expect(seen.offline).toEqual([]);
  expect(seen.transitions).toContain("ofd:closed->open");
  await first.stop();

  // A restart in the middle of the outage; the OFD comes back 30 minutes after it went away.
  advance(20 * 60_000);
  ofd.setMode("up");
  const second = worker();
  second.networkBack();
  for (let round = 0; round < 5 && fn.unsent.length > 0; round++) {
    await second.now();
    advance(61_000);
  }
  expect(fn.unsent).toEqual([]);
  expect(seen.offline).toEqual([{ destination: "ofd", startedAtMs: downAt, durationMs: 30 * 60_000 }]);
  expect(seen.batches).toContainEqual({ destination: "ofd", items: 3 });
  await second.now();
  expect(seen.offline).toHaveLength(1);
});
