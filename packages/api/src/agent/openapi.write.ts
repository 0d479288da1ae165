import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildAgentOpenApi } from "./openapi.ts";

/** The committed copy of the agent's OpenAPI document, in the repository's docs/. */
export const AGENT_OPENAPI_FILE = fileURLToPath(
  new URL("../../../../docs/agent-api.openapi.json", import.meta.url),
);
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/**
 * `npm run openapi -w @kassa/api`: rewrites docs/agent-api.openapi.json from the router. Run it
 * after changing a procedure or its schemas; openapi.test.ts fails until the file matches. Biome
 * then formats it as it formats every JSON file, so `npm run lint` accepts it unchanged.
 */
export function writeAgentOpenApi(): void {
  writeFileSync(AGENT_OPENAPI_FILE, `${JSON.stringify(buildAgentOpenApi(), null, 2)}\n`);
  execFileSync("npx", ["biome", "format", "--write", AGENT_OPENAPI_FILE], {
    cwd: REPO_ROOT,
    stdio: "ignore",
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeAgentOpenApi();
  console.log(`wrote ${AGENT_OPENAPI_FILE}`);
}
