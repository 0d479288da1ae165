// Is the agent's bundle (dist/kassa-agent.mjs) current, and build it when not.
//
// Plain JavaScript on purpose: the `kassa-agent` bin runs this before it imports the bundle, and a
// till's process must not load tsx (it costs ~50 MB of RSS, the margin of the 150 MB target). The
// build itself runs in a child process for the same reason: esbuild and tsx never enter the agent.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const appRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Where `npm run build` puts the production agent. */
export const DIST_CLI = join(appRoot, "dist", "kassa-agent.mjs");

/** The files esbuild read for a bundle, written next to it (paths relative to the bundle's folder). */
export const inputsManifest = (outfile) => `${outfile}.inputs.json`;

// What changes a bundle without being one of its inputs: how it is built, the commit thread it copies,
// and the lockfile (npm dates the files it unpacks from the package, not the install, so a changed
// dependency may look older than the bundle).
const BUILD_FILES = ["scripts/bundle.ts", "scripts/agent-build.mjs", "src/db/commit-worker.mjs"]
  .map((f) => join(appRoot, f))
  .concat([join(appRoot, "..", "..", "package-lock.json")].filter((f) => existsSync(f)));

/**
 * Why `outfile` needs building, or null when it is current: every input esbuild read for it (the
 * agent's sources, the workspace packages and node_modules it bundles) is older than it. A checkout
 * without sources (the bundle alone) is current by definition.
 */
export function agentBuildStaleness(outfile = DIST_CLI) {
  if (!existsSync(outfile) || !existsSync(inputsManifest(outfile))) return "no build yet";
  if (!existsSync(join(appRoot, "src"))) return null;
  const builtAt = statSync(outfile).mtimeMs;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsManifest(outfile), "utf8")).inputs;
  } catch {
    return "the build's list of inputs is unreadable";
  }
  const base = dirname(outfile);
  for (const file of [...inputs.map((input) => resolve(base, input)), ...BUILD_FILES]) {
    let mtimeMs;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return `${file} is gone since the last build`;
    }
    if (mtimeMs > builtAt) return `${file} changed since the last build`;
  }
  return null;
}

/**
 * Builds `outfile` when it is missing or stale (see agentBuildStaleness), in a child process, and
 * returns what was done for a log line (null: already current). A failed build throws with
 * esbuild's errors. Two processes building at once is safe: each writes a temporary file and
 * renames it into place.
 */
export function ensureAgentBuild(outfile = DIST_CLI) {
  const reason = agentBuildStaleness(outfile);
  if (!reason) return null;
  const started = performance.now();
  const built = spawnSync(
    process.execPath,
    ["--import", "tsx", join(appRoot, "scripts", "bundle.ts"), outfile],
    {
      cwd: appRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  if (built.status !== 0)
    throw new Error(
      `building ${outfile} failed (${reason}):\n${built.stderr || built.stdout || built.error}`,
    );
  return `built ${outfile} in ${Math.round(performance.now() - started)} ms (${reason})`;
}
