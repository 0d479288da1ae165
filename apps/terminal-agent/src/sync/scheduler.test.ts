import { afterEach, describe, expect, it, vi } from "vitest";
import { createSyncScheduler } from "./scheduler.ts";

afterEach(() => vi.useRealTimers());

describe("sync scheduler", () => {
  it("runs at once for a new outbox row (coalescing a burst) and when the watcher sees one", async () => {
    vi.useFakeTimers();
    let highWater = 0;
    const runs: number[] = [];
    let backs = 0;
    let interfaces: Record<string, { address: string }[]> = { lo: [{ address: "127.0.0.1" }] };
    const scheduler = createSyncScheduler({
      schedule: false,
      watchMs: 1000,
      run: async () => {
        runs.push(Date.now());
      },
      outboxHighWater: () => highWater,
      onNetworkBack: () => {
        backs += 1;
      },
      interfaces: () => interfaces as never,
      log: () => {},
    });
    scheduler.start();
    scheduler.soon();
    scheduler.soon();
    scheduler.soon();
    await vi.advanceTimersByTimeAsync(25);
    expect(runs).toHaveLength(1); // three receipts, one round
    await vi.advanceTimersByTimeAsync(3000);
    expect(runs).toHaveLength(1); // nothing new: the watcher stays quiet
    highWater = 5; // a row written by another code path
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveLength(2);
    interfaces = { ...interfaces, eth0: [{ address: "192.168.1.20" }] }; // the cable is back
    await vi.advanceTimersByTimeAsync(1000);
    expect(backs).toBe(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(backs).toBe(1);
    scheduler.stop();
    scheduler.soon();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toHaveLength(2); // a stopped worker (agent shutting down) starts no round
  });

  it("keeps its schedule after the clock steps forward (NTP correcting a slow till): one round, not a burst", async () => {
    vi.useFakeTimers({ now: new Date("2026-12-01T10:00:00.500Z") });
    const runs: string[] = [];
    const scheduler = createSyncScheduler({
      schedule: "*/15 * * * * *",
      watchMs: 0,
      run: async () => {
        runs.push(new Date().toISOString());
      },
      outboxHighWater: () => 0,
      onNetworkBack: () => {},
      log: () => {},
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(15_000);
    expect(runs).toHaveLength(1); // 10:00:15, on schedule
    // The till's clock is corrected 3 minutes forward between two ticks (NTP, or set by hand):
    // node-cron wakes for 10:00:30 at 10:03:30 and runs once; the twelve slots in between are
    // skipped, not replayed as a burst of rounds.
    vi.setSystemTime(new Date(Date.now() + 180_000));
    await vi.advanceTimersByTimeAsync(14_700);
    expect(runs).toHaveLength(2);
    scheduler.stop();
  });
});
