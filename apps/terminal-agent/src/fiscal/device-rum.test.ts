import {
  DeviceDisconnectedError,
  type FiscalDevice,
  FiscalDeviceError,
  type FiscalReceipt,
} from "@kassa/fiscal/device";
import pino from "pino";
import { afterEach, expect, it, vi } from "vitest";
import { createMetrics } from "../metrics.ts";
import type { RumSink } from "../rum.ts";
import { DeviceRunner } from "./device-runner.ts";
import { FiscalQueue, type FiscalStore } from "./fiscal-queue.ts";

// What the register side tells RUM: `printer.duration` per receipt, `device.event` when the print
// queue blocks and resumes and when the line comes and goes. A fake timer drives the device poll.

type Recorded = { metric: string; value: number; labels: Record<string, string> };

function recorder(): RumSink & { samples: Recorded[] } {
  const samples: Recorded[] = [];
  return {
    samples,
    measure: (metric, value, _unit, labels = {}) => {
      samples.push({ metric, value, labels });
      return true;
    },
    event: (metric, value, _unit, labels = {}) => {
      samples.push({ metric, value, labels });
    },
  };
}

const receipt = (id: string) => ({ receiptId: id }) as unknown as FiscalReceipt;

function register() {
  const state = { paper: true, fd: 10, unplugged: false };
  const device = {
    status: async () => {
      if (state.unplugged) throw new DeviceDisconnectedError("cable", { uncertain: false });
      return { mode: "shift_open", paperPresent: state.paper, awaitingContinuePrint: false };
    },
    fnStatus: async () => ({ fnNumber: "1", lastFdNumber: state.fd }),
    fiscalizeReceipt: async () => {
      if (!state.paper) throw new FiscalDeviceError("PAPER_OUT", "paper out");
      return {
        fdNumber: ++state.fd,
        fiscalSign: "1",
        fnNumber: "1",
        shiftNumber: 1,
        dateTime: "2026-12-01T10:00:00+03:00",
      };
    },
    recoverReceipt: async () => ({ fiscalized: false, lastFdNumber: state.fd }),
    close: async () => undefined,
  } as unknown as FiscalDevice;
  return { device, state };
}

const store: FiscalStore = {
  markFiscalized: async () => undefined,
  markWaiting: () => undefined,
  markNeedsAttention: () => undefined,
  setExpectedFd: () => undefined,
  loadUnfiscalized: () => [],
};

/** Lets the queue's setImmediate turn run under fake timers without moving the clock. */
async function settled<T>(outcome: Promise<T>): Promise<T> {
  await vi.advanceTimersByTimeAsync(0);
  return outcome;
}

afterEach(() => {
  vi.useRealTimers();
});

it("measures each print and reports the queue blocking and resuming with the reason", async () => {
  vi.useFakeTimers();
  const rum = recorder();
  const { device, state } = register();
  const queue = new FiscalQueue({
    runner: new DeviceRunner(async () => device),
    store,
    log: pino({ level: "silent" }),
    metrics: createMetrics(),
    pollMs: 1_000,
    rum,
  });
  await queue.start();
  await expect(settled(queue.submit("r1", receipt("r1"), 11, "1"))).resolves.toMatchObject({
    status: "fiscalized",
  });
  state.paper = false;
  await expect(settled(queue.submit("r2", receipt("r2"), 12, "1"))).resolves.toMatchObject({
    status: "waiting_for_device",
  });
  state.paper = true;
  await vi.advanceTimersByTimeAsync(1_000);
  expect(queue.waitingReason).toBeNull();
  expect(rum.samples.filter((s) => s.metric === "printer.duration").map((s) => s.labels)).toEqual([
    { outcome: "printed" },
    { outcome: "error" },
    { outcome: "printed" },
  ]);
  expect(rum.samples.filter((s) => s.metric === "device.event").map((s) => s.labels)).toEqual([
    { event: "blocked", reason: "PAPER_OUT" },
    { event: "resumed", reason: "PAPER_OUT" },
  ]);
  await queue.stop();
});

it("the runner reports the line coming and going once per change", async () => {
  const events: boolean[] = [];
  const { device, state } = register();
  const runner = new DeviceRunner(
    async () => device,
    (connected) => events.push(connected),
  );
  await runner.run((d) => d.status());
  await runner.run((d) => d.status());
  state.unplugged = true;
  await expect(runner.run((d) => d.status())).rejects.toBeInstanceOf(DeviceDisconnectedError);
  await expect(runner.run((d) => d.status())).rejects.toBeInstanceOf(DeviceDisconnectedError);
  state.unplugged = false;
  await runner.run((d) => d.status());
  expect(events).toEqual([true, false, true]);
  expect(runner.connected).toBe(true);
});
