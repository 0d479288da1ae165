import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestAgent, type TestAgent, TOKEN } from "./helpers.ts";

// The kassa-agent CLI as an operator runs it: the bin shim, a real process.

const run = promisify(execFile);
const bin = join(import.meta.dirname, "..", "bin", "kassa-agent.js");
const cli = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    timeout: 30_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );

let agent: TestAgent;
beforeAll(async () => {
  agent = await startTestAgent();
});
afterAll(() => agent.destroy());

describe("kassa-agent", () => {
  it("start with a missing setting stops with one clear line and exit code 1", async () => {
    const result = await cli(["start"], { KASSA_TERMINAL_ID: "till-1", KASSA_KKT_EMULATOR: "1" });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      "kassa-agent: KASSA_API_TOKEN is required: the bearer token the POS front-end sends",
    );
  });

  it("a flag overrides the environment, and a bad one is named", async () => {
    const result = await cli(["start", "--port", "99999"], {
      KASSA_TERMINAL_ID: "till-1",
      KASSA_API_TOKEN: TOKEN,
      KASSA_KKT_EMULATOR: "1",
      KASSA_PORT: "7071",
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^kassa-agent: KASSA_PORT must be a port number/);
  });

  it("status and shift talk to the running agent", async () => {
    const env = { KASSA_PORT: String(agent.port), KASSA_API_TOKEN: TOKEN };
    const opened = await cli(["shift", "open", "--cashier", "Ivanova A.", "--float", "1000"], env);
    expect(opened.code).toBe(0);
    expect(JSON.parse(opened.stdout)).toMatchObject({ status: "open", openingFloat: 1000 });
    const status = await cli(["status"], env);
    expect(JSON.parse(status.stdout)).toMatchObject({ terminalId: "till-1", device: { shiftOpen: true } });
    const wrong = await cli(["status", "--api-token", "nope"], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^kassa-agent: UNAUTHORIZED/);
  });
});
