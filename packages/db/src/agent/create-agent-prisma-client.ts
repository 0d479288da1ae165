import { resolve } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../../generated/agent/client.ts";
import { AGENT_PRAGMA_SCRIPT } from "./pragmas.ts";

/**
 * adapter-better-sqlite3 has no pragma option and opens its own connections, so every connection it
 * makes runs the agent's pragmas before Prisma may use it.
 */
export class AgentSqliteAdapterFactory extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    await adapter.executeScript(AGENT_PRAGMA_SCRIPT);
    return adapter;
  }

  override async connectToShadowDb() {
    const adapter = await super.connectToShadowDb();
    await adapter.executeScript(AGENT_PRAGMA_SCRIPT);
    return adapter;
  }
}

/**
 * Prisma over the agent's buffer, for cold paths (status, DLQ listing). Open the file with
 * `openAgentDatabase` first: that applies the migrations; this does not.
 */
export function createAgentPrismaClient(filePath: string): PrismaClient {
  return new PrismaClient({
    adapter: new AgentSqliteAdapterFactory({ url: resolve(filePath), timeout: 5000 }),
  });
}
