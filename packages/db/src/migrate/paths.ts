import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// Resolved from this file, not the working directory, so the migrations are found wherever the
// package is run from (the agent's install dir, Next.js, tests). path.join rather than
// `new URL(…, import.meta.url)` keeps bundlers from trying to emit the folder as an asset.
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** PostgreSQL migrations of the central database. */
export const centralMigrationsDir = join(packageRoot, "prisma", "central", "migrations");
/** SQLite migrations of the terminal agent's buffer. */
export const agentMigrationsDir = join(packageRoot, "prisma", "agent", "migrations");
