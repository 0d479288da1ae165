import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CentralProcess, startCentralProcess } from "../src/sync/test-support.ts";
import { CASHIER, startTestAgent, type TestAgent } from "./helpers.ts";

// The content contract end to end (docs/content-rules.md): receipts generated with awkward content —
// float-noise quantities, typographic and unprintable characters, NUL, lone surrogates, money at and
// past the register's limits — go through the real agent (HTTP, SQLite, the Shtrih-M driver on the
// device emulator) and the real central server (its own process, PostgreSQL when TEST_DATABASE_URL is
// set, PGlite otherwise). Accepted ⇒ fiscalized by the register ⇒ stored centrally; refused ⇒ a typed
// 400 naming a field, and nothing written.

let central: CentralProcess;
let agent: TestAgent;

beforeAll(async () => {
  central = await startCentralProcess(["--stores", "1", "--per-store", "1"]);
  const terminal = central.terminals[0]!;
  agent = await startTestAgent({
    env: { KASSA_TERMINAL_ID: terminal.id, KASSA_TERMINAL_KEY: terminal.key, KASSA_CENTRAL_URL: central.url },
  });
  expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
}, 90_000);

afterAll(async () => {
  await agent?.destroy();
  await central?.stop();
});

/** Any UTF-16 code unit, lone surrogates and NUL included. */
const codeUnits = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 140,
});
/** Names a shop's catalogue really holds: printable, some only after normalisation. */
const printableName = fc.oneof(
  fc.constantFrom(
    "Молоко «Простоквашино» 3,2 % — 1 л",
    "Оправа Ray-Ban RB5154 №12",
    "Линза Essilor 1.6…",
    "Чаи\u0306 “Greenfield”",
    "  Хлеб ржаной  ",
    "я".repeat(128),
  ),
  fc.string({
    unit: fc.constantFrom(..."абвгдеёжзЯЁ №°·-.,'\"()/%+0123456789ABCxyz"),
    minLength: 1,
    maxLength: 128,
  }),
);
/** What a buggy POS or a hostile client sends. */
const hostileName = fc.oneof(
  fc.constantFrom("Сок 🍊", "Café crème", "Хлеб\u0000", "Сыр\ud800", "\t", "   ", "я".repeat(129)),
  codeUnits,
  fc.string({ unit: "grapheme", maxLength: 130 }),
);
const cleanQuantity = fc.oneof(
  fc.integer({ min: 1, max: 20 }),
  // A scale's driver adds and multiplies floats: 0.1 + 0.2, 3 × 0.35 …
  fc
    .tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 9999 }))
    .map(([a, b]) => a / 1000 + b / 10000),
  fc.constantFrom(0.1 + 0.2, 3 * 0.35, 99_999, 0.000001),
);
const hostileQuantity = fc.oneof(
  fc.double({ min: -1, max: 120_000 }),
  fc.constantFrom(1.0000001, 0, -2, 1e-7, 100_000),
);
const cleanPrice = fc.integer({ min: 1, max: 10_000_000 });
const hostilePrice = fc.oneof(
  fc.integer({ min: 0, max: 2e12 }),
  fc.constantFrom(0.5, -1, 1e12, 2 ** 40, Number.MAX_SAFE_INTEGER + 2),
);
const vat = fc.constantFrom("vat20", "vat10", "vat0", "none");
const cleanItem = fc.record({ name: printableName, price: cleanPrice, quantity: cleanQuantity, vat });
const hostileItem = fc.record({
  name: fc.oneof(printableName, hostileName),
  price: fc.oneof(cleanPrice, hostilePrice),
  quantity: fc.oneof(cleanQuantity, hostileQuantity),
  vat,
});
const receipt = fc.record({
  kind: fc.constantFrom("sale", "refund"),
  cashier: fc.oneof(
    { weight: 4, arbitrary: fc.constant(CASHIER) },
    { weight: 1, arbitrary: fc.oneof(printableName, hostileName).map((n) => ({ name: n })) },
  ),
  items: fc.array(fc.oneof({ weight: 6, arbitrary: cleanItem }, { weight: 1, arbitrary: hostileItem }), {
    minLength: 1,
    maxLength: 4,
  }),
  /** How the POS pays: exactly, with cash change, all electronic, short, or past the register's money. */
  pay: fc.constantFrom("exact_cash", "exact_cash", "change", "change", "electronic", "short", "huge"),
});

type GeneratedReceipt = typeof receipt extends fc.Arbitrary<infer T> ? T : never;

/** The payments a POS would send: computed on its own (float) arithmetic, as POS code does. */
function payments(r: GeneratedReceipt): { type: string; amount: number }[] {
  const total = r.items.reduce((sum, i) => sum + Math.round(i.price * i.quantity), 0);
  switch (r.pay) {
    case "exact_cash":
      return [{ type: "cash", amount: total }];
    case "change":
      return [{ type: "cash", amount: total + 5000 }];
    case "short":
      return [{ type: "cash", amount: Math.max(1, total - 1) }];
    case "electronic":
      return [{ type: "electronic", amount: total }];
    case "huge":
      return [
        { type: "cash", amount: 1e12 },
        { type: "electronic", amount: 1e12 },
      ];
  }
}

describe("the content contract, agent → register → central server", () => {
  it("property: accepted ⇒ fiscalized and stored centrally; refused ⇒ typed 400 with a field path, nothing written", async () => {
    let n = 0;
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(receipt, async (r) => {
        const key = `prop-${n++}`;
        const before = agent.count("receipts");
        const body = {
          idempotencyKey: key,
          kind: r.kind,
          cashier: r.cashier,
          items: r.items,
          payments: payments(r),
        };
        const res = await agent.post("receipts.create", JSON.stringify(body));
        if (res.status === 200) {
          accepted++;
          // The register printed it: never waiting, never refused for its content.
          expect(res.json.result.data).toMatchObject({ status: "fiscalized" });
          expect(agent.count("receipts")).toBe(before + 1);
          return;
        }
        refused++;
        expect(res.status).toBe(400);
        const data = res.json.error.data;
        expect(data.kassaCode).toBe("VALIDATION_FAILED");
        const paths = Object.keys(data.fieldErrors ?? {});
        expect(paths.length).toBeGreaterThan(0);
        for (const path of paths) {
          expect(path).toMatch(
            /^(items(\.\d+\.(name|price|quantity|vat))?|payments(\.\d+\.amount)?|cashier(\.name)?)$/,
          );
        }
        // Nothing written: no receipt row, so no outbox row either (both are one transaction).
        expect(agent.count("receipts")).toBe(before);
        expect(agent.db.prepare("SELECT 1 FROM receipts WHERE idempotency_key = ?").get(key)).toBeUndefined();
      }),
      { numRuns: 250, seed: 20261201, endOnFailure: true },
    );
    // Both sides of the contract were exercised, not only one.
    expect(accepted).toBeGreaterThan(30);
    expect(refused).toBeGreaterThan(30);

    // Everything accepted reaches the central server, once, and nothing lands in a DLQ.
    for (let round = 0; round < 20 && agent.count("outbox") > 0; round++) {
      expect((await agent.post("sync.now", {})).status).toBe(200);
    }
    expect(agent.count("outbox")).toBe(0);
    expect(agent.count("dlq")).toBe(0);
    const terminalId = central.terminals[0]!.id;
    const stats = await central.stats();
    const stored = stats.receipts.find((row) => row.terminal_id === terminalId);
    expect(stored).toMatchObject({ n: accepted, distinct_ids: accepted, fiscalized: accepted });
    expect(stats.dlq.filter((row) => row.terminal_id === terminalId)).toEqual([]);
  }, 240_000);
});
