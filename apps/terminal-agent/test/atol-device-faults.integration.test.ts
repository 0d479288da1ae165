import { AtolDevice, AtolEmulator } from "@kassa/fiscal/atol";
import { FakeClock } from "@kassa/fiscal/emulator";
import { receiptTagFor } from "@kassa/fiscal/shtrih";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DeviceSource } from "../src/fiscal/open-device.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// The device fault matrix on ATOL (issue 13), seen through the agent's local API: the agent above
// FiscalDevice is unchanged, the register is the ATOL web requests emulator over real HTTP, and
// every receipt ends as exactly one fiscal document, or waits with a reason the cashier can act on.

let emulator: AtolEmulator;
let agent: TestAgent;
let clock: FakeClock;

function atolSource(): DeviceSource {
  return {
    emulator: null,
    open: async () =>
      new AtolDevice({ url: emulator.url, pollMs: 2, taskTimeoutMs: 300, requestTimeoutMs: 1000 }),
    control: (line) => emulator.control(line),
    close: () => undefined,
  };
}

beforeEach(async () => {
  clock = new FakeClock(Date.now());
  emulator = new AtolEmulator({ clock });
  await emulator.listen(0);
  agent = await startTestAgent({
    env: { KASSA_KKT_KIND: "atol", KASSA_KKT_EMULATOR: "1" },
    deps: { device: atolSource(), now: () => clock.now().getTime() },
    tuning: { devicePollMs: 20 },
  });
  expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
});
afterEach(async () => {
  await agent.destroy();
  await emulator.close();
});

const documentsFor = (receiptId: string) =>
  emulator.fn.allDocuments().filter((d) => d.receiptTag === receiptTagFor(receiptId)).length;

async function sell(key: string) {
  const { status, json } = await agent.post("receipts.create", saleInput(key));
  expect(status).toBe(200);
  return json.result.data as { receiptId: string; status: string; waitingReason?: { kassaCode: string } };
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

describe("ATOL device faults seen from the agent", () => {
  it("a sale prints once with the register's attributes", async () => {
    const r = await sell("atol-ok");
    expect((await fiscalized(r.receiptId)).fiscal.fdNumber).toBe(emulator.fn.lastFdNumber);
    expect(documentsFor(r.receiptId)).toBe(1);
  });

  it("paper out: receipts wait with PAPER_OUT, then print in order, once", async () => {
    emulator.control("paper out");
    const a = await sell("atol-paper-a");
    expect(a.status).toBe("waiting_for_device");
    expect(a.waitingReason?.kassaCode).toBe("PAPER_OUT");
    const b = await sell("atol-paper-b");
    emulator.control("paper in");
    const fa = await fiscalized(a.receiptId);
    const fb = await fiscalized(b.receiptId);
    expect(fb.fiscal.fdNumber).toBe(fa.fiscal.fdNumber + 1);
    expect([documentsFor(a.receiptId), documentsFor(b.receiptId)]).toEqual([1, 1]);
  });

  it("a task stuck in progress: the receipt waits, and is one document once the driver finishes", async () => {
    emulator.control("stuck sell");
    const r = await sell("atol-stuck");
    expect(r.status).toBe("waiting_for_device");
    expect(documentsFor(r.receiptId)).toBe(0);
    emulator.control("release");
    await fiscalized(r.receiptId);
    expect(documentsFor(r.receiptId)).toBe(1);
  });

  it("the web server down: the receipt waits; back up, it prints once", async () => {
    await emulator.down();
    const r = await sell("atol-down");
    expect(r.status).toBe("waiting_for_device");
    expect(r.waitingReason?.kassaCode).toBe("DEVICE_DISCONNECTED");
    await emulator.up();
    await fiscalized(r.receiptId);
    expect(documentsFor(r.receiptId)).toBe(1);
  });

  for (const stage of ["before-fn", "after-fn"] as const) {
    it(`power lost ${stage} with the task half done: one document in the end, never two`, async () => {
      emulator.control(`power-loss stage=${stage}`);
      const r = await sell(`atol-power-${stage}`);
      expect(r.status).not.toBe("fiscalized");
      emulator.control("power-on");
      await fiscalized(r.receiptId);
      expect(documentsFor(r.receiptId)).toBe(1);
    });
  }
});
