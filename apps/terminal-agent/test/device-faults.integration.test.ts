import { DAY_MS, FakeClock } from "@kassa/fiscal/emulator";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRig, type DeviceRig, FAMILIES } from "./device-rigs.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// Device faults from the fiscal fault matrix, seen through the agent's local API: the cashier gets
// a clear state, every receipt is stored, and each ends up as exactly one fiscal document. Run once
// per register family (device-rigs.ts): Shtrih-M over the emulated serial line, ATOL through the
// ATOL web requests emulator over real HTTP; the agent above FiscalDevice is the same.

describe.each(FAMILIES)("device faults seen from the agent (%s)", (family) => {
  let rig: DeviceRig;
  let agent: TestAgent;
  /** One clock for the register and the agent, so the FN's 30-day rule and the agent's warnings agree. */
  let clock: FakeClock;

  async function start(dataDir?: string) {
    agent = await startTestAgent({
      env: rig.env,
      deps: { device: rig.source, now: () => clock.now().getTime() },
      tuning: { devicePollMs: 20 },
      ...(dataDir ? { dataDir } : {}),
    });
  }

  beforeEach(async () => {
    clock = new FakeClock(Date.now());
    rig = await createRig(family, clock);
    await start();
    expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
  });
  afterEach(async () => {
    await agent.destroy();
    await rig.close();
  });

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

  it("a sale prints once with the register's attributes", async () => {
    const r = await sell("ok-1");
    expect((await fiscalized(r.receiptId)).fiscal.fdNumber).toBe(rig.fn.lastFdNumber);
    expect(rig.documentsFor(r.receiptId)).toBe(1);
  });

  it("paper out: receipts wait with a reason the cashier can act on, then print in order, once", async () => {
    rig.paperOut();
    const a = await sell("paper-a");
    expect(a.status).toBe("waiting_for_device");
    expect(a.waitingReason?.kassaCode).toBe("PAPER_OUT");
    expect(a.waitingReason?.message).toMatch(/paper/i);
    const b = await sell("paper-b");
    expect(b.status).toBe("waiting_for_device");
    const status = (await agent.get("status")).json.result.data;
    expect(status.device.waitingReason.kassaCode).toBe("PAPER_OUT");
    expect(status.receipts.waitingForDevice).toBe(2);

    rig.paperIn();
    const fa = await fiscalized(a.receiptId);
    const fb = await fiscalized(b.receiptId);
    expect(fa.fiscal.fdNumber).toBeLessThan(fb.fiscal.fdNumber);
    expect(rig.documentsFor(a.receiptId)).toBe(1);
    expect(rig.documentsFor(b.receiptId)).toBe(1);
  });

  it("paper out in the middle of a receipt: one document after paper is loaded", async () => {
    rig.paperOutMidReceipt();
    const items = [
      { name: "A", price: 100, quantity: 1, vat: "vat20" },
      { name: "B", price: 200, quantity: 1, vat: "vat20" },
    ];
    const r = await sell("paper-mid", { items, payments: [{ type: "cash", amount: 300 }] });
    if (rig.midReceiptPaperOut === "waits") expect(r.status).toBe("waiting_for_device");
    else {
      // In the FN already: the receipt is done, the register waits for paper to finish printing.
      expect(r.status).toBe("fiscalized");
      expect((await agent.get("status")).json.result.data.device.paper).toBe(false);
    }
    rig.paperIn();
    await fiscalized(r.receiptId);
    expect(rig.documentsFor(r.receiptId)).toBe(1);
    // The next receipt prints on the same register: nothing was left half done.
    const next = await sell("paper-mid-next");
    await fiscalized(next.receiptId);
    expect(rig.documentsFor(next.receiptId)).toBe(1);
  });

  it("power lost after the device closed the receipt (answer lost): recovered, not printed twice", async () => {
    rig.powerLoss("after-document", 50);
    const r = await sell("power-1");
    const done = r.status === "fiscalized" ? r : await fiscalized(r.receiptId);
    expect(done.fiscal?.fdNumber).toBeGreaterThan(0);
    expect(rig.documentsFor(r.receiptId)).toBe(1);
  });

  it("power lost before the device made the document: one document once power is back, never two", async () => {
    rig.powerLoss("before-document");
    const r = await sell("power-before");
    expect(r.status).toBe("waiting_for_device");
    expect(rig.documentsFor(r.receiptId)).toBe(0);
    await rig.powerOn();
    await fiscalized(r.receiptId);
    expect(rig.documentsFor(r.receiptId)).toBe(1);
  });

  it("link to the register lost: waits as disconnected, prints once when the link is back", async () => {
    await rig.linkLost();
    const r = await sell("cable-1");
    expect(r.status).toBe("waiting_for_device");
    expect(["DEVICE_DISCONNECTED", "DEVICE_TIMEOUT"]).toContain(r.waitingReason?.kassaCode);
    await rig.linkBack();
    await fiscalized(r.receiptId);
    expect(rig.documentsFor(r.receiptId)).toBe(1);
  });

  it("shift over 24 h on the device: the receipt waits; after Z and a new shift it prints once", async () => {
    rig.expireShift();
    const r = await sell("expired-1");
    expect(r.status).toBe("waiting_for_device");
    expect(r.waitingReason?.kassaCode).toBe("SHIFT_EXPIRED");
    expect(r.waitingReason?.message).toMatch(/close the shift/i);
    expect((await agent.post("shift.close", { cashier: CASHIER })).status).toBe(200);
    expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
    await fiscalized(r.receiptId);
    expect(rig.documentsFor(r.receiptId)).toBe(1);
  });

  it("agent restarted while a receipt's outcome was unknown: resolved with the device on start-up", async () => {
    rig.powerLoss("after-document");
    const r = await sell("restart-1");
    expect(r.status).toBe("waiting_for_device");
    expect(rig.documentsFor(r.receiptId)).toBe(1);
    const dataDir = agent.dataDir;
    await agent.close();
    await rig.powerOn();
    await start(dataDir);
    const done = await fiscalized(r.receiptId);
    expect(done.fiscal.fdNumber).toBe(rig.fn.allDocuments().find((d) => d.receiptTag !== null)!.fdNumber);
    expect(rig.documentsFor(r.receiptId)).toBe(1);
  });

  it("noise on the link to the register: one document, and a clear state meanwhile", async () => {
    rig.lineNoise();
    const r = await sell("line-noise");
    // The driver may give up on a noisy exchange; then the receipt waits with a reason and is retried.
    if (r.status !== "fiscalized") {
      expect(r.status).toBe("waiting_for_device");
      expect(r.waitingReason?.message).toMatch(/saved/);
      await fiscalized(r.receiptId);
    }
    expect(rig.documentsFor(r.receiptId)).toBe(1);
  });

  it("a register that answers after the driver stopped waiting: waits, then resolves it without printing again", async () => {
    const letThrough = rig.answerLate();
    const r = await sell("silent-1");
    letThrough();
    const done = r.status === "fiscalized" ? r : await fiscalized(r.receiptId);
    expect(done.fiscal?.fdNumber).toBeGreaterThan(0);
    expect(rig.documentsFor(r.receiptId)).toBe(1);
  });

  it("FN documents unsent to the OFD: warned from day 25, and at 30 days receipts wait with the reason", async () => {
    rig.ofdDown();
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
      expect(rig.documentsFor(blocked.receiptId)).toBe(0);
    } else {
      // A register may refuse to open the shift itself while blocked: the cashier gets that reason.
      expect(reopened.json.error.data.kassaCode).toBe("DEVICE_UNAVAILABLE");
      expect(reopened.json.error.message).toMatch(/OFD/);
    }
  });
});
