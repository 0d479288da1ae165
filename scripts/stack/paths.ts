import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo root (scripts/stack/ is two levels below it). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const adminDir = join(repoRoot, "apps", "admin");
export const agentBin = join(repoRoot, "apps", "terminal-agent", "bin", "kassa-agent.js");

/** Layout of a stack data directory: everything one demo or e2e run writes lives under it. */
export function stackPaths(dataDir: string) {
  const root = resolve(repoRoot, dataDir);
  return {
    root,
    /** Embedded PGlite of the central server (when no database URL is given). */
    centralPg: join(root, "central-pg"),
    logs: join(root, "logs"),
    /** Demo credentials (terminal key, owner password, agent token), mode 0600. */
    credentials: join(root, "demo-credentials.json"),
    sessionSecret: join(root, "session-secret"),
    agent: (name: string) => join(root, `agent-${name}`),
  };
}
