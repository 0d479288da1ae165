import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type OfdEmulator, startOfdEmulator } from "@kassa/fiscal/ofd";
import { type AgentHandle, callAgent, startAgent } from "../stack/agent.ts";
import { type CentralHandle, startCentral } from "../stack/central.ts";
import { openStackDatabase } from "../stack/demo-stack.ts";
import { repoRoot, stackPaths } from "../stack/paths.ts";
import { type ManagedProcess, spawnLogged } from "../stack/processes.ts";
import { type IncidentPlan, incidentScript, planIncidents, runIncidents } from "./incidents.ts";
import { type NetworkLink, startNetworkLink } from "./net-proxy.ts";
import { type FleetProvision, provisionFleet } from "./provision-fleet.ts";
import { ShopClock } from "./shop-clock.ts";
import { type AgentCall, TillTraffic } from "./till-traffic.ts";

/**
 * The living demo: the central server and dashboard, an OFD emulator, and N tills — each a real
 * `kassa-agent` process on its own KKT emulator over a pseudo-terminal, reaching the central server
 * through its store's network link — driven by the traffic generator while the incident script
 * runs. Everything persists under `dataDir`, so the next run continues the same chain.
 */
export interface FleetOptions {
  dataDir: string;
  tills: number;
  /** Central server port. */
  port: number;
  /** The first till's local API port; till n listens on agentPort + n − 1. */
  agentPort: number;
  databaseUrl?: string | undefined;
  speed: number;
  fresh: boolean;
  /** Start-up progress. */
  log: (line: string) => void;
}

export interface FleetTillHandle {
  number: number;
  storeIndex: number;
  agent: AgentHandle;
  /** One line of the KKT emulator's control language (paper-out, paper-in…) on this till's register. */
  controlRegister(line: string): Promise<void>;
  traffic: TillTraffic;
}

export interface IncidentState {
  plan: IncidentPlan;
  /** Labels of steps started so far, with the shop time they started at. */
  done: { at: number; label: string }[];
  next: { at: number; label: string } | null;
}

export interface Fleet {
  provision: FleetProvision;
  central: CentralHandle;
  ofd: OfdEmulator;
  links: NetworkLink[];
  tills: FleetTillHandle[];
  clock: ShopClock;
  incidents: IncidentState;
  /** Alerts firing now by rule, from the central server's /metrics; null when it did not answer. */
  firingAlerts(): Promise<Record<string, number> | null>;
  /** Resolves when every till's traffic loop and the incident script have ended. */
  running: Promise<void>;
  /** Stops traffic, closes the open shifts, delivers what is pending, then stops every process. */
  stop(): Promise<void>;
}

const SHIFT_LENGTH_MS = 5 * 60_000;
const CUSTOMER_GAP_MS = 6_000;
/** Till 2's first close counts 350 ₽ over: above the default tolerance (100 ₽), for approval. */
const LARGE_VARIANCE = 35_000;
const driftPreload = pathToFileURL(join(repoRoot, "scripts", "demo", "clock-drift.mjs")).href;
const kktEmulatorBin = join(repoRoot, "packages", "fiscal", "bin", "kassa-kkt-emulator.js");

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const paths = stackPaths(options.dataDir);
  const log = options.log;
  if (options.fresh && existsSync(paths.root)) {
    rmSync(paths.root, { recursive: true, force: true });
    log(`--fresh: removed ${paths.root}`);
  }
  // Validated before anything starts; the shop clock itself starts with the traffic.
  new ShopClock(options.speed);
  let clock: ShopClock | null = null;
  const shopClock = () => {
    if (!clock) throw new Error("the shop clock starts with the traffic");
    return clock;
  };

  const db = await openStackDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
  let provision: FleetProvision;
  try {
    provision = await provisionFleet(db, {
      tills: options.tills,
      credentialsFile: join(paths.root, "fleet-credentials.json"),
    });
  } finally {
    await db.close();
  }
  log(
    `provisioned ${provision.stores.length} stores, ${provision.tills.length} tills, owner, manager, support`,
  );

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    // Alerts are evaluated every 5 s here (a minute by default), so a short run shows them fire and
    // clear; the status board reads them where Prometheus would, from /metrics, with this token.
    process.env.KASSA_ALERT_INTERVAL_MS ??= "5000";
    process.env.KASSA_METRICS_TOKEN ??= randomBytes(24).toString("hex");
    const metricsToken = process.env.KASSA_METRICS_TOKEN;
    const central = await startCentral({
      port: options.port,
      databaseUrl: options.databaseUrl,
      dataDir: options.dataDir,
      log,
    });
    stops.push(() => central.stop());
    const ofd = await startOfdEmulator({ port: 0, host: "127.0.0.1" });
    stops.push(() => ofd.close());
    const centralUrl = new URL(central.url);
    const links: NetworkLink[] = [];
    for (const _store of provision.stores) {
      const link = await startNetworkLink({ host: centralUrl.hostname, port: Number(centralUrl.port) });
      links.push(link);
      stops.push(() => link.close());
    }

    const plan = planIncidents(provision.tills.length, provision.stores.length);
    // Each register is a KKT emulator on a real pseudo-terminal (socat makes the pair). Without socat
    // the demo still runs — the same emulator inside each agent, over an in-memory line — and says so.
    const ptys = hasSocat();
    if (!ptys)
      log(
        "socat not found: each till's register runs inside its agent (apt-get install socat for real pseudo-terminals)",
      );
    const startTill = async (till: FleetProvision["tills"][number]): Promise<FleetTillHandle> => {
      const dir = paths.agent(String(till.number));
      const ptyLink = join(dir, "kkt.pty");
      let kkt: ManagedProcess | null = null;
      if (ptys) {
        const emulator = spawnLogged(
          process.execPath,
          [kktEmulatorBin, "--pty", "--pty-link", ptyLink, "--state", join(dir, "kkt-state.json"), "--quiet"],
          {
            cwd: repoRoot,
            env: process.env,
            logFile: join(dir, "kkt-emulator.log"),
            name: `KKT emulator of till ${till.number}`,
            stdin: "pipe",
          },
        );
        kkt = emulator;
        stops.push(() => emulator.stop());
        await waitForPath(ptyLink, emulator);
      }
      const storeIndex = provision.stores.findIndex((store) => store.id === till.storeId);
      const drifting = till.number === plan.driftTill;
      const agent = await startAgent({
        centralUrl: links[storeIndex]!.url,
        terminalId: till.terminalId,
        terminalKey: till.terminalKey,
        dataDir: dir,
        port: options.agentPort + till.number - 1,
        ofdAddress: `127.0.0.1:${ofd.port}`,
        ...(kkt ? { kktPort: ptyLink } : {}),
        // 30 s after it starts, the till's clock runs 3 minutes ahead within a second (its RTC reset
        // and set wrong, NTP blocked): past the 2-minute clock-skew alert bound. A steady gain of
        // seconds per second would be no truer: every timer in the agent would think it is late.
        ...(drifting
          ? {
              env: {
                NODE_OPTIONS: `--import ${driftPreload}`,
                KASSA_DEMO_CLOCK_DRIFT: `${Date.now() + 30_000}:180000:180000`,
              },
            }
          : {}),
        log,
      });
      stops.push(() => agent.stop());
      const runTag = `run${Date.now().toString(36)}`;
      const traffic = new TillTraffic({
        name: `till-${till.number}`,
        call: agentCaller(agent),
        wait: (ms) => shopClock().wait(ms),
        cashier: till.cashier,
        seed: till.number * 7919 + Date.now(),
        runTag,
        shiftLengthMs: SHIFT_LENGTH_MS,
        customerGapMs: CUSTOMER_GAP_MS,
        ...(till.number === 2 ? { firstCloseVariance: LARGE_VARIANCE } : {}),
      });
      // The emulator's control language: typed on its stdin, or posted to the agent running it.
      const controlRegister = async (line: string) => {
        if (kkt) {
          kkt.child.stdin?.write(`${line}\n`);
          return;
        }
        await fetch(`${agent.url}/emulator/control`, {
          method: "POST",
          headers: { authorization: `Bearer ${agent.token}` },
          body: line,
        });
      };
      return { number: till.number, storeIndex, agent, controlRegister, traffic };
    };
    // The first till builds the agent bundle if it is stale; the others start side by side.
    const [first, ...rest] = provision.tills;
    const tills = [await startTill(first!)];
    tills.push(...(await Promise.all(rest.map(startTill))));

    const incidents: IncidentState = { plan, done: [], next: null };
    const steps = incidentScript(plan);
    const upcoming = () => steps.find((step) => !incidents.done.some((d) => d.label === step.label)) ?? null;
    incidents.next = upcoming();
    const controls = {
      setOfd: (mode: "up" | "down" | "reject") => ofd.setMode(mode),
      ofdRejected: () => ofd.stats().rejected,
      setStoreLink: (index: number, up: boolean) => links[index]?.setUp(up),
      paperOut: async (number: number) => {
        const till = tills.find((t) => t.number === number);
        if (!till) return false;
        const status = await callAgent<{ device: { paper: boolean } }>(
          till.agent,
          "status",
          {},
          "query",
        ).catch(() => null);
        return status !== null && !status.device.paper;
      },
      kkt: (number: number, line: string) => {
        void tills.find((t) => t.number === number)?.controlRegister(line);
      },
    };
    clock = new ShopClock(options.speed);
    const running = Promise.all([
      ...tills.map((till) => till.traffic.run()),
      runIncidents(steps, controls, clock, (step) => {
        incidents.done.push({ at: shopClock().elapsed(), label: step.label });
        incidents.next = upcoming();
      }),
    ]).then(() => undefined);

    const stop = async () => {
      shopClock().stop();
      // Each loop ends at its next wait, closing its shift on the way out (the day's Z report).
      await running;
      ofd.setMode("up");
      for (const link of links) link.setUp(true);
      // What the tills still hold goes out before they stop, so the next run starts clean.
      await Promise.all(tills.map((till) => callAgent(till.agent, "sync.now").catch(() => undefined)));
      writeRunSummary(join(paths.root, "last-run.json"), { provision, tills, ofd, incidents });
      await stopAll();
    };
    const firingAlerts = () => readFiringAlerts(central.url, metricsToken);
    return { provision, central, ofd, links, tills, clock, incidents, running, firingAlerts, stop };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * What the run did, for a person and for the demo's test (e2e/tests/demo.spec.ts): each till's
 * traffic figures, the OFD's counters, the incident steps, and the logins (mode 0600: it holds
 * passwords, like the credentials files beside it).
 */
function writeRunSummary(
  file: string,
  run: { provision: FleetProvision; tills: FleetTillHandle[]; ofd: OfdEmulator; incidents: IncidentState },
): void {
  const summary = {
    finishedAt: new Date().toISOString(),
    organizationId: run.provision.organizationId,
    stores: run.provision.stores,
    logins: { owner: run.provision.owner, manager: run.provision.manager, support: run.provision.support },
    tills: run.tills.map((till) => ({
      number: till.number,
      terminalId: run.provision.tills.find((t) => t.number === till.number)!.terminalId,
      storeId: run.provision.tills.find((t) => t.number === till.number)!.storeId,
      stats: till.traffic.stats,
    })),
    ofd: run.ofd.stats(),
    incidents: run.incidents,
  };
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`, { mode: 0o600 });
}

/** `kassa_central_alerts_firing{rule="…"} N` lines of the central server's Prometheus text. */
export async function readFiringAlerts(
  centralUrl: string,
  token: string,
): Promise<Record<string, number> | null> {
  try {
    const response = await fetch(`${centralUrl}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(3000),
    });
    if (!response.ok) return null;
    return parseFiringAlerts(await response.text());
  } catch {
    return null;
  }
}

export function parseFiringAlerts(metrics: string): Record<string, number> {
  const firing: Record<string, number> = {};
  for (const match of metrics.matchAll(/^kassa_central_alerts_firing\{rule="([^"]+)"\} (\d+(?:\.\d+)?)$/gm)) {
    const n = Number(match[2]);
    if (n > 0) firing[match[1]!] = n;
  }
  return firing;
}

/** The agent's API as the POS calls it; an unknown procedure (an older agent) is a typed NOT_FOUND. */
function agentCaller(agent: AgentHandle): AgentCall {
  return async <T>(procedure: string, input?: unknown, kind: "mutation" | "query" = "mutation") => {
    try {
      return await callAgent<T>(agent, procedure, input, kind);
    } catch (error) {
      if (
        error instanceof Error &&
        !("kassaCode" in error && error.kassaCode) &&
        /HTTP 404/.test(error.message)
      )
        Object.assign(error, { kassaCode: "NOT_FOUND" });
      throw error;
    }
  };
}

function hasSocat(): boolean {
  return spawnSync("socat", ["-V"], { stdio: "ignore" }).status === 0;
}

/** Waits for the emulator's pty link to appear (socat creates it once both ends are open). */
async function waitForPath(path: string, owner: ManagedProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let failed: Error | null = null;
  owner.exited.catch((error: Error) => {
    failed = error;
  });
  while (!existsSync(path)) {
    if (failed) throw failed;
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
