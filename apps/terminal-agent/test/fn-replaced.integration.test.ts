import { FakeClock, type FakeFn, KktEmulator } from "@kassa/fiscal/emulator";
import { receiptTagFor } from "@kassa/fiscal/shtrih";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { emulatorSource } from "./emulator-source.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// Issue 8, item 4: the fiscal drive (FN) replaced while the agent runs. FD numbers restart on the
// new FN, so a receipt's expected FD (taken on the old FN) points past the new FN's documents:
// recovery must notice the new FN number and look on the new numbering — never print again.

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
  // Enough documents on the old FN that its numbers are well past the new FN's.
  for (let i = 0; i < 5; i++) {
    expect((await agent.post("receipts.create", saleInput(`old-${i}`))).json.result.data.status).toBe(
      "fiscalized",
    );
  }
});
afterEach(() => agent.destroy());

const copiesOn = (fn: FakeFn, receiptId: string) =>
  fn.allDocuments().filter((d) => d.receiptTag === receiptTagFor(receiptId)).length;

async function receipt(receiptId: string) {
  return (await agent.get("receipts.get", { receiptId })).json.result.data;
}

describe("FN replaced while the agent runs", () => {
  it("a receipt printed on the new FN whose answer was lost is found there, not printed again", async () => {
    const oldFn = emulator.fn;
    const newFn = emulator.replaceFn({ fnNumber: NEW_FN, openShift: true });
    expect(newFn.lastFdNumber).toBeLessThan(oldFn.lastFdNumber);

    // The register prints it on the new FN (FD 3), then loses power before answering.
    emulator.faults.inject({ kind: "power-loss", command: FF45_CLOSE, stage: "after-execute" });
    const sale = (await agent.post("receipts.create", saleInput("after-swap"))).json.result.data;
    expect(sale.status).toBe("waiting_for_device");
    expect(copiesOn(newFn, sale.receiptId)).toBe(1);

    emulator.powerOn();
    await vi.waitFor(async () => expect((await receipt(sale.receiptId)).status).toBe("fiscalized"), {
      timeout: 8_000,
      interval: 20,
    });
    const stored = await receipt(sale.receiptId);
    expect(stored.fiscal).toMatchObject({ fnNumber: NEW_FN, fdNumber: 3 });
    expect(copiesOn(newFn, sale.receiptId)).toBe(1);

    // The next sales count on the new FN's numbering.
    const next = (await agent.post("receipts.create", saleInput("after-swap-2"))).json.result.data;
    expect(next.fiscal).toMatchObject({ fnNumber: NEW_FN, fdNumber: 4 });
  });

  it("a receipt that may have printed on the removed FN is set aside for support, never printed on the new one", async () => {
    const oldFn = emulator.fn;
    // Printed on the old FN, answer lost; the drive is then swapped while the register is off.
    emulator.faults.inject({ kind: "power-loss", command: FF45_CLOSE, stage: "after-execute" });
    const sale = (await agent.post("receipts.create", saleInput("before-swap"))).json.result.data;
    expect(sale.status).toBe("waiting_for_device");
    expect(copiesOn(oldFn, sale.receiptId)).toBe(1);
    const newFn = emulator.replaceFn({ fnNumber: NEW_FN, openShift: true });
    emulator.powerOn();

    await vi.waitFor(async () => expect((await receipt(sale.receiptId)).status).toBe("needs_attention"), {
      timeout: 8_000,
      interval: 20,
    });
    const stored = await receipt(sale.receiptId);
    expect(stored.attentionReason.kassaCode).toBe("FN_REPLACED");
    expect(stored.attentionReason.message).toMatch(/old FN's archive/);
    expect(copiesOn(newFn, sale.receiptId)).toBe(0);

    // The till goes on selling on the new FN.
    const next = (await agent.post("receipts.create", saleInput("after-swap"))).json.result.data;
    expect(next.fiscal).toMatchObject({ fnNumber: NEW_FN });
  });
});
