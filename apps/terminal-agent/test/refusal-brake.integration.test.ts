import { FakeClock, KktEmulator } from "@kassa/fiscal/emulator";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { documentsFor, emulatorSource } from "./emulator-source.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// The brake on content refusals, through the real agent, driver and emulator: a misconfigured
// register refuses every sale with 0x33; after 3 different receipts in a row the queue stops and
// waits in order instead of setting the whole day's sales aside, and prints them once it is fixed.
// Only the queue's poll interval is faked, so the test decides when the register is tried again.

const FF46_OPERATION = 0xff46;
const ERR_BAD_PARAMETERS = 0x33;
const POLL_MS = 60_000;

let emulator: KktEmulator;
let agent: TestAgent;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
  const clock = new FakeClock(Date.now());
  emulator = new KktEmulator({ clock });
  agent = await startTestAgent({
    deps: { device: emulatorSource(emulator), now: () => clock.now().getTime() },
    tuning: { devicePollMs: POLL_MS },
  });
  expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
});
afterEach(async () => {
  await agent.destroy();
  vi.useRealTimers();
});

type Answer = {
  receiptId: string;
  status: string;
  seq: number;
  fiscal?: { fdNumber: number };
  waitingReason?: { kassaCode: string; message: string };
};

async function sell(key: string): Promise<Answer> {
  const { status, json } = await agent.post("receipts.create", saleInput(key));
  expect(status).toBe(200);
  return json.result.data as Answer;
}

const stored = async (receiptId: string) => (await agent.get("receipts.get", { receiptId })).json.result.data;
const status = async () => (await agent.get("status")).json.result.data;
const refusals = () => emulator.faults.fired.filter((f) => f.kind === "refuse").length;

describe("a register that refuses every sale's content", () => {
  it("stops the queue after 3 different refusals, retries the head at each poll, and prints everything in order once fixed", async () => {
    const first = await sell("brake-ok");
    expect(first.status).toBe("fiscalized");

    const misconfigured = emulator.faults.inject({
      kind: "refuse",
      command: FF46_OPERATION,
      code: ERR_BAD_PARAMETERS,
      times: Number.POSITIVE_INFINITY,
    });
    const r1 = await sell("brake-1");
    const r2 = await sell("brake-2");
    const r3 = await sell("brake-3");
    expect([r1.status, r2.status]).toEqual(["needs_attention", "needs_attention"]);
    expect(r3).toMatchObject({
      status: "waiting_for_device",
      waitingReason: { kassaCode: "DEVICE_REFUSES_ALL" },
    });
    expect(r3.waitingReason?.message).toMatch(/refused 3 sales in a row for their content/);
    // Sales after the brake are kept and wait in order; the register is not asked to print them.
    const w1 = await sell("brake-w1");
    const w2 = await sell("brake-w2");
    expect([w1.status, w2.status]).toEqual(["waiting_for_device", "waiting_for_device"]);
    expect(refusals()).toBe(3);

    const blocked = await status();
    expect(blocked.device.waitingReason).toMatchObject({ kassaCode: "DEVICE_REFUSES_ALL" });
    expect(blocked.receipts).toEqual({ waitingForDevice: 3, needsAttention: 2 });
    expect(blocked.warnings.join(" ")).toMatch(/configuration is probably wrong/);

    // A poll while still misconfigured prints the head again, is refused, and blocks again: the
    // head is not set aside.
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await vi.waitFor(async () => {
      expect(refusals()).toBe(4);
      expect((await status()).device.waitingReason?.kassaCode).toBe("DEVICE_REFUSES_ALL");
    });
    expect((await stored(r3.receiptId)).status).toBe("waiting_for_device");

    // Support fixes the register: the next poll prints the head, then the rest, in order, once each.
    emulator.faults.clear(misconfigured.id);
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await vi.waitFor(async () => expect((await stored(w2.receiptId)).status).toBe("fiscalized"));
    const printed = [first, r3, w1, w2];
    const fds: number[] = [];
    for (const sale of printed) {
      const receipt = await stored(sale.receiptId);
      expect(receipt.status).toBe("fiscalized");
      expect(documentsFor(emulator, sale.receiptId)).toBe(1);
      fds.push(receipt.fiscal.fdNumber);
    }
    expect(fds).toEqual([...fds].sort((a, b) => a - b));
    for (const setAside of [r1, r2]) {
      expect((await stored(setAside.receiptId)).status).toBe("needs_attention");
      expect(documentsFor(emulator, setAside.receiptId)).toBe(0);
    }
    const resumed = await status();
    expect(resumed.device.waitingReason).toBeNull();
    expect(resumed.receipts).toEqual({ waitingForDevice: 0, needsAttention: 2 });

    // The print reset the count: one odd receipt is set aside again and the next one prints.
    emulator.faults.inject({ kind: "refuse", command: FF46_OPERATION, code: ERR_BAD_PARAMETERS });
    expect((await sell("brake-odd")).status).toBe("needs_attention");
    expect((await sell("brake-after")).status).toBe("fiscalized");
  });
});
