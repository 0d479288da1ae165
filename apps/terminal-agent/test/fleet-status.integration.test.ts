import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type CentralProcess, type FleetTill, startCentralProcess } from "../src/sync/test-support.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// Fleet that shows what is wrong (issue 9, item 1), end to end: the agent with its in-process
// register emulator sends its status snapshot (`terminal_status`) to the real central server over
// HTTP, and the dashboard's fleet.list, read over HTTP as an owner, says what is wrong with the till.

let central: CentralProcess;
let agent: TestAgent;
let organizationId: string;

beforeAll(async () => {
  central = await startCentralProcess(["--stores", "1", "--per-store", "2"]);
  const terminal = central.terminals[0]!;
  organizationId = terminal.organizationId;
  agent = await startTestAgent({
    env: { KASSA_TERMINAL_ID: terminal.id, KASSA_TERMINAL_KEY: terminal.key, KASSA_CENTRAL_URL: central.url },
    tuning: { devicePollMs: 20 },
    // Rounds only when the test (or the agent's own change watch) asks: no 15 s schedule.
    deps: { syncOptions: { schedule: false, watchMs: 0 } },
  });
  expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
}, 90_000);

afterAll(async () => {
  await agent?.destroy();
  await central?.stop();
});

async function tillOnFleet(): Promise<FleetTill> {
  const { terminals } = await central.fleet(organizationId);
  return terminals.find((t) => t.id === agent.config.terminalId)!;
}

async function syncNow() {
  const { status, json } = await agent.post("sync.now", {});
  expect(status).toBe(200);
  return json.result.data as { pending: number };
}

describe("the till's status on Fleet, agent → central over HTTP", () => {
  it("a sync round carries the snapshot: device, shift and its deadline, buffer, breakers, register", async () => {
    // A snapshot is measured at the start of its round: the second round's sees the first's delivery.
    await syncNow();
    expect((await syncNow()).pending).toBe(0);
    const till = await tillOnFleet();
    const local = (await agent.get("status")).json.result.data;
    expect(till).toMatchObject({
      health: "ok",
      online: true,
      pending: 0,
      receiptsWaiting: 0,
      device: { connected: true, paper: true, shiftOpen: true, shiftExpiresAt: local.device.shiftExpiresAt },
      breakers: [
        { destination: "central", state: "closed" },
        { destination: "ofd", state: "closed" },
      ],
      register: { fnNumber: expect.stringMatching(/^\d{16}$/) },
    });
    expect(till.reasons).toEqual([]);
    expect(till.statusAt).toEqual(expect.any(String));
    // The other till of the store has never synced: offline, without a snapshot.
    const { terminals, summary } = await central.fleet(organizationId);
    expect(terminals.find((t) => t.id !== agent.config.terminalId)).toMatchObject({ health: "offline" });
    expect(summary).toMatchObject({ tills: 2, online: 1, needsAttention: 0 });
  });

  it("on change: receipts starting to wait for the register send a snapshot without a scheduled round", async () => {
    agent.emulator!.paperOut();
    const sale = (await agent.post("receipts.create", saleInput("fleet-paper-0"))).json.result.data;
    expect(sale.status).toBe("waiting_for_device");
    // No sync.now here: the agent's change watch asks the worker for a round by itself.
    await vi.waitFor(
      async () => expect((await tillOnFleet()).reasons.map((r) => r.code)).toContain("paper_out"),
      { timeout: 10_000, interval: 100 },
    );
    agent.emulator!.paperIn();
    await vi.waitFor(
      async () => {
        const { json } = await agent.get("receipts.get", { receiptId: sale.receiptId });
        expect(json.result.data.status).toBe("fiscalized");
      },
      { timeout: 8_000, interval: 20 },
    );
    await syncNow();
    expect(await tillOnFleet()).toMatchObject({ health: "ok" });
  });

  it("a register out of paper shows as needing attention (paper) after one sync, and clears once paper is in", async () => {
    agent.emulator!.paperOut();
    const sale = (await agent.post("receipts.create", saleInput("fleet-paper-1"))).json.result.data;
    expect(sale.status).toBe("waiting_for_device");

    await syncNow();
    const till = await tillOnFleet();
    expect(till.health).toBe("attention");
    expect(till.reasons.map((r) => r.code)).toEqual(["paper_out", "receipts_waiting"]);
    expect(till.reasons[1]).toMatchObject({ count: 1, detail: expect.stringMatching(/paper/i) });
    expect(till).toMatchObject({ waitingReason: { kassaCode: "PAPER_OUT" }, device: { paper: false } });
    const { terminals, summary } = await central.fleet(organizationId);
    expect(terminals[0]!.id).toBe(agent.config.terminalId); // broken tills first
    expect(summary).toMatchObject({ needsAttention: 1, receiptsWaiting: 1 });

    agent.emulator!.paperIn();
    await vi.waitFor(
      async () => {
        const { json } = await agent.get("receipts.get", { receiptId: sale.receiptId });
        expect(json.result.data.status).toBe("fiscalized");
      },
      { timeout: 8_000, interval: 20 },
    );
    await syncNow();
    expect(await tillOnFleet()).toMatchObject({ health: "ok", reasons: [], receiptsWaiting: 0 });
  });
});
