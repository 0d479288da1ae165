import type http from "node:http";
import { agentRouter, createAgentContext } from "@kassa/api/agent";
import { KktEmulator, runControl } from "@kassa/fiscal/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { createMetrics } from "../metrics.ts";
import { createLocalServer, listen } from "./local-server.ts";

// POST /emulator/control lets the e2e suite and demos put the in-process register out of paper
// (or off, or its cable out) from outside the agent. It exists only when the till runs the
// emulator, and only with the till's API token.

const TOKEN = "secret-token-for-tests";
let server: http.Server | undefined;
const emulators: KktEmulator[] = [];
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  for (const emulator of emulators.splice(0)) emulator.close();
});

async function start(withEmulator: boolean): Promise<{ base: string; emulator: KktEmulator | null }> {
  const emulator = withEmulator ? new KktEmulator({}) : null;
  if (emulator) emulators.push(emulator);
  server = createLocalServer({
    router: agentRouter,
    createContext: () => createAgentContext({} as never),
    apiToken: TOKEN,
    maxBodyBytes: 1024 * 1024,
    metrics: createMetrics(),
    health: () => ({}),
    ...(emulator ? { emulatorControl: (line: string) => runControl({ emulator }, line) } : {}),
  });
  return { base: `http://127.0.0.1:${await listen(server, 0)}`, emulator };
}

const control = (base: string, line: string, token: string | null = TOKEN) =>
  fetch(`${base}/emulator/control`, {
    method: "POST",
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: line,
  });

describe("POST /emulator/control", () => {
  it("runs a control line on the emulator: paper out, then paper in", async () => {
    const { base, emulator } = await start(true);
    const out = await control(base, "paper-out");
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ output: "paper out" });
    expect(emulator!.status().paper).toBe("out-passive");
    expect((await control(base, "paper-in")).status).toBe(200);
    expect(emulator!.status().paper).toBe("ok");
  });

  it("refuses a caller without the till's token and changes nothing", async () => {
    const { base, emulator } = await start(true);
    const refused = await control(base, "paper-out", null);
    expect(refused.status).toBe(401);
    expect((await control(base, "paper-out", "wrong-token-of-sixteen")).status).toBe(401);
    expect(emulator!.status().paper).toBe("ok");
  });

  it("answers an unknown command with a typed 400", async () => {
    const { base } = await start(true);
    const bad = await control(base, "set-fire");
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { data: { kassaCode: string } } };
    expect(body.error.data.kassaCode).toBe("VALIDATION_FAILED");
  });

  it("does not exist on a till with a real register", async () => {
    const { base } = await start(false);
    expect((await control(base, "paper-out")).status).toBe(404);
  });
});
