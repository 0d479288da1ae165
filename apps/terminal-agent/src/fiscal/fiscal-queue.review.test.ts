import type { TFiscalAttributes, TWaitingReason } from "@kassa/api/agent";
import { type FiscalDevice, FiscalDeviceError, type FiscalReceipt } from "@kassa/fiscal/device";
import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMetrics } from "../metrics.ts";
import { DeviceRunner } from "./device-runner.ts";
import { FiscalQueue, type FiscalStore } from "./fiscal-queue.ts";

// Review of poison isolation at start-up: a receipt refused for its content proves nothing about
// the receipts behind it, which the previous run may have printed (its set-aside write was lost).

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

afterEach(() => vi.useRealTimers());

describe("FiscalQueue start-up after a lost set-aside", () => {
  it("a receipt behind a content-refused one is still looked up on the device, never printed twice", async () => {
    vi.useFakeTimers();
    // The previous run: "bad" was refused (its needs_attention write failed: disk full), "next"
    // printed as FD 11 and its attributes were lost with the crash. Both come back unfiscalized.
    const onDevice = new Map<string, TFiscalAttributes>([
      [
        "next",
        {
          fdNumber: 11,
          fiscalSign: "1",
          fnNumber: "1",
          shiftNumber: 1,
          dateTime: "2026-11-22T10:00:00+03:00",
        },
      ],
    ]);
    const printed: string[] = [];
    let fd = 11;
    const device = {
      status: async () => ({
        mode: "shift_open",
        rawMode: 2,
        rawSubmode: 0,
        paperPresent: true,
        printing: false,
        awaitingContinuePrint: false,
      }),
      fnStatus: async () => ({
        lifePhase: 3,
        shiftOpen: true,
        fnNumber: "1",
        lastFdNumber: fd,
        dateTime: "",
        warnings: {},
      }),
      fiscalizeReceipt: async (r: FiscalReceipt) => {
        if (r.receiptId === "bad") {
          throw new FiscalDeviceError("BAD_PARAMETERS", "Bad parameters in the command (command FF46).", {
            deviceCode: 0x33,
          });
        }
        printed.push(r.receiptId);
        return { fdNumber: ++fd, fiscalSign: "2", fnNumber: "1", shiftNumber: 1, dateTime: "", change: 0 };
      },
      recoverReceipt: async (id: string, from: number) => {
        const a = onDevice.get(id);
        return a && a.fdNumber >= from
          ? { fiscalized: true as const, attributes: a }
          : { fiscalized: false as const, lastFdNumber: fd };
      },
      cancelReceipt: async () => undefined,
      continuePrint: async () => undefined,
      close: async () => undefined,
    } as unknown as FiscalDevice;
    const fiscalized = new Map<string, TFiscalAttributes>();
    const attention = new Map<string, TWaitingReason>();
    const store: FiscalStore = {
      markFiscalized: async (items) => {
        for (const { receiptId, fiscal } of items) fiscalized.set(receiptId, fiscal);
      },
      markWaiting: () => undefined,
      markNeedsAttention: (id, reason) => void attention.set(id, reason),
      setExpectedFd: () => undefined,
      loadUnfiscalized: () => [
        { id: "bad", receipt: receipt("bad"), expectedFd: 11, expectedFn: "1" },
        { id: "next", receipt: receipt("next"), expectedFd: 11, expectedFn: "1" },
      ],
    };
    const queue = new FiscalQueue({
      runner: new DeviceRunner(async () => device),
      store,
      log: pino({ level: "silent" }),
      metrics: createMetrics(),
      pollMs: 2_000,
    });
    await queue.start();
    await vi.runAllTimersAsync();
    await queue.stop();

    expect(attention.get("bad")?.kassaCode).toBe("BAD_PARAMETERS");
    expect(printed).toEqual([]);
    expect(fiscalized.get("next")?.fdNumber).toBe(11);
  });
});
