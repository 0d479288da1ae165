import { DAY_MS, FakeClock, KktEmulator } from "@kassa/fiscal/emulator";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { documentsFor, emulatorSource } from "./emulator-source.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// Device faults from the fiscal fault matrix, seen through the agent's local API: the cashier gets
// a clear state, every receipt is stored, and each ends up as exactly one fiscal document.

let emulator: KktEmulator;
let agent: TestAgent;
/** One clock for the register and the agent, so the FN's 30-day rule and the agent's warnings agree. */
let clock: FakeClock;

async function start(dataDir?: string) {
  agent = await startTestAgent({
    deps: { device: emulatorSource(emulator), now: () => clock.now().getTime() },
    tuning: { devicePollMs: 20 },
    ...(dataDir ? { dataDir } : {}),
  });
}

beforeEach(async () => {
  clock = new FakeClock(Date.now());
  emulator = new KktEmulator({ clock });
  await start();
  expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
});
afterEach(() => agent.destroy());

async function sell(key: string, overrides: Record<string, unknown> = {}) {
  const { status, json } = await agent.post("receipts.create", saleInput(key, overrides));
  expect(status).toBe(200);
  return json.result.data as {
    receiptId: string;
    status: string;
    waitingReason?: { kassaCode: string; message: string };
    fiscal?: { fdNumber: number };
  };
}

async function fiscalized(receiptId: string) {
  return vi.waitFor(
    async () => {
      const { json } = await agent.get("receipts.get", { receiptId });
      expect(json.result.data.status).toBe("fiscalized");
      return json.result.data as { fiscal: { fdNumber: number } };
    },
    { timeout: 8_000, interval: 20 },
  );
}

describe("device faults seen from the agent", () => {
  it("paper out: receipts wait with a reason the cashier can act on, then print in order, once", async () => {
    emulator.paperOut();
    const a = await sell("paper-a");
    expect(a.status).toBe("waiting_for_device");
    expect(a.waitingReason?.kassaCode).toBe("PAPER_OUT");
    expect(a.waitingReason?.message).toMatch(/paper/i);
    const b = await sell("paper-b");
    expect(b.status).toBe("waiting_for_device");
    const status = (await agent.get("status")).json.result.data;
    expect(status.device.waitingReason.kassaCode).toBe("PAPER_OUT");
    expect(status.receipts.waitingForDevice).toBe(2);

    emulator.paperIn();
    const fa = await fiscalized(a.receiptId);
    const fb = await fiscalized(b.receiptId);
    expect(fa.fiscal.fdNumber).toBeLessThan(fb.fiscal.fdNumber);
    expect(documentsFor(emulator, a.receiptId)).toBe(1);
    expect(documentsFor(emulator, b.receiptId)).toBe(1);
  });

  it("paper out in the middle of a receipt: one document after paper is loaded", async () => {
    emulator.paperOutAfterItems(1);
    const items = [
      { name: "A", price: 100, quantity: 1, vat: "vat20" },
      { name: "B", price: 200, quantity: 1, vat: "vat20" },
    ];
    const r = await sell("paper-mid", { items, payments: [{ type: "cash", amount: 300 }] });
    expect(r.status).toBe("waiting_for_device");
    emulator.paperIn();
    await fiscalized(r.receiptId);
    expect(documentsFor(emulator, r.receiptId)).toBe(1);
  });

  it("power lost after the device closed the receipt (answer lost): recovered, not printed twice", async () => {
    emulator.faults.inject({
      kind: "power-loss",
      command: 0xff45,
      stage: "after-execute",
      restoreAfterMs: 50,
    });
    const r = await sell("power-1");
    const done = r.status === "fiscalized" ? r : await fiscalized(r.receiptId);
    expect(done.fiscal?.fdNumber).toBeGreaterThan(0);
    expect(documentsFor(emulator, r.receiptId)).toBe(1);
  });

  it("cable pulled mid-receipt: waits as disconnected, prints once when the cable is back", async () => {
    emulator.faults.inject({ kind: "cable-pulled", command: 0xff46, stage: "after-execute" });
    const r = await sell("cable-1");
    expect(r.status).toBe("waiting_for_device");
    expect(["DEVICE_DISCONNECTED", "DEVICE_TIMEOUT"]).toContain(r.waitingReason?.kassaCode);
    emulator.plugCable();
    await fiscalized(r.receiptId);
    expect(documentsFor(emulator, r.receiptId)).toBe(1);
  });

  it("shift over 24 h on the device: the receipt waits; after Z and a new shift it prints once", async () => {
    emulator.expireShift();
    const r = await sell("expired-1");
    expect(r.status).toBe("waiting_for_device");
    expect(r.waitingReason?.kassaCode).toBe("SHIFT_EXPIRED");
    expect(r.waitingReason?.message).toMatch(/close the shift/i);
    expect((await agent.post("shift.close", { cashier: CASHIER })).status).toBe(200);
    expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
    await fiscalized(r.receiptId);
    expect(documentsFor(emulator, r.receiptId)).toBe(1);
  });

  it("agent restarted while a receipt's outcome was unknown: resolved with the device on start-up", async () => {
    emulator.faults.inject({ kind: "power-loss", command: 0xff45, stage: "after-execute" });
    const r = await sell("restart-1");
    expect(r.status).toBe("waiting_for_device");
    expect(documentsFor(emulator, r.receiptId)).toBe(1);
    const dataDir = agent.dataDir;
    await agent.close();
    emulator.powerOn();
    await start(dataDir);
    const done = await fiscalized(r.receiptId);
    expect(done.fiscal.fdNumber).toBe(
      emulator.fn.allDocuments().find((d) => d.receiptTag !== null)!.fdNumber,
    );
    expect(documentsFor(emulator, r.receiptId)).toBe(1);
  });

  it("NAK storms, garbage and bad checksums on the line: one document, and a clear state meanwhile", async () => {
    emulator.faults.inject({ kind: "nak", times: 3 });
    emulator.faults.inject({ kind: "garbage", command: 0xff46 });
    emulator.faults.inject({ kind: "bad-lrc", command: 0xff45 });
    const r = await sell("line-noise");
    // The driver may give up on a noisy exchange; then the receipt waits with a reason and is retried.
    if (r.status !== "fiscalized") {
      expect(r.status).toBe("waiting_for_device");
      expect(r.waitingReason?.message).toMatch(/saved/);
      await fiscalized(r.receiptId);
    }
    expect(documentsFor(emulator, r.receiptId)).toBe(1);
  });

  it("a register that goes silent after closing the receipt: waits, then resolves it without printing again", async () => {
    emulator.faults.inject({ kind: "silence", command: 0xff45, stage: "after-execute", times: 6 });
    const r = await sell("silent-1");
    const done = r.status === "fiscalized" ? r : await fiscalized(r.receiptId);
    expect(done.fiscal?.fdNumber).toBeGreaterThan(0);
    expect(documentsFor(emulator, r.receiptId)).toBe(1);
  });

  it("FN documents unsent to the OFD: warned from day 25, and at 30 days receipts wait with the reason", async () => {
    const first = await sell("ofd-1");
    expect(first.status).toBe("fiscalized");
    clock.advance(26 * DAY_MS);
    const status = (await agent.get("status")).json.result.data;
    expect(status.device.fnUnsent).toBeGreaterThan(0);
    expect(status.device.fnOldestUnsentAt).toMatch(/([+-]\d{2}:\d{2}|Z)$/);
    expect(status.warnings.join(" ")).toMatch(/waited 26 days for the OFD/);
    clock.advance(5 * DAY_MS);
    // The agent's own 24 h shift rule would refuse first: reopen the shift (the FN still blocks receipts).
    const closed = await agent.post("shift.close", { cashier: CASHIER });
    expect(closed.json, "the Z report must go through before the shift reopens").toHaveProperty("result");
    const reopened = await agent.post("shift.open", { cashier: CASHIER });
    if (reopened.status === 200) {
      const blocked = await sell("ofd-2");
      expect(blocked.status).toBe("waiting_for_device");
      expect(blocked.waitingReason?.kassaCode).toBe("FN_OFD_BLOCKED");
      expect(blocked.waitingReason?.message).toMatch(/OFD/);
      expect(documentsFor(emulator, blocked.receiptId)).toBe(0);
    } else {
      // A register may refuse to open the shift itself while blocked: the cashier gets that reason.
      expect(reopened.json.error.data.kassaCode).toBe("DEVICE_UNAVAILABLE");
      expect(reopened.json.error.message).toMatch(/OFD/);
    }
  });
});
