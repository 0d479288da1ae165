import { spawn } from "node:child_process";
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from "node:fs";
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

/**
 * A private copy of the current build (without its cache) in `apps/admin/.next-run-<pid>-<tag>`,
 * made under the build lock, for one `next start` (KASSA_ADMIN_DIST_DIR): several launchers share
 * this working tree, and a rebuild replaces `.next` under a running server, which then answers
 * 500 for every page. Copies of launchers no longer running are removed on the way.
 */
export async function snapshotAdminBuild(options: {
  logFile: string;
  log: (line: string) => void;
  tag: string;
}): Promise<{ distDir: string; remove: () => void }> {
  for (;;) {
    await ensureAdminBuild(options);
    try {
      mkdirSync(LOCK);
    } catch {
      if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 1_000));
      continue;
    }
    try {
      if (adminBuildStaleness()) continue; // another launcher's sources changed it meanwhile
      for (const entry of readdirSync(adminDir)) {
        const pid = /^\.next-run-(\d+)-/.exec(entry)?.[1];
        if (pid && !isRunning(Number(pid))) rmSync(join(adminDir, entry), { recursive: true, force: true });
      }
      const distDir = `.next-run-${process.pid}-${options.tag}`;
      const target = join(adminDir, distDir);
      rmSync(target, { recursive: true, force: true });
      cpSync(join(adminDir, ".next"), target, {
        recursive: true,
        filter: (source) => source !== join(adminDir, ".next", "cache"),
      });
      return { distDir, remove: () => rmSync(target, { recursive: true, force: true }) };
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
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
