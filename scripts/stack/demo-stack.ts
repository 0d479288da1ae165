import { type CentralDatabase, createCentralDatabase } from "@kassa/db/central";
import { type OfdEmulator, startOfdEmulator } from "@kassa/fiscal/ofd";
import {
  type AgentHandle,
  type CreatedReceipt,
  callAgent,
  createSampleReceipt,
  startAgent,
} from "./agent.ts";
import { type CentralHandle, startCentral } from "./central.ts";
import { stackPaths } from "./paths.ts";
import { type DemoProvision, provisionDemo } from "./provision.ts";

/**
 * Opens the central database a stack in `dataDir` uses, for seeding before the server starts.
 * Close it before startCentral: an embedded PGlite directory has exactly one owner process.
 */
export function openStackDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
}): Promise<CentralDatabase> {
  return createCentralDatabase({
    url: options.databaseUrl,
    dataDir: stackPaths(options.dataDir).centralPg,
    shared: false,
    log: () => {},
  });
}

export interface DemoStackOptions {
  /** Default `.kassa/demo` under the repo root. */
  dataDir?: string;
  /** Central server port. Default 3000. */
  port?: number;
  /** Agent local API port. Default 7071. */
  agentPort?: number;
  databaseUrl?: string | undefined;
  /** Create a sample receipt on the agent and sync it. Default true. */
  sampleReceipt?: boolean;
  log?: (line: string) => void;
}

export interface DemoStack {
  provision: DemoProvision;
  central: CentralHandle;
  agent: AgentHandle;
  /** The OFD emulator the agent relays fiscal documents to (in this process). */
  ofd: OfdEmulator;
  receipt: CreatedReceipt | null;
  stop(): Promise<void>;
}

/** Provision, central server, one agent, and (by default) one sample receipt synced centrally. */
export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const dataDir = options.dataDir ?? ".kassa/demo";
  const paths = stackPaths(dataDir);
  const log = options.log ?? ((line: string) => console.log(`[stack] ${line}`));

  const db = await openStackDatabase({ databaseUrl: options.databaseUrl, dataDir });
  let provision: DemoProvision;
  try {
    provision = await provisionDemo(db, { credentialsFile: paths.credentials });
  } finally {
    await db.close();
  }

  const central = await startCentral({
    port: options.port ?? 3000,
    databaseUrl: options.databaseUrl,
    dataDir,
    log,
  });
  const ofd = await startOfdEmulator({ port: 0, host: "127.0.0.1" });
  log(`OFD emulator listening on 127.0.0.1:${ofd.port}`);
  let agent: AgentHandle;
  try {
    agent = await startAgent({
      ofdAddress: `127.0.0.1:${ofd.port}`,
      centralUrl: central.url,
      terminalId: provision.terminalId,
      terminalKey: provision.terminalKey,
      dataDir: paths.agent("1"),
      port: options.agentPort ?? 7071,
      log,
    });
  } catch (error) {
    await ofd.close();
    await central.stop();
    throw error;
  }
  const stop = async () => {
    await agent.stop();
    await ofd.close();
    await central.stop();
  };
  try {
    let receipt: CreatedReceipt | null = null;
    if (options.sampleReceipt ?? true) {
      receipt = await createSampleReceipt(agent, "demo-sample-receipt-1");
      await callAgent(agent, "sync.now");
      log(`sample receipt ${receipt.receiptId} (${receipt.status}) created and synced`);
    }
    return { provision, central, agent, ofd, receipt, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
