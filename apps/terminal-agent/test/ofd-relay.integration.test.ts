import { type OfdEmulator, startOfdEmulator } from "@kassa/fiscal/ofd";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/env.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// KASSA_OFD_ADDRESS wires the FN → OFD relay into the running agent: the register's unsent
// documents reach the OFD emulator over TCP and its confirmations clear the FN's unsent count.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function agentWithOfd(): Promise<{ agent: TestAgent; ofd: OfdEmulator }> {
  const ofd = await startOfdEmulator({ port: 0 });
  const agent = await startTestAgent({ env: { KASSA_OFD_ADDRESS: `127.0.0.1:${ofd.port}` } });
  cleanups.push(async () => {
    await agent.destroy();
    await ofd.close();
  });
  return { agent, ofd };
}

describe("the agent's OFD relay", () => {
  it("delivers the shift and receipt documents once and clears the FN's unsent count", async () => {
    const { agent, ofd } = await agentWithOfd();
    expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
    const sale = await agent.post("receipts.create", saleInput("ofd-1"));
    expect(sale.json.result.data.status).toBe("fiscalized");
    const before = (await agent.get("status")).json.result.data;
    expect(before.device.fnUnsent).toBeGreaterThanOrEqual(2);

    const synced = await agent.post("sync.now", {});
    expect(synced.status).toBe(200);
    expect(synced.json.result.data.delivered.ofd).toBe(before.device.fnUnsent);

    const after = (await agent.get("status")).json.result.data;
    expect(after.device.fnUnsent).toBe(0);
    expect(after.breakers.ofd).toBe("closed");
    const fd = sale.json.result.data.fiscal.fdNumber;
    expect(ofd.documents().filter((d) => d.fdNumber === fd)).toHaveLength(1);

    // A second round finds nothing to send and sends nothing twice.
    await agent.post("sync.now", {});
    expect(ofd.stats().duplicates).toBe(0);
  });

  it("refuses a malformed OFD address with one clear line", () => {
    expect(() =>
      parseConfig({
        KASSA_TERMINAL_ID: "till-1",
        KASSA_API_TOKEN: "test-token-0123456789abcdef",
        KASSA_KKT_EMULATOR: "1",
        KASSA_OFD_ADDRESS: "not an address",
      }),
    ).toThrow("KASSA_OFD_ADDRESS must be host:port of the OFD");
  });
});
