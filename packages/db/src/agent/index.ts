// The generated agent client: PrismaClient, the Prisma namespace and model types.
export * from "../../generated/agent/client.ts";
export { DbError, DbErrorCode, MigrationError } from "../errors.ts";
export { newId } from "../ids.ts";
export { AgentSqliteAdapterFactory, createAgentPrismaClient } from "./create-agent-prisma-client.ts";
export { type AgentDatabaseOptions, openAgentDatabase, openWithPragmas } from "./open-agent-database.ts";
export { AGENT_PRAGMA_SCRIPT, AGENT_PRAGMAS } from "./pragmas.ts";
