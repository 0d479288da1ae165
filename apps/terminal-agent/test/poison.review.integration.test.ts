import { FakeClock, type FakeFn, KktEmulator } from "@kassa/fiscal/emulator";
import { receiptTagFor } from "@kassa/fiscal/shtrih";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { emulatorSource } from "./emulator-source.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// Adversarial review of poison isolation, voids and FN-swap recovery (issue 8, items 2 and 4):
// each case here failed before its fix.

const FF45_CLOSE = 0xff45;
const NEW_FN = "9999078900007777";

let emulator: KktEmulator;
let agent: TestAgent;

beforeEach(async () => {
  const clock = new FakeClock(Date.now());
  emulator = new KktEmulator({ clock });
  agent = await startTestAgent({
    deps: { device: emulatorSource(emulator), now: () => clock.now().getTime() },
    tuning: { devicePollMs: 20 },
  });
  expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
});
afterEach(() => agent.destroy());

const copiesOn = (fn: FakeFn, receiptId: string) =>
  fn.allDocuments().filter((d) => d.receiptTag === receiptTagFor(receiptId)).length;

async function receipt(receiptId: string) {
  return (await agent.get("receipts.get", { receiptId })).json.result.data;
}

describe("FN swapped while the agent is down", () => {
  it("a receipt that may be on the removed FN is set aside after a restart, even when the new FN's numbers reach its expected FD", async () => {
    const oldFn = emulator.fn;
    // Printed on the old FN (FD 3 of a young FN), the answer lost with the power.
    emulator.faults.inject({ kind: "power-loss", command: FF45_CLOSE, stage: "after-execute" });
    const sale = (await agent.post("receipts.create", saleInput("before-swap"))).json.result.data;
    expect(sale.status).toBe("waiting_for_device");
    expect(copiesOn(oldFn, sale.receiptId)).toBe(1);

    // While the register is off, the drive is swapped and the agent restarted: the new FN (shift
    // open, FD 2) numbers its next document 3, the very number the receipt expected on the old one,
    // so only the FN number it was accepted on can tell the two numberings apart.
    const newFn = emulator.replaceFn({ fnNumber: NEW_FN, openShift: true });
    expect(newFn.lastFdNumber + 1).toBeGreaterThanOrEqual(sale.fiscal?.fdNumber ?? 3);
    agent = await agent.restart();
    emulator.powerOn();

    await vi.waitFor(
      async () => expect((await receipt(sale.receiptId)).status).not.toBe("waiting_for_device"),
      {
        timeout: 8_000,
        interval: 20,
      },
    );
    const stored = await receipt(sale.receiptId);
    expect(copiesOn(newFn, sale.receiptId)).toBe(0);
    expect(stored.status).toBe("needs_attention");
    expect(stored.attentionReason.kassaCode).toBe("FN_REPLACED");
  });
});

describe("FN swapped because it was full", () => {
  it("the sale that met the full FN (a certain refusal: no document) prints on the new FN, not set aside", async () => {
    emulator.fillFn();
    const sale = (await agent.post("receipts.create", saleInput("fn-full"))).json.result.data;
    expect(sale.status).toBe("waiting_for_device");
    expect(sale.waitingReason.kassaCode).toBe("FN_FULL");

    const newFn = emulator.replaceFn({ fnNumber: NEW_FN, openShift: true });
    await vi.waitFor(
      async () => expect((await receipt(sale.receiptId)).status).not.toBe("waiting_for_device"),
      {
        timeout: 8_000,
        interval: 20,
      },
    );
    const stored = await receipt(sale.receiptId);
    expect(stored.status).toBe("fiscalized");
    expect(stored.fiscal).toMatchObject({ fnNumber: NEW_FN });
    expect(copiesOn(newFn, sale.receiptId)).toBe(1);
  });
});
