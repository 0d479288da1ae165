import { defineConfig } from "prisma/config";

// The till's buffer. `prisma generate` never connects; the agent opens the file itself
// (src/agent) with WAL + synchronous=FULL on every connection.
export default defineConfig({
  schema: "schema.prisma",
  migrations: { path: "migrations" },
  datasource: { url: process.env.KASSA_AGENT_DB_URL ?? "file:./placeholder.db" },
});
