import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AgentHandle, callAgent, startAgent } from "../../scripts/stack.ts";
import { expectNoSeriousA11yViolations } from "./a11y.ts";
import { expect, test } from "./fixtures.ts";
import { signInAs } from "./stack-helpers.ts";

// Issue 10: an owner provisions a till in the dashboard, a real kassa-agent process started with
// exactly the configuration the page showed syncs and appears on Fleet; the owner rotates the key
// and the running agent says plainly — in `status` and once in its log — that its key was rotated.

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** The KASSA_* lines of the env file the page showed. */
function envOf(config: string): Record<string, string> {
  return Object.fromEntries(
    config
      .split("\n")
      .filter((line) => line.startsWith("KASSA_"))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

interface AgentStatus {
  online: boolean;
  centralKey: { problem: string; since: string; message: string } | null;
  warnings: string[];
}

test("provision a till, run its agent with the shown key, see it on Fleet; rotate the key and the agent reports it", async ({
  page,
  stack,
}) => {
  test.setTimeout(180_000);
  const name = `Till e2e ${Date.now().toString(36)}`;
  await signInAs(page, stack, { email: stack.ownerEmail, password: stack.ownerPassword });
  await page.goto(`${stack.url}/tills`);
  await expect(page.getByTestId("tills-table")).toContainText("Till 1");
  await page.getByTestId("till-provision").click();
  const form = page.getByTestId("till-provision-dialog");
  await form.getByLabel("Store").selectOption({ label: "Arbat 5" });
  await form.getByLabel("Till name").fill(name);
  await form.getByRole("button", { name: "Provision" }).click();

  const shown = page.getByTestId("till-key-dialog");
  await expect(shown).toContainText("This key is shown once");
  await expectNoSeriousA11yViolations(page);
  const env = envOf(await shown.getByTestId("till-config").inputValue());
  expect(env.KASSA_CENTRAL_URL).toBe(stack.url);
  expect(env.KASSA_TERMINAL_KEY).toBe(await shown.getByTestId("till-key").inputValue());
  expect(env.KASSA_TERMINAL_KEY?.startsWith(`${env.KASSA_TERMINAL_ID}.`)).toBe(true);
  await shown.getByRole("button", { name: "I have saved it" }).click();
  await expect(shown).toBeHidden();

  const dataDir = mkdtempSync(join(tmpdir(), "kassa-e2e-provisioned-"));
  let agent: AgentHandle | undefined;
  try {
    // The configuration as shown; only the register is the in-process emulator (no serial port here).
    agent = await startAgent({
      centralUrl: env.KASSA_CENTRAL_URL!,
      terminalId: env.KASSA_TERMINAL_ID!,
      terminalKey: env.KASSA_TERMINAL_KEY!,
      apiToken: env.KASSA_API_TOKEN!,
      dataDir,
      port: await freePort(),
    });
    const running = agent;
    const synced = await callAgent<{ delivered?: { central?: number } }>(running, "sync.now");
    expect(synced.delivered?.central).toBeGreaterThanOrEqual(0);
    await expect
      .poll(async () => (await callAgent<AgentStatus>(running, "status", undefined, "query")).online)
      .toBe(true);

    await page.goto(`${stack.url}/`);
    const fleetRow = page.getByTestId("fleet-table").getByRole("row").filter({ hasText: name });
    await expect(fleetRow).toBeVisible();
    await expect(fleetRow).toContainText("Arbat 5");

    // The tills page: last contact and the register the till reported.
    await page.goto(`${stack.url}/tills`);
    const row = page.getByTestId("tills-table").getByRole("row").filter({ hasText: name });
    await expect(row.getByTestId("till-last-contact")).not.toHaveText("never");

    await row.getByTestId("till-rotate").click();
    await page.getByTestId("till-rotate-dialog").getByRole("button", { name: "Rotate key" }).click();
    await expect(page.getByTestId("till-key-dialog")).toBeVisible();
    const newKey = await page.getByTestId("till-key").inputValue();
    expect(newKey).not.toBe(env.KASSA_TERMINAL_KEY);
    await page.getByTestId("till-key-dialog").getByRole("button", { name: "I have saved it" }).click();

    // The running agent still holds the old key: its next sync is refused, and it says why.
    await callAgent(running, "sync.now");
    const status = await callAgent<AgentStatus>(running, "status", undefined, "query");
    expect(status.centralKey).toMatchObject({ problem: "rotated" });
    expect(status.centralKey?.message).toContain("rotated in the dashboard");
    expect(status.warnings.join("\n")).toContain("Set the new key (KASSA_TERMINAL_KEY)");
    await callAgent(running, "sync.now");
    const log = readFileSync(running.logFile, "utf8");
    expect(log.match(/This till's central key was rotated in the dashboard/g) ?? []).toHaveLength(1);

    // Both changes are in the audit log.
    await page.goto(`${stack.url}/audit`);
    const audit = page.getByTestId("audit-table");
    await expect(audit).toContainText("Till key rotated");
    await expect(audit).toContainText(`Provisioned till "${name}" in store "Arbat 5"`);
    await expectNoSeriousA11yViolations(page);
  } finally {
    await agent?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
