#!/usr/bin/env node
// The shipped `kassa-agent`: runs the bundle (dist/kassa-agent.mjs), the one bench:agent measures —
// through tsx the agent needs ~50 MB more memory than a till's 150 MB budget allows. The bundle is
// built first when missing or older than its sources (a few seconds, once).
// KASSA_AGENT_FROM_SOURCE=1 runs src/cli.ts through tsx instead (development; nothing is built).
import { pathToFileURL } from "node:url";

if (process.env.KASSA_AGENT_FROM_SOURCE === "1") {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli.ts");
} else {
  const { DIST_CLI, ensureAgentBuild } = await import("../scripts/agent-build.mjs");
  let built;
  try {
    built = ensureAgentBuild();
  } catch (error) {
    console.error(`kassa-agent: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  // Progress for a person at a terminal; scripts and logs read stderr for errors only.
  if (built && process.stderr.isTTY) console.error(`kassa-agent: ${built}`);
  await import(pathToFileURL(DIST_CLI).href);
}
