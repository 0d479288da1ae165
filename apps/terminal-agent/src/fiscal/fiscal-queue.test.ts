import type { TFiscalAttributes, TWaitingReason } from "@kassa/api/agent";
import { type FiscalDevice, FiscalDeviceError, type FiscalReceipt } from "@kassa/fiscal/device";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMetrics } from "../metrics.ts";
import { DeviceRunner } from "./device-runner.ts";
import { FiscalQueue, type FiscalStore, STORE_RETRY_FIRST_MS, STORE_RETRY_MAX_MS } from "./fiscal-queue.ts";

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
  const state = {
    paper: true,
    failNextAfterPrint: false,
    statusCalls: 0,
    /** Receipt ids the register refuses for their content (error byte 0x33, a certain answer). */
    refuse: new Set<string>(),
    /** A misconfigured register (wrong tax table, department): every receipt refused with 0x33. */
    refuseAll: false,
    /** Every receipt the queue asked the register to print, refused or not. */
    attempts: [] as string[],
  };
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
      state.attempts.push(r.receiptId);
      if (state.refuseAll || state.refuse.has(r.receiptId)) {
        throw new FiscalDeviceError("BAD_PARAMETERS", "Bad parameters in the command (command FF46).", {
          deviceCode: 0x33,
        });
      }
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
  attention: Map<string, TWaitingReason>;
  /** The next N markFiscalized calls fail (a disk error, a locked database). */
  failWrites: number;
  writeAttempts: number;
} {
  const fiscalized = new Map<string, TFiscalAttributes>();
  const waiting = new Map<string, TWaitingReason>();
  const attention = new Map<string, TWaitingReason>();
  const store = {
    fiscalized,
    waiting,
    attention,
    failWrites: 0,
    writeAttempts: 0,
    markFiscalized: async (items: readonly { receiptId: string; fiscal: TFiscalAttributes }[]) => {
      store.writeAttempts++;
      if (store.failWrites > 0) {
        store.failWrites--;
        throw new Error("SQLITE_IOERR: disk I/O error");
      }
      for (const { receiptId, fiscal } of items) {
        fiscalized.set(receiptId, fiscal);
        waiting.delete(receiptId);
      }
    },
    markWaiting: (ids: readonly string[], reason: TWaitingReason) => {
      for (const id of ids) waiting.set(id, reason);
    },
    markNeedsAttention: (id: string, reason: TWaitingReason) => {
      attention.set(id, reason);
      waiting.delete(id);
    },
    setExpectedFd: () => undefined,
    loadUnfiscalized: () => [],
  };
  return store;
}

/** Lets the queue's setImmediate turn run under fake timers without moving the clock. */
async function settled<T>(outcome: Promise<T>): Promise<T> {
  await vi.advanceTimersByTimeAsync(0);
  return outcome;
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

  it("a receipt refused for its content is set aside; the ones behind it print at once, in order", async () => {
    register.state.refuse.add("bad");
    const submitted = Promise.all([
      queue.submit("before", receipt("before"), 11),
      queue.submit("bad", receipt("bad"), 11),
      queue.submit("after-1", receipt("after-1"), 11),
      queue.submit("after-2", receipt("after-2"), 11),
    ]);
    await vi.runAllTimersAsync();
    const outcomes = await submitted;
    expect(outcomes.map((o) => o.status)).toEqual([
      "fiscalized",
      "needs_attention",
      "fiscalized",
      "fiscalized",
    ]);
    expect(outcomes[1]).toMatchObject({ attentionReason: { kassaCode: "BAD_PARAMETERS" } });
    expect(register.printed).toEqual(["before", "after-1", "after-2"]);
    expect(store.attention.get("bad")?.message).toMatch(/refused this receipt: Bad parameters/);
    expect(store.waiting.size).toBe(0);
    expect(queue.waitingReason).toBeNull();
    expect(queue.queued).toBe(0);
  });

  it("device-state errors still block the queue in order (paper out is no content refusal)", async () => {
    register.state.refuse.add("bad");
    register.state.paper = false;
    const bad = await queue.submit("bad", receipt("bad"), 11);
    expect(bad.status).toBe("waiting_for_device");
    register.state.paper = true;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await vi.runAllTimersAsync();
    // Once the register can print again it reads the content and refuses it: set aside then.
    expect(store.attention.has("bad")).toBe(true);
  });

  it("a failed write of fiscal attributes is retried with backoff until it lands; the POS answer stands", async () => {
    store.failWrites = 4;
    const outcome = await settled(queue.submit("w", receipt("w"), 11));
    expect(outcome).toMatchObject({ status: "fiscalized", fiscal: { fdNumber: 11 } });
    expect(store.fiscalized.has("w")).toBe(false);
    expect(queue.unstoredFiscal("w")?.fdNumber).toBe(11);
    expect(store.writeAttempts).toBe(1);

    await vi.advanceTimersByTimeAsync(STORE_RETRY_FIRST_MS);
    expect(store.writeAttempts).toBe(2);
    // A receipt printed meanwhile is written with the failed ones on the next try.
    const next = await settled(queue.submit("x", receipt("x"), 12));
    expect(next.status).toBe("fiscalized");
    await vi.advanceTimersByTimeAsync(2 * STORE_RETRY_FIRST_MS);
    expect(store.writeAttempts).toBe(4);
    expect(store.fiscalized.has("w")).toBe(false);
    await vi.advanceTimersByTimeAsync(4 * STORE_RETRY_FIRST_MS);
    expect(store.writeAttempts).toBe(5);
    expect([...store.fiscalized.keys()].sort()).toEqual(["w", "x"]);
    expect(queue.unstoredFiscal("w")).toBeUndefined();
    expect(register.printed).toEqual(["w", "x"]);
  });

  it("the retry delay is bounded", async () => {
    store.failWrites = 100;
    await settled(queue.submit("w", receipt("w"), 11));
    await vi.advanceTimersByTimeAsync(60_000);
    const attempts = store.writeAttempts;
    await vi.advanceTimersByTimeAsync(STORE_RETRY_MAX_MS);
    expect(store.writeAttempts).toBe(attempts + 1);
  });

  it("a register refusing every sale's content stops the queue after 3 different receipts, and prints them all once fixed", async () => {
    expect((await settled(queue.submit("ok", receipt("ok"), 11))).status).toBe("fiscalized");
    register.state.refuseAll = true;
    const ids = ["r1", "r2", "r3", "w1", "w2"];
    const submitted = Promise.all(ids.map((id) => queue.submit(id, receipt(id), 12)));
    await vi.advanceTimersByTimeAsync(0);
    const outcomes = await submitted;
    // Two are set aside as odd receipts; the third different refusal in a row is the register.
    expect(outcomes.map((o) => o.status)).toEqual([
      "needs_attention",
      "needs_attention",
      "waiting_for_device",
      "waiting_for_device",
      "waiting_for_device",
    ]);
    expect(outcomes[2]).toMatchObject({ waitingReason: { kassaCode: "DEVICE_REFUSES_ALL" } });
    expect(queue.waitingReason?.message).toMatch(/refused 3 sales in a row for their content/);
    expect(queue.waitingReason?.message).toMatch(/will print, in order, once it is fixed/);
    expect([...store.attention.keys()]).toEqual(["r1", "r2"]);
    expect([...store.waiting.keys()]).toEqual(["r3", "w1", "w2"]);
    expect(register.state.attempts).toEqual(["ok", "r1", "r2", "r3"]);

    // While blocked, each poll tries the head receipt again (a status probe would say "ready"):
    // refused again, it stays at the head, waiting; a new sale waits behind it.
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(register.state.attempts).toEqual(["ok", "r1", "r2", "r3", "r3"]);
    expect(await queue.submit("w3", receipt("w3"), 12)).toMatchObject({
      status: "waiting_for_device",
      waitingReason: { kassaCode: "DEVICE_REFUSES_ALL" },
    });
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(register.state.attempts.filter((id) => id === "r3")).toHaveLength(3);
    expect(store.attention.has("r3")).toBe(false);
    expect(queue.queued).toBe(4);

    // Support fixes the register: the next poll prints the head, then the rest, in order, once each.
    register.state.refuseAll = false;
    await vi.advanceTimersByTimeAsync(POLL_MS);
    // One more tick for the setImmediate that stores what the poll's drain printed.
    await vi.advanceTimersByTimeAsync(1);
    expect(register.printed).toEqual(["ok", "r3", "w1", "w2", "w3"]);
    expect([...store.fiscalized.keys()]).toEqual(["ok", "r3", "w1", "w2", "w3"]);
    expect(store.waiting.size).toBe(0);
    expect(queue.waitingReason).toBeNull();
    expect([...store.attention.keys()]).toEqual(["r1", "r2"]);
    // No more polling once nothing waits: the register prints nothing twice.
    await vi.advanceTimersByTimeAsync(5 * POLL_MS);
    expect(register.printed).toEqual(["ok", "r3", "w1", "w2", "w3"]);

    // The print reset the count: one odd receipt now is set aside again, the queue goes on.
    register.state.refuse.add("odd");
    expect((await settled(queue.submit("odd", receipt("odd"), 17))).status).toBe("needs_attention");
    expect((await settled(queue.submit("after", receipt("after"), 17))).status).toBe("fiscalized");
  });

  it("refusals separated by a print never trip the brake", async () => {
    for (const id of ["a", "b", "d", "e"]) register.state.refuse.add(id);
    const ids = ["a", "b", "c", "d", "e", "f"];
    const submitted = Promise.all(ids.map((id) => queue.submit(id, receipt(id), 11)));
    await vi.runAllTimersAsync();
    expect((await submitted).map((o) => o.status)).toEqual([
      "needs_attention",
      "needs_attention",
      "fiscalized",
      "needs_attention",
      "needs_attention",
      "fiscalized",
    ]);
    expect(queue.waitingReason).toBeNull();
  });
});
