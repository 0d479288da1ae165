import type { TFiscalAttributes, TWaitingReason } from "@kassa/api/agent";
import { type FiscalDevice, FiscalDeviceError, type FiscalReceipt } from "@kassa/fiscal/device";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMetrics } from "../metrics.ts";
import { DeviceRunner } from "./device-runner.ts";
import { FiscalQueue, type FiscalStore } from "./fiscal-queue.ts";

// The fiscal queue on a scripted register, with fake timers driving the device poll.

const POLL_MS = 2_000;

function receipt(id: string): FiscalReceipt {
  return {
    receiptId: id,
    kind: "income",
    items: [
      {
        name: "x",
        price: 100,
        quantity: 1,
        sum: 100,
        vat: "vat20",
        subject: "goods",
        paymentMethod: "full_payment",
        unit: "pcs",
      },
    ],
    payments: { cash: 100, electronic: 0 },
    taxSystem: "osn",
    cashier: { name: "A" },
  };
}

/** A register whose paper can run out and which remembers what it printed. */
function scriptedRegister() {
  const printed: string[] = [];
  const state = { paper: true, failNextAfterPrint: false, statusCalls: 0 };
  let fd = 10;
  const attributes = new Map<string, TFiscalAttributes>();
  const device = {
    status: async () => {
      state.statusCalls++;
      return {
        mode: "shift_open",
        rawMode: 2,
        rawSubmode: 0,
        paperPresent: state.paper,
        printing: false,
        awaitingContinuePrint: false,
      };
    },
    fnStatus: async () => ({
      lifePhase: 3,
      shiftOpen: true,
      fnNumber: "1",
      lastFdNumber: fd,
      dateTime: "",
      warnings: {},
    }),
    fiscalizeReceipt: async (r: FiscalReceipt) => {
      if (!state.paper) throw new FiscalDeviceError("PAPER_OUT", "paper out");
      const a = {
        fdNumber: ++fd,
        fiscalSign: "1",
        fnNumber: "1",
        shiftNumber: 1,
        dateTime: "2026-11-22T10:00:00+03:00",
      };
      attributes.set(r.receiptId, a);
      printed.push(r.receiptId);
      if (state.failNextAfterPrint) {
        state.failNextAfterPrint = false;
        // Printed, but the answer never arrived.
        throw new FiscalDeviceError("DEVICE_TIMEOUT", "no answer", { uncertain: true });
      }
      return { ...a, change: 0 };
    },
    recoverReceipt: async (id: string) => {
      const a = attributes.get(id);
      return a
        ? { fiscalized: true as const, attributes: a }
        : { fiscalized: false as const, lastFdNumber: fd };
    },
    cancelReceipt: async () => undefined,
    continuePrint: async () => undefined,
    close: async () => undefined,
  } as unknown as FiscalDevice;
  return { device, printed, state };
}

function memoryStore(): FiscalStore & {
  fiscalized: Map<string, TFiscalAttributes>;
  waiting: Map<string, TWaitingReason>;
} {
  const fiscalized = new Map<string, TFiscalAttributes>();
  const waiting = new Map<string, TWaitingReason>();
  return {
    fiscalized,
    waiting,
    markFiscalized: async (items) => {
      for (const { receiptId, fiscal } of items) {
        fiscalized.set(receiptId, fiscal);
        waiting.delete(receiptId);
      }
    },
    markWaiting: (ids, reason) => {
      for (const id of ids) waiting.set(id, reason);
    },
    setExpectedFd: () => undefined,
    loadUnfiscalized: () => [],
  };
}

let register: ReturnType<typeof scriptedRegister>;
let store: ReturnType<typeof memoryStore>;
let queue: FiscalQueue;

beforeEach(async () => {
  vi.useFakeTimers();
  register = scriptedRegister();
  store = memoryStore();
  queue = new FiscalQueue({
    runner: new DeviceRunner(async () => register.device),
    store,
    log: pino({ level: "silent" }),
    metrics: createMetrics(),
    pollMs: POLL_MS,
  });
  await queue.start();
});
afterEach(async () => {
  await queue.stop();
  vi.useRealTimers();
});

describe("FiscalQueue", () => {
  it("blocks on paper out, answers waiting, and resumes in order once the poll sees paper", async () => {
    register.state.paper = false;
    const a = await queue.submit("a", receipt("a"), 11);
    const b = await queue.submit("b", receipt("b"), 11);
    expect(a).toMatchObject({ status: "waiting_for_device", waitingReason: { kassaCode: "PAPER_OUT" } });
    expect(b.status).toBe("waiting_for_device");
    expect([...store.waiting.keys()]).toEqual(["a", "b"]);

    // No paper yet: the poll keeps waiting.
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(register.printed).toEqual([]);
    register.state.paper = true;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await vi.runAllTimersAsync();
    expect(register.printed).toEqual(["a", "b"]);
    expect([...store.fiscalized.keys()]).toEqual(["a", "b"]);
    expect(queue.waitingReason).toBeNull();
  });

  it("a receipt printed whose answer was lost is recovered from the device, not printed again", async () => {
    register.state.failNextAfterPrint = true;
    const outcome = await queue.submit("lost", receipt("lost"), 11);
    expect(outcome).toMatchObject({
      status: "waiting_for_device",
      waitingReason: { kassaCode: "DEVICE_TIMEOUT" },
    });
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await vi.runAllTimersAsync();
    expect(register.printed).toEqual(["lost"]);
    expect(store.fiscalized.get("lost")?.fdNumber).toBe(11);
  });

  it("does not poll the register while nothing waits", async () => {
    const before = register.state.statusCalls;
    await vi.advanceTimersByTimeAsync(10 * POLL_MS);
    expect(register.state.statusCalls).toBe(before);
  });
});
