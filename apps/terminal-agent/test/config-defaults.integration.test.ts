import { afterEach, describe, expect, it } from "vitest";
import { offlineSyncEngine } from "../src/offline-sync.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

let agent: TestAgent | undefined;
afterEach(async () => {
  await agent?.destroy();
  agent = undefined;
});

describe("configured defaults seen through the local API", () => {
  it("a receipt without taxSystem gets the terminal's KASSA_TAX_SYSTEM", async () => {
    agent = await startTestAgent({ env: { KASSA_TAX_SYSTEM: "usn_income" } });
    await agent.post("shift.open", { cashier: CASHIER });
    const { taxSystem: _omitted, ...input } = saleInput("no-tax-system");
    const created = await agent.post("receipts.create", input);
    expect(created.status).toBe(200);
    const row = agent.db.prepare("SELECT body FROM receipts").get() as { body: string };
    expect(JSON.parse(row.body).taxSystem).toBe("usn_income");
    // A receipt that names one keeps it.
    await agent.post("receipts.create", saleInput("named-osn"));
    const bodies = agent.db.prepare("SELECT body FROM receipts ORDER BY seq").all() as { body: string }[];
    expect(bodies.map((b) => JSON.parse(b.body).taxSystem)).toEqual(["usn_income", "osn"]);
  });

  it("status.sync is running when only the OFD relay is configured (the worker runs for it)", async () => {
    agent = await startTestAgent({
      env: { KASSA_OFD_ADDRESS: "127.0.0.1:1" },
      deps: { createSync: () => offlineSyncEngine() },
    });
    expect((await agent.get("status")).json.result.data.sync).toBe("running");
  });
});
