import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { nextBin, snapshotAdminBuild } from "./admin-build.ts";
import { adminDir, stackPaths } from "./paths.ts";
import { spawnLogged, waitForHealthy } from "./processes.ts";

export interface StartCentralOptions {
  port: number;
  /** PostgreSQL URL; unset = embedded PGlite in `<dataDir>/central-pg`. */
  databaseUrl?: string | undefined;
  /** The stack's data directory (PGlite, logs, session secret), absolute or relative to the repo root. */
  dataDir: string;
  /** Default: a random secret kept in `<dataDir>/session-secret`, so sessions survive restarts. */
  sessionSecret?: string;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Start-up progress. Default: console.log with a `[stack]` prefix. */
  log?: (line: string) => void;
  /** How long to wait for /api/healthz. Default 120 s (a cold PGlite start and migrations included). */
  timeoutMs?: number;
}

export interface CentralHandle {
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

const defaultLog = (line: string) => console.log(`[stack] ${line}`);

function persistentSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * Starts the central server (apps/admin under `next start`), building it first when needed, and
 * resolves once /api/healthz answers 200 — i.e. the database is open and migrated.
 */
export async function startCentral(options: StartCentralOptions): Promise<CentralHandle> {
  const log = options.log ?? defaultLog;
  const paths = stackPaths(options.dataDir);
  mkdirSync(paths.logs, { recursive: true });
  const build = await snapshotAdminBuild({
    logFile: join(paths.logs, "next-build.log"),
    log,
    tag: String(options.port),
  });

  const host = options.host ?? "127.0.0.1";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    KASSA_CENTRAL_DATA_DIR: paths.centralPg,
    KASSA_SESSION_SECRET: options.sessionSecret ?? persistentSecret(paths.sessionSecret),
    // This server's own copy of the build (admin-build.ts): a rebuild by another launcher can't pull it away.
    KASSA_ADMIN_DIST_DIR: build.distDir,
  };
  // Unset rather than empty: an inherited DATABASE_URL must not override "use PGlite".
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else delete env.DATABASE_URL;

  const server = spawnLogged(process.execPath, [nextBin, "start", "-p", String(options.port), "-H", host], {
    cwd: adminDir,
    env,
    logFile: join(paths.logs, "central.log"),
    name: "central server",
  });
  const url = `http://${host}:${options.port}`;
  await waitForHealthy(`${url}/api/healthz`, server, {
    timeoutMs: options.timeoutMs ?? 120_000,
    name: "central server",
  });
  log(
    `central server ready at ${url} (${options.databaseUrl ? "PostgreSQL" : `PGlite in ${paths.centralPg}`})`,
  );
  return {
    url,
    logFile: server.logFile,
    stop: async () => {
      await server.stop();
      build.remove();
    },
  };
}
