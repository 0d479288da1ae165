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
});
