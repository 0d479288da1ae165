import { receiptTagFor } from "@kassa/fiscal/shtrih";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// A crash between the register's shift report and the agent's SQLite write: the register opened
// or closed the shift, the agent did not record it. The FN is changed behind the agent's back.

let agent: TestAgent | undefined;
afterEach(async () => {
  await agent?.destroy();
  agent = undefined;
});

const data = (r: { json: any }) => r.json.result.data;

describe("shift reconciliation with the register", () => {
  it("adopts at start-up a shift the register opened but the agent never recorded", async () => {
    agent = await startTestAgent();
    const fn = agent.emulator!.fn;
    const before = Date.now();
    fn.openShift(new Date(), []);
    agent = await agent.restart();

    const status = data(await agent.get("shift.status"));
    expect(status.open).toBe(true);
    expect(status.shift.number).toBe(fn.shiftNumber);
    expect(status.shift.openingFloat).toBe(0);
    // The register's time (minute resolution), not the restart's: the 24 h rule counts from it.
    expect(Math.abs(Date.parse(status.shift.openedAt) - before)).toBeLessThan(120_000);
    expect(agent.db.prepare("SELECT open_fd FROM shifts WHERE status = 'open'").get()).toEqual({
      open_fd: fn.lastFdNumber,
    });
    expect(agent.count("outbox")).toBeGreaterThanOrEqual(1);

    // Sales go into it and the shift closes normally.
    expect((await agent.post("receipts.create", saleInput("after-adopt"))).status).toBe(200);
    const closed = await agent.post("shift.close", { cashier: CASHIER });
    expect(closed.status).toBe(200);
    expect(agent.emulator!.fn.shiftOpen).toBe(false);
  });

  it("records at start-up the Z report of a shift the register closed but the agent did not", async () => {
    agent = await startTestAgent();
    expect((await agent.post("shift.open", { cashier: CASHIER, openingFloat: 5_000 })).status).toBe(200);
    expect((await agent.post("receipts.create", saleInput("in-shift"))).status).toBe(200);
    const fn = agent.emulator!.fn;
    const z = fn.closeShift(new Date(), []);
    agent = await agent.restart();

    const status = data(await agent.get("shift.status"));
    expect(status.open).toBe(false);
    expect(status.cash.expected).toBe(5_000 + 900_000);
    expect(
      agent.db
        .prepare("SELECT close_fd, close_sign, expected_cash FROM shifts ORDER BY opened_at_ms DESC")
        .get(),
    ).toEqual({ close_fd: z.fdNumber, close_sign: expect.any(String), expected_cash: 905_000 });
    // A new shift opens on both.
    expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
    expect(agent.emulator!.fn.shiftOpen).toBe(true);
  });

  it("while running: shift.open adopts the register's open shift, shift.close records its Z report", async () => {
    agent = await startTestAgent();
    const fn = agent.emulator!.fn;
    fn.openShift(new Date(), []);
    const opened = await agent.post("shift.open", { cashier: CASHIER, openingFloat: 3_000 });
    expect(opened.status).toBe(200);
    expect(data(opened)).toMatchObject({ number: fn.shiftNumber, status: "open", openingFloat: 3_000 });
    expect(data(await agent.get("shift.status")).cash.expected).toBe(3_000);
    // The adopted shift's float goes on the register too (its cash in was lost with the shift's row).
    expect(agent.emulator!.status().cashInDrawer).toBe(3_000);
    expect(agent.db.prepare("SELECT direction, amount, state FROM register_cash_moves").all()).toEqual([
      { direction: "in", amount: 3_000, state: "done" },
    ]);

    const z = fn.closeShift(new Date(), []);
    const closed = await agent.post("shift.close", { cashier: CASHIER, countedCash: 3_000 });
    expect(closed.status).toBe(200);
    expect(data(closed).z.fdNumber).toBe(z.fdNumber);
    expect(data(closed).cash).toMatchObject({ expected: 3_000, counted: 3_000, variance: 0 });
    expect(data(await agent.get("shift.status")).open).toBe(false);
  });

  it("while running: shift.close with no shift on the agent closes the register's adopted shift", async () => {
    agent = await startTestAgent();
    const fn = agent.emulator!.fn;
    fn.openShift(new Date(), []);
    // Simulate the agent not having reconciled yet: it has no shift, the register has one.
    const closed = await agent.post("shift.close", { cashier: CASHIER });
    expect(closed.status).toBe(200);
    expect(fn.shiftOpen).toBe(false);
  });

  it("while running: a sale the register refuses for no shift makes the agent record the register's Z report", async () => {
    agent = await startTestAgent();
    await agent.post("shift.open", { cashier: CASHIER });
    const fn = agent.emulator!.fn;
    const z = fn.closeShift(new Date(), []);
    const waiting = await agent.post("receipts.create", saleInput("after-z"));
    expect(waiting.status).toBe(200);
    expect(waiting.json.result.data).toMatchObject({ status: "waiting_for_device" });
    // Compared in the background once the queue blocks: the agent's shift ends with the register's Z.
    await vi.waitFor(async () =>
      expect((await agent!.get("shift.status")).json.result.data.open).toBe(false),
    );
    expect(agent.db.prepare("SELECT close_fd FROM shifts").get()).toEqual({ close_fd: z.fdNumber });
    // A new shift opens on both and the waiting receipt prints in it, once.
    expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
    const id = waiting.json.result.data.receiptId;
    await vi.waitFor(async () =>
      expect((await agent!.get("receipts.get", { receiptId: id })).json.result.data.status).toBe(
        "fiscalized",
      ),
    );
    expect(agent.emulator!.countReceiptsByTag(receiptTagFor(id))).toBe(1);
  });
});
