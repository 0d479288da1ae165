import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { type AgentDeps, type RunningAgent, startAgent } from "../src/agent.ts";
import { type AgentTuning, parseConfig, type RawEnv } from "../src/env.ts";

export const TOKEN = "test-token-0123456789abcdef";

export const silentLog = pino({ level: "silent" });

export interface TestAgent extends RunningAgent {
  dataDir: string;
  post(path: string, body: unknown, token?: string | null): Promise<{ status: number; json: any }>;
  get(path: string, input?: unknown, token?: string | null): Promise<{ status: number; json: any }>;
  count(table: string): number;
  restart(deps?: AgentDeps): Promise<TestAgent>;
  destroy(): Promise<void>;
}

/** An agent on a throwaway data directory, port 0, with the in-process emulator unless a device is given. */
export async function startTestAgent(
  options: { env?: RawEnv; tuning?: Partial<AgentTuning>; deps?: AgentDeps; dataDir?: string } = {},
): Promise<TestAgent> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "kassa-agent-"));
  const config = parseConfig(
    {
      KASSA_TERMINAL_ID: "till-1",
      KASSA_API_TOKEN: TOKEN,
      KASSA_KKT_EMULATOR: "1",
      KASSA_DATA_DIR: dataDir,
      KASSA_PORT: "0",
      ...options.env,
    },
    { logLevel: "silent", ...options.tuning },
  );
  const agent = await startAgent(config, { log: silentLog, ...options.deps });
  const auth = (token: string | null | undefined): Record<string, string> =>
    token === null ? {} : { authorization: `Bearer ${token ?? TOKEN}` };
  const test: TestAgent = Object.assign(agent, {
    dataDir,
    async post(path: string, body: unknown, token?: string | null) {
      const res = await fetch(`${agent.url}/trpc/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...auth(token) },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json().catch(() => null) };
    },
    async get(path: string, input?: unknown, token?: string | null) {
      const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      const res = await fetch(`${agent.url}/trpc/${path}${query}`, { headers: auth(token) });
      return { status: res.status, json: await res.json().catch(() => null) };
    },
    count(table: string) {
      // The outbox as the buffer's capacity counts it: RUM samples (flushed once a second, bounded
      // on their own) are not items a receipt waits behind.
      const where = table === "outbox" ? " WHERE kind <> 'rum'" : "";
      return (agent.db.prepare(`SELECT count(*) AS n FROM ${table}${where}`).get() as { n: number }).n;
    },
    async restart(deps?: AgentDeps) {
      await agent.close();
      return startTestAgent({ ...options, dataDir, ...(deps ? { deps } : {}) });
    },
    async destroy() {
      await agent.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
  return test;
}

export const CASHIER = { name: "Ivanova A.", inn: "500100732259" };

export function saleInput(key: string, overrides: Record<string, unknown> = {}) {
  return {
    idempotencyKey: key,
    kind: "sale",
    cashier: CASHIER,
    items: [
      {
        name: "Lens Essilor 1.6",
        price: 450000,
        quantity: 2,
        unit: "pcs",
        vat: "vat20",
        subject: "goods",
        paymentMethod: "full_payment",
      },
    ],
    payments: [{ type: "cash", amount: 1000000 }],
    taxSystem: "osn",
    ...overrides,
  };
}
