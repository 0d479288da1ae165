import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

let agent: TestAgent;

beforeAll(async () => {
  agent = await startTestAgent();
  const opened = await agent.post("shift.open", { cashier: CASHIER, openingFloat: 50_000 });
  expect(opened.status).toBe(200);
});
afterAll(() => agent.destroy());

function nothingWritten(before: { receipts: number; outbox: number }) {
  expect(agent.count("receipts")).toBe(before.receipts);
  expect(agent.count("outbox")).toBe(before.outbox);
}
const counts = () => ({ receipts: agent.count("receipts"), outbox: agent.count("outbox") });

describe("receipts.create over real HTTP", () => {
  it("stores, fiscalizes and answers with the fiscal attributes", async () => {
    const { status, json } = await agent.post("receipts.create", saleInput("ok-1"));
    expect(status).toBe(200);
    const data = json.result.data;
    expect(data).toMatchObject({ status: "fiscalized", total: 900_000, change: 100_000 });
    expect(data.fiscal.fdNumber).toBeGreaterThan(0);
    expect(data.hlc).toMatch(/^\d{13}\.\d{5}$/);
    const kinds = agent.db
      .prepare("SELECT kind FROM outbox WHERE item_id = ? ORDER BY id")
      .all(data.receiptId);
    expect(kinds).toEqual([{ kind: "receipt" }, { kind: "receipt_fiscalized" }]);

    const byId = await agent.get("receipts.get", { receiptId: data.receiptId });
    expect(byId.json.result.data).toMatchObject({
      status: "fiscalized",
      idempotencyKey: "ok-1",
      fiscal: data.fiscal,
    });
    const byKey = await agent.get("receipts.get", { idempotencyKey: "ok-1" });
    expect(byKey.json.result.data.receiptId).toBe(data.receiptId);
  });

  it("answers the same key and body with the original result, once, even after a restart", async () => {
    const first = await agent.post("receipts.create", saleInput("idem-1"));
    const again = await agent.post("receipts.create", saleInput("idem-1"));
    expect(again.json.result.data).toEqual(first.json.result.data);
    agent = await agent.restart();
    const afterRestart = await agent.post("receipts.create", saleInput("idem-1"));
    expect(afterRestart.json.result.data).toEqual(first.json.result.data);
    expect(
      agent.db.prepare("SELECT count(*) AS n FROM receipts WHERE idempotency_key = 'idem-1'").get(),
    ).toEqual({ n: 1 });
  });

  it("refuses the same key with another body: 409 IDEMPOTENCY_CONFLICT, nothing written", async () => {
    await agent.post("receipts.create", saleInput("idem-2"));
    const before = counts();
    const { status, json } = await agent.post("receipts.create", saleInput("idem-2", { kind: "refund" }));
    expect(status).toBe(409);
    expect(json.error.data.kassaCode).toBe("IDEMPOTENCY_CONFLICT");
    nothingWritten(before);
  });

  it("returns 404 for an unknown receipt", async () => {
    const { status, json } = await agent.get("receipts.get", { receiptId: "nope" });
    expect(status).toBe(404);
    expect(json.error.data.kassaCode).toBe("NOT_FOUND");
  });
});

describe("bad input to receipts.create: typed 4xx with field-level messages, nothing written", () => {
  const cases: [string, unknown, string[]][] = [
    ["missing fields", { kind: "sale" }, ["idempotencyKey", "cashier", "items", "payments"]],
    [
      "negative quantity",
      saleInput("bad-q", { items: [{ name: "x", price: 100, quantity: -1, vat: "vat20" }] }),
      ["items.0.quantity"],
    ],
    [
      "non-integer money",
      saleInput("bad-m", { items: [{ name: "x", price: 10.5, quantity: 1, vat: "vat20" }] }),
      ["items.0.price"],
    ],
    [
      "money as a string",
      saleInput("bad-s", { payments: [{ type: "cash", amount: "100" }] }),
      ["payments.0.amount"],
    ],
    [
      "more than 6 decimals",
      saleInput("bad-d", { items: [{ name: "x", price: 100, quantity: 0.0000001, vat: "vat20" }] }),
      ["items.0.quantity"],
    ],
    [
      "payments below the total",
      saleInput("bad-p", { payments: [{ type: "cash", amount: 1 }] }),
      ["payments"],
    ],
    [
      "change from an electronic payment",
      saleInput("bad-e", { payments: [{ type: "electronic", amount: 1_000_000 }] }),
      ["payments"],
    ],
    ["no items", saleInput("bad-i", { items: [] }), ["items"]],
    [
      "unknown VAT rate",
      saleInput("bad-v", {
        items: [{ name: "x", price: 100, quantity: 1, vat: "vat99" }],
        payments: [{ type: "cash", amount: 100 }],
      }),
      ["items.0.vat"],
    ],
    ["bad idempotency key", saleInput("has space"), ["idempotencyKey"]],
    ["bad INN", saleInput("bad-inn", { cashier: { name: "A", inn: "12" } }), ["cashier.inn"]],
  ];
  for (const [name, body, fields] of cases) {
    it(name, async () => {
      const before = counts();
      const { status, json } = await agent.post("receipts.create", body);
      expect(status).toBe(400);
      expect(json.error.data.kassaCode).toBe("VALIDATION_FAILED");
      for (const field of fields) expect(Object.keys(json.error.data.fieldErrors)).toContain(field);
      nothingWritten(before);
    });
  }

  it("malformed JSON → 400", async () => {
    const before = counts();
    const { status, json } = await agent.post("receipts.create", "{not json");
    expect(status).toBe(400);
    expect(json.error.data.kassaCode).toBe("VALIDATION_FAILED");
    nothingWritten(before);
  });

  it("a 10 MB payload → 413", async () => {
    const before = counts();
    const huge = saleInput("huge", {
      items: [{ name: "x".repeat(10 * 1024 * 1024), price: 1, quantity: 1, vat: "vat20" }],
    });
    const { status, json } = await agent.post("receipts.create", huge);
    expect(status).toBe(413);
    expect(json.error.data.kassaCode).toBe("PAYLOAD_TOO_LARGE");
    nothingWritten(before);
  });

  it("a wrong or missing token → 401", async () => {
    const before = counts();
    const wrong = await agent.post("receipts.create", saleInput("tok-1"), "wrong-token");
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.data.kassaCode).toBe("UNAUTHORIZED");
    const missing = await agent.post("receipts.create", saleInput("tok-2"), null);
    expect(missing.status).toBe(401);
    nothingWritten(before);
  });

  it("GET /healthz and /metrics need no token", async () => {
    const health = await fetch(`${agent.url}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`${agent.url}/metrics`)).text();
    expect(metrics).toContain("kassa_receipts_accepted_total");
  });
});

describe("durability", () => {
  it("commits receipts on a connection running WAL with synchronous=FULL (read back)", async () => {
    expect(await agent.writer.pragmas()).toEqual({ journalMode: "wal", synchronous: 2 });
    expect(agent.db.pragma("synchronous", { simple: true })).toBe(2);
  });
});

describe("status", () => {
  it("reports device, buffer and offline-only sync", async () => {
    const { json } = await agent.get("status");
    expect(json.result.data).toMatchObject({
      terminalId: "till-1",
      online: false,
      sync: "offline-only",
      device: { connected: true, paper: true, shiftOpen: true },
      buffer: { capacity: 200_000 },
    });
    expect(json.result.data.buffer.pending).toBe(agent.count("outbox"));
  });
});
