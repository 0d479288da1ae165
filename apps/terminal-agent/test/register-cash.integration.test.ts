import { FakeClock, KktEmulator } from "@kassa/fiscal/emulator";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { emulatorSource } from "./emulator-source.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// cash.move drives the register's cash in / out (Shtrih-M 50/51) so its drawer count (money
// register 241) matches the journal — exactly once, across lost answers and crashes.

let emulator: KktEmulator;
let agent: TestAgent;

async function start(dataDir?: string) {
  agent = await startTestAgent({
    deps: { device: emulatorSource(emulator) },
    tuning: { devicePollMs: 20 },
    ...(dataDir ? { dataDir } : {}),
  });
}

beforeEach(async () => {
  emulator = new KktEmulator({ clock: new FakeClock(Date.now()) });
  await start();
  expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
});
afterEach(() => agent.destroy());

const move = (direction: "in" | "out", amount: number, key?: string) =>
  agent.post("cash.move", {
    direction,
    amount,
    reason: "float",
    cashier: CASHIER,
    ...(key ? { idempotencyKey: key } : {}),
  });

type Row = {
  movement_id: string;
  state: string;
  drawer_before: number | null;
  document_number: number | null;
};
const rows = () => agent.db.prepare("SELECT * FROM register_cash_moves ORDER BY movement_id").all() as Row[];
const settled = () =>
  vi.waitFor(() => expect(rows().every((r) => r.state !== "pending")).toBe(true), {
    timeout: 5_000,
    interval: 20,
  });

describe("cash.move on the fiscal register", () => {
  it("moves the register's drawer with the journal; a retried key moves nothing twice", async () => {
    expect((await move("in", 50_000, "pos:cash-1")).status).toBe(200);
    expect((await move("in", 50_000, "pos:cash-1")).status).toBe(200); // the POS's retry
    expect((await move("out", 12_000)).status).toBe(200);
    await settled();
    expect(emulator.status().cashInDrawer).toBe(38_000);
    expect(rows().map((r) => r.state)).toEqual(["done", "done"]);
    expect(rows().every((r) => r.document_number !== null)).toBe(true);
    // A cash sale counts on the register too; the two agree.
    const sale = await agent.post("receipts.create", saleInput("cash-sale"));
    expect(sale.json.result.data.status).toBe("fiscalized");
    expect(emulator.status().cashInDrawer).toBe(38_000 + sale.json.result.data.total);
  });

  it("a lost answer after the register moved the cash is settled by the drawer count, once", async () => {
    emulator.faults.inject({ kind: "power-loss", command: 0x50, stage: "after-execute", restoreAfterMs: 30 });
    expect((await move("in", 70_000)).status).toBe(200);
    await settled();
    expect(emulator.status().cashInDrawer).toBe(70_000);
    expect(rows()[0]).toMatchObject({ state: "done" });
  });

  it("a crash after the count was stored: the restarted agent finds the movement on the register and does not repeat it", async () => {
    // The register never answers 50 (it ran), and the line is dead: the agent cannot settle it now.
    emulator.faults.inject({ kind: "cable-pulled", command: 0x50, stage: "after-execute" });
    expect((await move("in", 40_000)).status).toBe(200);
    await vi.waitFor(() => expect(rows()[0]?.drawer_before).toBe(0), { timeout: 5_000, interval: 20 });
    expect(emulator.status().cashInDrawer).toBe(40_000);
    const dataDir = agent.dataDir;
    await agent.close();
    emulator.plugCable();
    await start(dataDir);
    expect(rows()[0]).toMatchObject({ state: "done", drawer_before: 0 });
    expect(emulator.status().cashInDrawer).toBe(40_000);
  });

  it("a certain refusal (paper out) waits unsent and moves once the register can", async () => {
    emulator.paperOut();
    expect((await move("in", 10_000)).status).toBe(200);
    await vi.waitFor(
      () => expect(rows()[0]?.state === "pending" && rows()[0]?.drawer_before === null).toBe(true),
      {
        timeout: 5_000,
        interval: 20,
      },
    );
    expect(emulator.status().cashInDrawer).toBe(0);
    emulator.paperIn();
    expect((await move("in", 5_000)).status).toBe(200); // the next cash.move drives both, in order
    await settled();
    expect(emulator.status().cashInDrawer).toBe(15_000);
  });

  it("a movement the register refuses itself (more out than it counts) is set aside; the next ones go on", async () => {
    expect((await move("in", 100_000)).status).toBe(200);
    await settled();
    emulator.device.cashInDrawer = 0; // e.g. taken out with the register's own keyboard
    expect((await move("out", 60_000)).status).toBe(200); // the journal still expects 100 000
    expect((await move("in", 5_000)).status).toBe(200);
    await settled();
    expect(rows().map((r) => r.state)).toEqual(["done", "needs_attention", "done"]);
    expect(emulator.status().cashInDrawer).toBe(5_000);
  });

  it("the drawer moved by something else meanwhile: needs attention, never a second movement", async () => {
    emulator.faults.inject({ kind: "cable-pulled", command: 0x51, stage: "before-execute" });
    await move("in", 30_000);
    await settled();
    expect((await move("out", 10_000)).status).toBe(200);
    await vi.waitFor(() => expect(rows()[1]?.drawer_before).toBe(30_000), { timeout: 5_000, interval: 20 });
    const dataDir = agent.dataDir;
    await agent.close();
    emulator.plugCable();
    emulator.device.cashInDrawer += 999; // e.g. a cash sale printed by other software
    await start(dataDir);
    expect(rows()[1]).toMatchObject({ state: "needs_attention" });
    expect(emulator.status().cashInDrawer).toBe(30_999);
  });
});

describe("the opening float on the fiscal register", () => {
  const expected = async () => (await agent.get("shift.status")).json.result.data.cash.expected;
  const reopen = async (openingFloat: number) => {
    expect((await agent.post("shift.close", { cashier: CASHIER })).status).toBe(200);
    emulator.device.cashInDrawer = 0; // the drawer emptied at the Z report
    return agent.post("shift.open", { cashier: CASHIER, openingFloat });
  };

  it("shift.open puts the float on the register with one cash in: its drawer equals the journal's expected cash", async () => {
    const opened = await reopen(100_000);
    expect(opened.status).toBe(200);
    expect(rows()).toEqual([expect.objectContaining({ state: "done", drawer_before: 0 })]);
    expect(rows()[0]?.document_number).not.toBeNull();
    expect(emulator.status().cashInDrawer).toBe(100_000);
    expect(await expected()).toBe(100_000);
    // A cash-out within the float now moves the register too (it used to be refused and set aside).
    expect((await move("out", 60_000)).status).toBe(200);
    const sale = await agent.post("receipts.create", saleInput("after-float"));
    await settled();
    expect(rows().map((r) => r.state)).toEqual(["done", "done"]);
    expect(emulator.status().cashInDrawer).toBe(40_000 + sale.json.result.data.total);
    expect(await expected()).toBe(emulator.status().cashInDrawer);
  });

  it("a shift opened without a float owes the register nothing", async () => {
    expect((await reopen(0)).status).toBe(200);
    expect(rows()).toEqual([]);
    expect(emulator.status().cashInDrawer).toBe(0);
  });

  it("a crash between the float's journal row and the register's answer: the restarted agent finds it on the register, never twice", async () => {
    // The register takes the cash in (50) but never answers, and the line stays dead.
    emulator.faults.inject({ kind: "cable-pulled", command: 0x50, stage: "after-execute" });
    expect((await reopen(80_000)).status).toBe(200);
    await vi.waitFor(() => expect(rows()[0]?.drawer_before).toBe(0), { timeout: 5_000, interval: 20 });
    expect(rows()[0]?.state).toBe("pending");
    const dataDir = agent.dataDir;
    await agent.close();
    emulator.plugCable();
    await start(dataDir);
    expect(rows()).toEqual([expect.objectContaining({ state: "done", drawer_before: 0 })]);
    expect(emulator.status().cashInDrawer).toBe(80_000);
    expect(await expected()).toBe(80_000);
  });

  it("a crash before the register got the float: the restarted agent sends it, once", async () => {
    emulator.faults.inject({ kind: "cable-pulled", command: 0x50, stage: "before-execute" });
    expect((await reopen(30_000)).status).toBe(200);
    await vi.waitFor(() => expect(rows()[0]?.drawer_before).toBe(0), { timeout: 5_000, interval: 20 });
    expect(emulator.status().cashInDrawer).toBe(0);
    const dataDir = agent.dataDir;
    await agent.close();
    emulator.plugCable();
    await start(dataDir);
    expect(rows()).toEqual([expect.objectContaining({ state: "done" })]);
    expect(emulator.status().cashInDrawer).toBe(30_000);
    expect(await expected()).toBe(30_000);
  });
});
