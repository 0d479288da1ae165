import { afterAll, beforeAll, expect, it } from "vitest";
import { type CentralProcess, startCentralProcess } from "../src/sync/test-support.ts";
import { CASHIER, saleInput, startTestAgent, type TestAgent } from "./helpers.ts";

// KASSA_KKT_KIND=atol end to end (issue 13): the agent with the in-process ATOL web requests
// emulator (open-device.ts) sells, and its status snapshot reaches the real central server, where
// Fleet shows the till's register family and model.

let central: CentralProcess;
let agent: TestAgent;

beforeAll(async () => {
  central = await startCentralProcess(["--stores", "1", "--per-store", "1"]);
  const terminal = central.terminals[0]!;
  agent = await startTestAgent({
    env: {
      KASSA_TERMINAL_ID: terminal.id,
      KASSA_TERMINAL_KEY: terminal.key,
      KASSA_CENTRAL_URL: central.url,
      KASSA_KKT_KIND: "atol",
    },
    tuning: { devicePollMs: 20 },
    deps: { syncOptions: { schedule: false, watchMs: 0 } },
  });
}, 90_000);

afterAll(async () => {
  await agent?.destroy();
  await central?.stop();
});

it("sells on the ATOL emulator and Fleet shows the till as ATOL with its model", async () => {
  expect((await agent.post("shift.open", { cashier: CASHIER })).status).toBe(200);
  const { json } = await agent.post("receipts.create", saleInput("atol-fleet-1"));
  expect(json.result.data.status).toBe("fiscalized");
  // The emulator's control language is served like the Shtrih-M emulator's.
  const control = await fetch(`${agent.url}/emulator/control`, {
    method: "POST",
    headers: { authorization: `Bearer test-token-0123456789abcdef` },
    body: "status",
  });
  expect(((await control.json()) as { output: string }).output).toMatch(/shift opened/);
  for (let i = 0; i < 2; i++) expect((await agent.post("sync.now", {})).status).toBe(200);
  const { terminals } = await central.fleet(central.terminals[0]!.organizationId);
  expect(terminals[0]!.register).toMatchObject({
    family: "atol",
    model: expect.stringMatching(/АТОЛ/),
    firmware: "5.8.100",
    fnNumber: expect.stringMatching(/^\d{16}$/),
  });
});
