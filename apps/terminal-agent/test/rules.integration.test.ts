import { afterEach, describe, expect, it } from "vitest";
import { replaceCashiers } from "../src/auth/cashiers.ts";
import { hashPin } from "../src/auth/pin.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// Capacity, the 24 h shift rule and PIN lockout, with a fake clock where time matters.

const HOUR = 3_600_000;
let agent: TestAgent | undefined;
afterEach(async () => {
  await agent?.destroy();
  agent = undefined;
});

function fakeClock(start = Date.parse("2026-11-22T08:00:00Z")) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("buffer capacity", () => {
  it("warns at 80 %, refuses at 100 % with 503 BUFFER_FULL, never drops stored items", async () => {
    // Each receipt fills two outbox items: `receipt` and `receipt_fiscalized`.
    agent = await startTestAgent({ tuning: { bufferCapacity: 10 } });
    await agent.post("shift.open", { cashier: CASHIER });
    const shiftRows = agent.count("outbox");
    for (let i = 0; i < 4 - shiftRows / 2; i++) {
      expect((await agent.post("receipts.create", saleInput(`cap-${i}`))).status).toBe(200);
    }
    const status = (await agent.get("status")).json.result.data;
    expect(status.buffer.fillPercent).toBeGreaterThanOrEqual(80);
    expect(status.warnings.join(" ")).toMatch(/Buffer \d+ % full/);
    expect(await (await fetch(`${agent.url}/metrics`)).text()).toMatch(/kassa_buffer_fill_ratio 0\.[89]/);

    while (agent.count("outbox") + 2 <= 10) {
      expect((await agent.post("receipts.create", saleInput(`fill-${agent.count("outbox")}`))).status).toBe(
        200,
      );
    }
    const before = { receipts: agent.count("receipts"), outbox: agent.count("outbox") };
    const full = await agent.post("receipts.create", saleInput("over"));
    expect(full.status).toBe(503);
    expect(full.json.error.data.kassaCode).toBe("BUFFER_FULL");
    expect(full.json.error.message).toMatch(/not yet delivered/);
    expect({ receipts: agent.count("receipts"), outbox: agent.count("outbox") }).toEqual(before);

    // The sync worker delivers (deletes) items: room again.
    agent.db
      .prepare(
        "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE kind <> 'rum' ORDER BY id LIMIT 4)",
      )
      .run();
    expect((await agent.post("receipts.create", saleInput("after-drain"))).status).toBe(200);
  });
});

describe("24 h shift rule", () => {
  it("warns ahead, refuses sales once expired (nothing written), and a new shift sells again", async () => {
    const clock = fakeClock();
    agent = await startTestAgent({ deps: { now: clock.now } });
    const opened = await agent.post("shift.open", { cashier: CASHIER, openingFloat: 10_000 });
    expect(opened.json.result.data.expiresAt).toBe("2026-11-23T08:00:00.000Z");

    clock.advance(23.5 * HOUR);
    const shift = (await agent.get("shift.status")).json.result.data;
    expect(shift.warning).toMatch(/reaches 24 hours in 30 min/);
    expect((await agent.get("status")).json.result.data.warnings.join(" ")).toMatch(/24 hours/);
    expect((await agent.post("receipts.create", saleInput("late-ok"))).status).toBe(200);

    clock.advance(HOUR);
    const before = agent.count("receipts");
    const refused = await agent.post("receipts.create", saleInput("too-late"));
    expect(refused.status).toBe(422);
    expect(refused.json.error.data.kassaCode).toBe("SHIFT_EXPIRED");
    expect(refused.json.error.message).toMatch(/close it/);
    expect(agent.count("receipts")).toBe(before);
    expect((await agent.get("shift.status")).json.result.data.expired).toBe(true);

    // The shift survives a restart as expired.
    agent = await agent.restart({ now: clock.now });
    expect((await agent.post("receipts.create", saleInput("too-late-2"))).status).toBe(422);

    const closed = await agent.post("shift.close", {
      cashier: CASHIER,
      countedCash: { denominations: [{ value: 500_000, count: 2 }] },
    });
    expect(closed.status).toBe(200);
    expect(closed.json.result.data.cash).toMatchObject({
      openingFloat: 10_000,
      cashSales: 900_000,
      expected: 910_000,
      counted: 1_000_000,
      variance: 90_000,
    });
    // The Z report's register time carries an offset, like every time in the API.
    expect(closed.json.result.data.z.dateTime).toMatch(/([+-]\d{2}:\d{2}|Z)$/);
    expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
    expect((await agent.post("receipts.create", saleInput("new-shift"))).status).toBe(200);
  });

  it("refuses a sale without an open shift: 422 SHIFT_CLOSED", async () => {
    agent = await startTestAgent();
    const r = await agent.post("receipts.create", saleInput("no-shift"));
    expect(r.status).toBe(422);
    expect(r.json.error.data.kassaCode).toBe("SHIFT_CLOSED");
    expect(agent.count("receipts")).toBe(0);
  });
});

describe("cash journal", () => {
  it("float, cash in/out with a reason, refunds and the expected amount survive a restart", async () => {
    agent = await startTestAgent();
    await agent.post("shift.open", { cashier: CASHIER, openingFloat: 20_000 });
    await agent.post("receipts.create", saleInput("cash-sale")); // +900,000 cash net
    await agent.post(
      "receipts.create",
      saleInput("cash-refund", { kind: "refund", payments: [{ type: "cash", amount: 900_000 }] }),
    );
    expect(
      (await agent.post("cash.move", { direction: "in", amount: 5_000, reason: "change fund" })).status,
    ).toBe(200);
    const out = await agent.post("cash.move", { direction: "out", amount: 3_000, reason: "collection" });
    expect(out.json.result.data.cash).toEqual({
      openingFloat: 20_000,
      cashSales: 900_000,
      cashRefunds: 900_000,
      cashIn: 5_000,
      cashOut: 3_000,
      expected: 22_000,
    });
    const tooMuch = await agent.post("cash.move", { direction: "out", amount: 1_000_000, reason: "x" });
    expect(tooMuch.status).toBe(400);
    const noReason = await agent.post("cash.move", { direction: "in", amount: 1, reason: " " });
    expect(noReason.json.error.data.fieldErrors.reason).toBeDefined();
    agent = await agent.restart();
    expect((await agent.get("shift.status")).json.result.data.cash.expected).toBe(22_000);
    expect(agent.count("cash_movements")).toBe(3);
  });
});

describe("shift snapshots in the outbox", () => {
  it("a newer snapshot is a new row, so acknowledging the older one in flight cannot drop it", async () => {
    agent = await startTestAgent();
    const shiftId = (await agent.post("shift.open", { cashier: CASHIER })).json.result.data.shiftId;
    const rows = () =>
      agent!.db
        .prepare("SELECT id, payload FROM outbox WHERE kind = 'shift' AND item_id = ?")
        .all(shiftId) as {
        id: number;
        payload: string;
      }[];
    const sending = rows()[0]!.id; // the sync worker picked up the "open" snapshot…
    await agent.post("shift.close", { cashier: CASHIER });
    agent.db.prepare("DELETE FROM outbox WHERE id = ?").run(sending); // …and acknowledges it by id
    const left = rows();
    expect(left).toHaveLength(1);
    expect(JSON.parse(left[0]!.payload).status).toBe("closed");
  });
});

describe("offline PIN login", () => {
  async function withCashier(env: Record<string, string> = {}) {
    const clock = fakeClock();
    agent = await startTestAgent({ deps: { now: clock.now }, tuning: { lockoutMs: 15 * 60_000 }, env });
    replaceCashiers(agent.db, [
      { id: "u1", login: "ivanova", name: "Ivanova A.", inn: "500100732259", pinHash: await hashPin("2468") },
    ]);
    return clock;
  }

  it("locks a cashier after 5 wrong PINs for the configured time, then lets the right PIN in", async () => {
    const clock = await withCashier();
    for (let i = 1; i <= 4; i++) {
      const wrong = await agent!.post("auth.login", { login: "ivanova", pin: "0000" });
      expect(wrong.status).toBe(401);
    }
    const fifth = await agent!.post("auth.login", { login: "ivanova", pin: "0000" });
    expect(fifth.status).toBe(429);
    expect(fifth.json.error.data.kassaCode).toBe("USER_LOCKED");
    const rightButLocked = await agent!.post("auth.login", { login: "ivanova", pin: "2468" });
    expect(rightButLocked.status).toBe(429);
    clock.advance(14 * 60_000);
    expect((await agent!.post("auth.login", { login: "ivanova", pin: "2468" })).status).toBe(429);
    clock.advance(60_000 + 1);
    const ok = await agent!.post("auth.login", { login: "ivanova", pin: "2468" });
    expect(ok.status).toBe(200);
    expect(ok.json.result.data.cashier).toMatchObject({ id: "u1", name: "Ivanova A." });
    // Login time is recorded for RUM (queued in memory, written on the recorder's next flush).
    agent!.rum.flush();
    const rum = agent!.db.prepare("SELECT payload FROM outbox WHERE kind = 'rum'").all() as {
      payload: string;
    }[];
    expect(rum.map((row) => JSON.parse(row.payload))).toContainEqual(
      expect.objectContaining({ metric: "pin_login.duration", unit: "ms", labels: { cashierId: "u1" } }),
    );
  });

  it("with KASSA_REQUIRE_LOGIN=1 a sale needs a session; the session names the cashier", async () => {
    await withCashier({ KASSA_REQUIRE_LOGIN: "1" });
    const named = await agent!.post("shift.open", { cashier: CASHIER });
    expect(named.status).toBe(401);
    expect(named.json.error.data.kassaCode).toBe("LOGIN_REQUIRED");
    const session = (await agent!.post("auth.login", { login: "ivanova", pin: "2468" })).json.result.data
      .session;
    expect((await agent!.post("shift.open", { cashier: { session } })).status).toBe(200);
    const sale = await agent!.post("receipts.create", saleInput("s-1", { cashier: { session } }));
    expect(sale.status).toBe(200);
    const view = (await agent!.get("receipts.get", { receiptId: sale.json.result.data.receiptId })).json
      .result.data;
    expect(view.cashier).toEqual({ name: "Ivanova A.", inn: "500100732259" });
    // A retry after logging in again (new token, same cashier) is the same receipt, not a 409.
    const again = (await agent!.post("auth.login", { login: "ivanova", pin: "2468" })).json.result.data
      .session;
    expect(again).not.toBe(session);
    const retry = await agent!.post("receipts.create", saleInput("s-1", { cashier: { session: again } }));
    expect(retry.status).toBe(200);
    expect(retry.json.result.data).toEqual(sale.json.result.data);
    expect(agent!.count("receipts")).toBe(1);
    const bogus = await agent!.post(
      "receipts.create",
      saleInput("s-2", { cashier: { session: "x".repeat(32) } }),
    );
    expect(bogus.status).toBe(401);
    expect(bogus.json.error.data.kassaCode).toBe("SESSION_INVALID");
  });

  it("a session's cashier passes the content contract: normalised when it can be, a 400 when it cannot be printed", async () => {
    await withCashier();
    // Rows as an older central server may have sent them: not normalised, or not printable at all.
    replaceCashiers(agent!.db, [
      { id: "u2", login: "petrova", name: "Петрова — А.", inn: null, pinHash: await hashPin("1357") },
      { id: "u3", login: "emoji", name: "Sidorov 🙂", inn: null, pinHash: await hashPin("1357") },
      { id: "u4", login: "badinn", name: "Orlov", inn: "12345", pinHash: await hashPin("1357") },
    ]);
    const login = async (who: string) =>
      (await agent!.post("auth.login", { login: who, pin: "1357" })).json.result.data.session as string;
    expect((await agent!.post("shift.open", { cashier: CASHIER })).status).toBe(200);
    const sale = await agent!.post(
      "receipts.create",
      saleInput("c-1", { cashier: { session: await login("petrova") } }),
    );
    expect(sale.json.result.data.status).toBe("fiscalized");
    const view = (await agent!.get("receipts.get", { receiptId: sale.json.result.data.receiptId })).json
      .result.data;
    expect(view.cashier).toEqual({ name: "Петрова - А." });
    for (const [who, key] of [
      ["emoji", "c-2"],
      ["badinn", "c-3"],
    ] as const) {
      const refused = await agent!.post(
        "receipts.create",
        saleInput(key, { cashier: { session: await login(who) } }),
      );
      expect(refused.status).toBe(400);
      expect(refused.json.error.data).toMatchObject({
        kassaCode: "VALIDATION_FAILED",
        fieldErrors: { cashier: [expect.any(String)] },
      });
    }
    expect(agent!.count("receipts")).toBe(1);
  });
});
