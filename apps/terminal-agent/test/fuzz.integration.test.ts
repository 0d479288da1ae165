import http from "node:http";
import { ZCreateReceiptInput } from "@kassa/api/agent";
import { defaultVatRates } from "@kassa/fiscal/ffd";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CASHIER, saleInput, startTestAgent, type TestAgent, TOKEN } from "./helpers.ts";

// 10,000 generated bad inputs against the local API over real HTTP: every one is answered with a
// typed 4xx (kassaCode set), the process keeps serving, and nothing is written.
// KASSA_FUZZ_RUNS overrides the count (runs go 16 at a time, like a busy POS).

const RUNS = Number(process.env.KASSA_FUZZ_RUNS ?? 10_000);
let agent: TestAgent;
const TABLES = ["receipts", "outbox", "shifts", "cash_movements", "cashiers", "cashier_sessions"];
let before: Record<string, number>;

beforeAll(async () => {
  agent = await startTestAgent();
  await agent.post("shift.open", { cashier: CASHIER });
  await agent.post("receipts.create", saleInput("fuzz-existing"));
  before = Object.fromEntries(TABLES.map((t) => [t, agent.count(t)]));
});
afterAll(async () => {
  keepAlive.destroy();
  await agent.destroy();
});

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer({ min: -1e15, max: 1e15 }),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(-1, 0, 0.5, 1e13, Number.MAX_SAFE_INTEGER, "", "1", "vat20", "sale"),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** A valid receipt with one part broken: always invalid, so any 2xx is a bug. */
const brokenReceipt = fc
  .record({
    key: fc.stringMatching(/^[a-z0-9]{1,20}$/),
    path: fc.constantFrom(
      ["kind"],
      ["cashier"],
      ["items"],
      ["payments"],
      ["idempotencyKey"],
      ["items", 0, "price"],
      ["items", 0, "quantity"],
      ["items", 0, "vat"],
      ["items", 0, "name"],
      ["items", 0, "unit"],
      ["payments", 0, "amount"],
      ["payments", 0, "type"],
      ["taxSystem"],
    ),
    value: junk,
  })
  .map(({ key, path, value }) => {
    const body = structuredClone(saleInput(`fz-${key}`)) as Record<string, unknown>;
    let target: any = body;
    for (const step of path.slice(0, -1)) target = target[step as string];
    target[path[path.length - 1] as string] = value;
    return { procedure: "receipts.create", body };
  })
  // Junk that happens to be valid at its path (a name, a quantity, a key) is not a bad input.
  .filter(({ body }) => !isValidReceipt(body));

function isValidReceipt(body: unknown): boolean {
  const parsed = ZCreateReceiptInput.safeParse(body);
  return parsed.success && parsed.data.items.every((item) => defaultVatRates.has(item.vat));
}

// node:http with keep-alive: undici's fetch would triple the client's share of this test's CPU.
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 16 });
function post(procedure: string, text: string): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${agent.url}/trpc/${procedure}`,
      {
        method: "POST",
        agent: keepAlive,
        headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          let json: unknown = null;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString());
          } catch {}
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

const anyBody = fc.record({
  procedure: fc.constantFrom(
    "receipts.create",
    "shift.open",
    "shift.close",
    "cash.move",
    "auth.login",
    "dlq.retry",
  ),
  body: fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.string({ maxLength: 200 }).map((s) => `{${s}`),
  ),
});

const input = fc.oneof({ weight: 3, arbitrary: brokenReceipt }, { weight: 2, arbitrary: anyBody });

it(`answers ${RUNS} bad inputs with typed 4xx errors and writes nothing`, async () => {
  const samples = fc.sample(input, { numRuns: RUNS, seed: 20261122 });
  const failures: string[] = [];
  for (let i = 0; i < samples.length; i += 16) {
    await Promise.all(
      samples.slice(i, i + 16).map(async ({ procedure, body }) => {
        const text = typeof body === "string" ? body : JSON.stringify(body);
        const { status, json } = await post(procedure, text);
        const typed = status >= 400 && status < 500 && typeof json?.error?.data?.kassaCode === "string";
        if (!typed)
          failures.push(
            `${procedure} ${text.slice(0, 120)} → ${status} ${JSON.stringify(json).slice(0, 200)}`,
          );
      }),
    );
  }
  expect(failures.slice(0, 5)).toEqual([]);
  expect(Object.fromEntries(TABLES.map((t) => [t, agent.count(t)]))).toEqual(before);
  expect((await fetch(`${agent.url}/healthz`)).status).toBe(200);
}, 120_000);
