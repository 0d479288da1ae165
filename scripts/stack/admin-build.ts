import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { adminDir, repoRoot } from "./paths.ts";
import { tail } from "./processes.ts";

/** The Next.js CLI of apps/admin (resolved from there, so the app's own `next` version runs). */
export const nextBin = createRequire(join(adminDir, "package.json")).resolve("next/dist/bin/next");

// What the admin build is made of: its own sources and the workspace packages it compiles in.
const SOURCE_DIRS = [
  "apps/admin/src",
  "packages/api/src",
  "packages/db/src",
  "packages/db/generated",
  "packages/fiscal/src",
];
const SOURCE_FILES = ["apps/admin/next.config.ts", "apps/admin/package.json", "apps/admin/tsconfig.json"];

function newestSourceMtime(): number {
  let newest = 0;
  const visit = (path: string) => {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== "node_modules") visit(join(path, entry));
    } else if (!/\.test\.tsx?$/.test(path)) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) visit(join(repoRoot, dir));
  for (const file of SOURCE_FILES) visit(join(repoRoot, file));
  return newest;
}

/** Why the admin app needs building, or null when `.next` is current. */
export function adminBuildStaleness(): string | null {
  const buildId = join(adminDir, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return "no build yet";
  return newestSourceMtime() > statSync(buildId).mtimeMs ? "sources changed since the last build" : null;
}

const LOCK = join(adminDir, ".next-build.lock");
/** A lock older than this is left over from a killed build. */
const STALE_LOCK_MS = 10 * 60 * 1000;

/**
 * Runs `next build` in apps/admin when `.next` is missing or older than its sources. A lock
 * directory keeps two launchers (the demo and an e2e run) from building over each other.
 */
export async function ensureAdminBuild(options: {
  logFile: string;
  log: (line: string) => void;
}): Promise<void> {
  for (;;) {
    const reason = adminBuildStaleness();
    if (!reason) return;
    try {
      mkdirSync(LOCK);
    } catch {
      if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 1_000));
      continue;
    }
    try {
      options.log(`building the admin app (${reason}); log: ${options.logFile}`);
      const started = Date.now();
      await runNextBuild(options.logFile);
      options.log(`admin app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

function runNextBuild(logFile: string): Promise<void> {
  mkdirSync(join(logFile, ".."), { recursive: true });
  const fd = openSync(logFile, "a");
  const child = spawn(process.execPath, [nextBin, "build"], {
    cwd: adminDir,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(`next build failed (code ${code}) — last lines of ${logFile}:\n${tail(logFile, 60)}`),
          ),
    );
  });
}
