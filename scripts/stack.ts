// Kassa's stack launcher: a small library (used by the demo and the e2e global setup) and a CLI.
//
//   npx tsx scripts/stack.ts up [--data-dir .kassa/demo] [--port 3000] [--agent-port 7071] [--database-url URL]
//   npx tsx scripts/stack.ts provision [--data-dir …] [--database-url URL]
//   npx tsx scripts/stack.ts build            (next build of apps/admin when stale)
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { adminBuildStaleness, ensureAdminBuild } from "./stack/admin-build.ts";
import { openStackDatabase, startDemoStack } from "./stack/demo-stack.ts";
import { stackPaths } from "./stack/paths.ts";
import { provisionDemo } from "./stack/provision.ts";

export { adminBuildStaleness, ensureAdminBuild } from "./stack/admin-build.ts";
export {
  AgentCallError,
  type AgentHandle,
  type CreatedReceipt,
  callAgent,
  createSampleReceipt,
  startAgent,
} from "./stack/agent.ts";
export { type CentralHandle, type StartCentralOptions, startCentral } from "./stack/central.ts";
export {
  type DemoStack,
  type DemoStackOptions,
  openStackDatabase,
  startDemoStack,
} from "./stack/demo-stack.ts";
export { repoRoot, stackPaths } from "./stack/paths.ts";
export { DEMO, type DemoProvision, provisionDemo } from "./stack/provision.ts";

async function main(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "data-dir": { type: "string", default: ".kassa/demo" },
      port: { type: "string", default: "3000" },
      "agent-port": { type: "string", default: "7071" },
      "database-url": { type: "string" },
    },
  });
  const command = positionals[0] ?? "up";
  const dataDir = values["data-dir"];
  // An explicit flag wins; otherwise the usual DATABASE_URL (unset = embedded PGlite).
  const databaseUrl = values["database-url"] ?? (process.env.DATABASE_URL || undefined);
  const port = Number(values.port);
  const agentPort = Number(values["agent-port"]);
  if (!Number.isInteger(port) || !Number.isInteger(agentPort))
    throw new Error("--port and --agent-port must be port numbers");

  switch (command) {
    case "build": {
      await ensureAdminBuild({ logFile: `${stackPaths(dataDir).logs}/next-build.log`, log: console.log });
      console.log(adminBuildStaleness() ?? "apps/admin build is current");
      return;
    }
    case "provision": {
      const db = await openStackDatabase({ databaseUrl, dataDir });
      try {
        const p = await provisionDemo(db, { credentialsFile: stackPaths(dataDir).credentials });
        console.log(JSON.stringify(p, null, 2));
      } finally {
        await db.close();
      }
      return;
    }
    case "up": {
      const stack = await startDemoStack({ dataDir, port, agentPort, databaseUrl });
      const { provision } = stack;
      console.log(
        [
          "",
          `Kassa is running. Dashboard: ${stack.central.url}`,
          `  sign in as ${provision.ownerEmail} / ${provision.ownerPassword}`,
          `  terminal ${provision.terminalId}: agent API ${stack.agent.url}/trpc (Authorization: Bearer ${stack.agent.token})`,
          `  OFD emulator: 127.0.0.1:${stack.ofd.port} (fiscal documents confirmed: ${stack.ofd.stats().documents})`,
          `  logs: ${stackPaths(dataDir).logs}/central.log, ${stack.agent.logFile}`,
          "Press Ctrl-C to stop.",
        ].join("\n"),
      );
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      console.log("stopping…");
      await stack.stop();
      return;
    }
    default:
      throw new Error(`unknown command "${command}": use up, provision or build`);
  }
}

// Run as a CLI only when executed directly, not when imported by the demo or the e2e setup.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`stack: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
