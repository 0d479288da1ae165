import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { formatHlc } from "../src/clock/hlc.ts";
import { bufferPath } from "../src/db/buffer.ts";
import { hlcTables } from "../src/db/receipt-rows.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// Issue 8, item 4: the HLC is restored at start-up from every table that carries one, so a restart
// never stamps a newer change with an older clock — even when the newest HLC is only in the outbox
// (a RUM sample, a fiscalized-receipt row) or in a DLQ mirror whose receipt row was older.

let agent: TestAgent | undefined;
afterEach(async () => {
  await agent?.destroy();
  agent = undefined;
});

/** Ten years ahead of the wall clock: no receipt, shift or cash movement can carry it. */
const future = formatHlc({ wallMs: Date.now() + 10 * 365 * 86_400_000, counter: 7 });

const plant: Record<string, (db: Database.Database) => void> = {
  outbox: (db) =>
    db
      .prepare("INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES (?, ?, ?, ?, ?)")
      .run("central", "rum", "rum-future", future, "{}"),
  dlq: (db) =>
    db
      .prepare(
        `INSERT INTO dlq (id, destination, kind, item_id, hlc, payload, attempts, reason, fingerprint, errors,
           status, created_at, updated_at)
         VALUES ('dlq-future', 'central', 'receipt', 'r-future', ?, '{}', 5, 'rejected', 'f', '[]', 'pending', ?, ?)`,
      )
      .run(future, new Date().toISOString(), new Date().toISOString()),
};

for (const [table, insert] of Object.entries(plant)) {
  it(`a far-future HLC only in ${table}: after a restart the next receipt's HLC is later`, async () => {
    agent = await startTestAgent({ deps: { commitThread: false } });
    expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
    const dataDir = agent.dataDir;
    await agent.close();
    const raw = new Database(bufferPath(dataDir));
    insert(raw);
    raw.close();

    agent = await startTestAgent({ dataDir, deps: { commitThread: false } });
    const { status, json } = await agent.post("receipts.create", saleInput(`after-${table}`));
    expect(status).toBe(200);
    expect(json.result.data.hlc > future).toBe(true);
  });
}

it("every model of the agent schema with an hlc field is a table the restore reads", async () => {
  agent = await startTestAgent({ deps: { commitThread: false } });
  const schema = readFileSync(
    join(import.meta.dirname, "..", "..", "..", "packages/db/prisma/agent/schema.prisma"),
    "utf8",
  );
  const withHlc = [...schema.matchAll(/^model \w+ \{([\s\S]*?)^\}/gm)]
    .filter((m) => /^\s+hlc\s/m.test(m[1]!))
    .map((m) => /@@map\("([^"]+)"\)/.exec(m[1]!)![1]!)
    .sort();
  expect(withHlc).toEqual(expect.arrayContaining(["cash_movements", "dlq", "outbox", "receipts", "shifts"]));
  expect(hlcTables(agent.db)).toEqual(withHlc);
});

it("a malformed hlc in one row does not stop the agent from starting", async () => {
  agent = await startTestAgent({ deps: { commitThread: false } });
  const dataDir = agent.dataDir;
  await agent.close();
  const raw = new Database(bufferPath(dataDir));
  raw
    .prepare("INSERT INTO outbox (destination, kind, item_id, hlc, payload) VALUES (?, ?, ?, ?, ?)")
    .run("central", "rum", "rum-bad", "9999-not-an-hlc", "{}");
  raw.close();
  agent = await startTestAgent({ dataDir, deps: { commitThread: false } });
  expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
});
