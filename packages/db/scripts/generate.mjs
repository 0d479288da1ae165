// Generates the Prisma clients for the central (PostgreSQL) and agent (SQLite) schemas.
// `prisma generate` never uses the schema engine, but the CLI insists on finding one and would
// otherwise try to download it (no network here): any executable satisfies the check.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
for (const name of ["central", "agent"]) {
  const config = join(root, `prisma/${name}/prisma.config.ts`);
  if (!existsSync(config)) continue;
  const result = spawnSync("npx", ["--no-install", "prisma", "generate", "--config", config], {
    cwd: root,
    env,
    stdio: "inherit",
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
