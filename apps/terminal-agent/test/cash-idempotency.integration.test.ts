import { afterEach, describe, expect, it } from "vitest";
import { CASHIER, startTestAgent, type TestAgent } from "./helpers.ts";

// cash.move retried by a POS after a timeout: one movement, not two.

let agent: TestAgent | undefined;
afterEach(async () => {
  await agent?.destroy();
  agent = undefined;
});

const move = (overrides: Record<string, unknown> = {}) => ({
  direction: "in",
  amount: 20_000,
  reason: "change fund",
  cashier: CASHIER,
  ...overrides,
});

describe("cash.move idempotency", () => {
  it("the same key and body return the original movement; nothing is recorded twice", async () => {
    agent = await startTestAgent();
    await agent.post("shift.open", { cashier: CASHIER, openingFloat: 1_000 });
    const first = await agent.post("cash.move", move({ idempotencyKey: "pos-1:cash.0001" }));
    expect(first.status).toBe(200);
    const movements = agent.count("cash_movements");
    const outbox = agent.count("outbox");

    const retry = await agent.post("cash.move", move({ idempotencyKey: "pos-1:cash.0001" }));
    expect(retry.status).toBe(200);
    expect(retry.json.result.data).toEqual(first.json.result.data);
    expect(agent.count("cash_movements")).toBe(movements);
    expect(agent.count("outbox")).toBe(outbox);
    expect((await agent.get("shift.status")).json.result.data.cash.cashIn).toBe(20_000);

    // Survives a restart too (the key is in SQLite, not in memory).
    agent = await agent.restart();
    const later = await agent.post("cash.move", move({ idempotencyKey: "pos-1:cash.0001" }));
    expect(later.json.result.data.movementId).toBe(first.json.result.data.movementId);
    expect(agent.count("cash_movements")).toBe(movements);
  });

  it("the same key with a different body is 409 IDEMPOTENCY_CONFLICT and changes nothing", async () => {
    agent = await startTestAgent();
    await agent.post("shift.open", { cashier: CASHIER });
    expect((await agent.post("cash.move", move({ idempotencyKey: "k1" }))).status).toBe(200);
    const before = { movements: agent.count("cash_movements"), outbox: agent.count("outbox") };
    const conflict = await agent.post("cash.move", move({ idempotencyKey: "k1", amount: 30_000 }));
    expect(conflict.status).toBe(409);
    expect(conflict.json.error.data.kassaCode).toBe("IDEMPOTENCY_CONFLICT");
    expect(conflict.json.error.message).toMatch(/new key/);
    expect({ movements: agent.count("cash_movements"), outbox: agent.count("outbox") }).toEqual(before);
  });

  it("without a key every call moves cash (as before); a malformed key is a 400 naming the field", async () => {
    agent = await startTestAgent();
    await agent.post("shift.open", { cashier: CASHIER });
    expect((await agent.post("cash.move", move())).status).toBe(200);
    expect((await agent.post("cash.move", move())).status).toBe(200);
    expect((await agent.get("shift.status")).json.result.data.cash.cashIn).toBe(40_000);

    const before = agent.count("cash_movements");
    for (const key of ["", "k".repeat(65), "has space", "кириллица"]) {
      const bad = await agent.post("cash.move", move({ idempotencyKey: key }));
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.json.error.data.fieldErrors ?? {})).toContain("idempotencyKey");
    }
    expect(agent.count("cash_movements")).toBe(before);
  });
});
