import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, utimesSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { agentBuildStaleness, ensureAgentBuild, inputsManifest } from "../scripts/agent-build.mjs";

// The bundle the `kassa-agent` bin runs is rebuilt exactly when it no longer matches its sources.

const run = promisify(execFile);
// Inside the app so the bundle's externals (better-sqlite3, serialport) resolve from node_modules.
const cache = join(import.meta.dirname, "..", "node_modules", ".cache");
const dir = mkdtempSync(join(cache, "kassa-build-test-"));
const outfile = join(dir, "kassa-agent.mjs");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("agent build on demand", () => {
  it("builds when missing, then not again until its bundle is older than an input", async () => {
    expect(agentBuildStaleness(outfile)).toBe("no build yet");
    expect(ensureAgentBuild(outfile)).toMatch(/^built .* \(no build yet\)$/);
    expect(agentBuildStaleness(outfile)).toBeNull();
    expect(ensureAgentBuild(outfile)).toBeNull();

    // The manifest holds the files esbuild read: the CLI entry and the workspace packages it bundles.
    const inputs = (
      JSON.parse(readFileSync(inputsManifest(outfile), "utf8")) as { inputs: string[] }
    ).inputs.map((input) => resolve(dirname(outfile), input));
    expect(inputs).toContain(resolve(import.meta.dirname, "..", "src", "cli.ts"));
    expect(inputs.some((input) => input.includes(join("packages", "fiscal", "src")))).toBe(true);

    // Dating the bundle before its sources stands for a source saved after the build (without
    // touching a source other helpers' builds read).
    const past = new Date(Date.now() - 3_600_000 * 24 * 365 * 20);
    utimesSync(outfile, past, past);
    expect(agentBuildStaleness(outfile)).toMatch(/changed since the last build$/);
    expect(ensureAgentBuild(outfile)).toMatch(/changed since the last build\)$/);
    expect(agentBuildStaleness(outfile)).toBeNull();

    // What was built is the CLI, runnable by plain node with no tsx loaded.
    const help = await run(process.execPath, [outfile, "--help"]);
    expect(help.stdout).toMatch(/^Usage: kassa-agent/);
  }, 60_000);

  it("a bundle whose list of inputs is gone counts as never built", () => {
    ensureAgentBuild(outfile);
    rmSync(inputsManifest(outfile));
    expect(agentBuildStaleness(outfile)).toBe("no build yet");
  }, 60_000);
});
