/** Where `npm run build` puts the production agent. */
export const DIST_CLI: string;
/** The manifest of a bundle's inputs, written next to it. */
export function inputsManifest(outfile: string): string;
/** Why `outfile` needs building, or null when it is current. */
export function agentBuildStaleness(outfile?: string): string | null;
/** Builds `outfile` in a child process when stale; what was done for a log line, or null. */
export function ensureAgentBuild(outfile?: string): string | null;
