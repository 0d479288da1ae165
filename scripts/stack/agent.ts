import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureAgentBuild } from "../../apps/terminal-agent/scripts/agent-build.mjs";
import { agentBin, repoRoot } from "./paths.ts";
import { spawnLogged, waitForHealthy } from "./processes.ts";

export interface StartAgentOptions {
  centralUrl: string;
  terminalId: string;
  terminalKey: string;
  /** The agent's own data directory (SQLite buffer, emulator state, agent.log). */
  dataDir: string;
  port: number;
  /** Bearer token for the local API. Default: 24 random bytes, hex. */
  apiToken?: string;
  log?: (line: string) => void;
  /** How long to wait for /healthz. Default 60 s. */
  timeoutMs?: number;
  /** `host:port` of an OFD the agent relays the FN's documents to (KASSA_OFD_ADDRESS). */
  ofdAddress?: string;
  /** The register's serial device (a KKT emulator's pty); unset = the in-process emulator. */
  kktPort?: string;
  /** More environment for the agent process (e.g. NODE_OPTIONS for the demo's drifting clock). */
  env?: NodeJS.ProcessEnv;
}

export interface AgentHandle {
  url: string;
  token: string;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts `kassa-agent start` (on the in-process KKT emulator unless `kktPort` names a serial
 * device) and waits for its /healthz. The bin
 * runs the agent's bundle, built here first when stale (so the build is logged, like the dashboard's).
 */
export async function startAgent(options: StartAgentOptions): Promise<AgentHandle> {
  const log = options.log ?? ((line: string) => console.log(`[stack] ${line}`));
  const built = ensureAgentBuild();
  if (built) log(`terminal agent ${built}`);
  const dataDir = resolve(repoRoot, options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 }); // the buffer inside holds PIN hashes
  const token = options.apiToken ?? randomBytes(24).toString("hex");
  const agent = spawnLogged(process.execPath, [agentBin, "start"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      KASSA_TERMINAL_ID: options.terminalId,
      KASSA_TERMINAL_KEY: options.terminalKey,
      KASSA_CENTRAL_URL: options.centralUrl,
      KASSA_DATA_DIR: dataDir,
      KASSA_PORT: String(options.port),
      KASSA_API_TOKEN: token,
      ...(options.kktPort ? { KASSA_KKT_PORT: options.kktPort } : { KASSA_KKT_EMULATOR: "1" }),
      ...(options.ofdAddress ? { KASSA_OFD_ADDRESS: options.ofdAddress } : {}),
      ...options.env,
    },
    logFile: join(dataDir, "agent.log"),
    name: `terminal agent ${options.terminalId}`,
  });
  const url = `http://127.0.0.1:${options.port}`;
  await waitForHealthy(`${url}/healthz`, agent, {
    timeoutMs: options.timeoutMs ?? 60_000,
    name: "terminal agent",
  });
  log(`terminal agent ${options.terminalId} ready at ${url}`);
  return { url, token, logFile: agent.logFile, stop: () => agent.stop() };
}

/** Calls a procedure of the agent's local API as a POS would: plain JSON over HTTP (docs/agent-api.md). */
export async function callAgent<T>(
  agent: { url: string; token: string },
  procedure: string,
  input?: unknown,
  kind: "mutation" | "query" = "mutation",
): Promise<T> {
  const headers = { authorization: `Bearer ${agent.token}`, "content-type": "application/json" };
  const response =
    kind === "mutation"
      ? await fetch(`${agent.url}/trpc/${procedure}`, {
          method: "POST",
          headers,
          body: JSON.stringify(input ?? {}),
        })
      : await fetch(
          `${agent.url}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input ?? {}))}`,
          { headers },
        );
  const body = (await response.json()) as {
    result?: { data: T };
    error?: { message: string; data?: { kassaCode?: string } };
  };
  if (!response.ok || !body.result) {
    throw new AgentCallError(
      `agent ${procedure} failed (HTTP ${response.status}): ${body.error?.message ?? JSON.stringify(body)}`,
      body.error?.data?.kassaCode,
    );
  }
  return body.result.data;
}

export class AgentCallError extends Error {
  constructor(
    message: string,
    readonly kassaCode: string | undefined,
  ) {
    super(message);
    this.name = "AgentCallError";
  }
}

export interface CreatedReceipt {
  receiptId: string;
  status: string;
  total: number;
  fiscal?: { fdNumber: number; fiscalSign: string; fnNumber: string; shiftNumber: number };
}

/**
 * A sample sale (two lenses, paid in cash with change) through `receipts.create`. The same
 * idempotency key returns the same receipt, so re-running a demo does not add sales.
 */
export async function createSampleReceipt(
  agent: { url: string; token: string },
  idempotencyKey: string,
): Promise<CreatedReceipt> {
  try {
    return await callAgent<CreatedReceipt>(agent, "receipts.create", sampleSale(idempotencyKey));
  } catch (error) {
    // A fresh till has no open shift; a cashier would open one first, so the demo does too.
    if (!(error instanceof AgentCallError) || error.kassaCode !== "SHIFT_CLOSED") throw error;
    await callAgent(agent, "shift.open", { cashier: SAMPLE_CASHIER });
    return callAgent<CreatedReceipt>(agent, "receipts.create", sampleSale(idempotencyKey));
  }
}

const SAMPLE_CASHIER = { name: "Ivanova A.", inn: "500100732259" };

function sampleSale(idempotencyKey: string) {
  return {
    idempotencyKey,
    kind: "sale",
    cashier: SAMPLE_CASHIER,
    items: [
      {
        name: "Lens Essilor 1.6",
        price: 450_000,
        quantity: 2,
        unit: "pcs",
        vat: "vat20",
        subject: "goods",
        paymentMethod: "full_payment",
      },
    ],
    payments: [{ type: "cash", amount: 1_000_000 }],
    taxSystem: "osn",
  };
}
