// bench:admin's LCP pass: the built admin app (`next start`, as the stack launcher runs it) against
// the seeded database, driven by Debian's Chromium through playwright (as e2e does: never a
// downloaded browser). Each page's Largest Contentful Paint is read in the page itself with a
// PerformanceObserver, so it is the browser's own figure: server render, hydration and fonts included.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright";
import { adminBuildStaleness, ensureAdminBuild, nextBin } from "../../../scripts/stack/admin-build.ts";
import { adminDir } from "../../../scripts/stack/paths.ts";
import { spawnLogged, waitForHealthy } from "../../../scripts/stack/processes.ts";

const CHROMIUM = process.env.KASSA_E2E_CHROMIUM ?? "/usr/bin/chromium";

// Runs before any page script: keeps the latest LCP candidate (the figure is the last one reported
// before the page is read). A string, not a function: the bench compiles without the DOM lib.
const OBSERVE_LCP = `
  window.__kassaLcp = null;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__kassaLcp = entry.startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });`;

export interface LcpPage {
  /** The figure's name part: lcp_<name>_ms. */
  name: string;
  path: string;
  /** Text the page shows once its data is in (the page is read after it appears). */
  ready?: string;
}

export interface LcpResult {
  name: string;
  path: string;
  /** Each load's LCP, ms from navigation start. */
  loads: number[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Makes sure a build exists: builds when there is none; when the sources changed since the last
 * build, rebuilds only if `rebuildStale` (a full run measures the current code; a smoke run keeps
 * to its time budget with the cached build). Says which it did.
 */
export async function prepareAdminBuild(rebuildStale: boolean, log: (line: string) => void): Promise<void> {
  const reason = adminBuildStaleness();
  if (!reason) {
    log("LCP: using the current admin build (apps/admin/.next)");
    return;
  }
  if (reason !== "no build yet" && !rebuildStale) {
    log(`LCP: using the cached admin build (${reason}; a full run rebuilds it)`);
    return;
  }
  log(`LCP: building the admin app first (${reason}) — next build, a few minutes on 2 cores`);
  await ensureAdminBuild({ logFile: join(tmpdir(), "kassa-bench-admin-next-build.log"), log });
}

/** Starts the admin app on `databaseUrl`, signs in, and reads each page's LCP `loads` times after one warm-up load. */
export async function measureLcp(options: {
  databaseUrl: string;
  sessionSecret: string;
  email: string;
  password: string;
  pages: readonly LcpPage[];
  loads: number;
  log: (line: string) => void;
}): Promise<LcpResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "kassa-bench-admin-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawnLogged(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: adminDir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: options.databaseUrl,
      KASSA_SESSION_SECRET: options.sessionSecret,
      KASSA_CENTRAL_DATA_DIR: join(dataDir, "unused-pglite"),
    },
    logFile: join(dataDir, "central.log"),
    name: "admin app",
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  try {
    await waitForHealthy(`${url}/api/healthz`, server, { timeoutMs: 120_000, name: "admin app" });
    const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: "en-US" });
    await context.addInitScript(OBSERVE_LCP);
    const page = await context.newPage();
    await page.goto(`${url}/login`);
    await page.getByLabel("Email").fill(options.email);
    await page.getByLabel("Password").fill(options.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${url}/`, { timeout: 60_000 });
    const results: LcpResult[] = [];
    for (const target of options.pages) {
      const loads: number[] = [];
      for (let i = 0; i <= options.loads; i++) {
        const response = await page.goto(`${url}${target.path}`, { waitUntil: "load", timeout: 60_000 });
        if (!response?.ok()) throw new Error(`${target.path} answered ${response?.status() ?? "nothing"}`);
        if (target.ready) await page.getByText(target.ready).first().waitFor({ timeout: 30_000 });
        // LCP candidates stop once the page has painted its content; a frame after "ready" is enough
        // for the last one to be reported to the observer.
        const lcp = await page.evaluate(
          "new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(window.__kassaLcp), 100)))",
        );
        if (typeof lcp !== "number") throw new Error(`${target.path}: the browser reported no LCP`);
        if (i > 0) loads.push(lcp); // the first load warms the server's caches
      }
      options.log(
        `  LCP ${target.path}: ${loads.map((v) => Math.round(v)).join(", ")} ms over ${loads.length} loads`,
      );
      results.push({ name: target.name, path: target.path, loads });
    }
    await context.close();
    return results;
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
