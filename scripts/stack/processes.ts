import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

// Every child a stack starts is tracked here and stopped when this process ends, so a failed e2e
// run or a Ctrl-C never leaves a server holding a port or a PGlite directory. Children run in
// their own process group (so a stop reaches their children too), which also means a terminal's
// Ctrl-C reaches only us: we forward it.
const children = new Set<ChildProcess>();
const running = new Set<ManagedProcess>();
let exitHookInstalled = false;

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort (process.exit, uncaught error): no time for a graceful stop.
  process.once("exit", () => {
    for (const child of children) killGroup(child, "SIGKILL");
  });
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as (keyof typeof SIGNAL_EXIT_CODES)[]) {
    process.on(signal, () => {
      // Another listener (the CLI's `up`, Playwright's runner) owns shutdown and calls stop() itself.
      if (process.listenerCount(signal) > 1) return;
      void Promise.allSettled([...running].map((p) => p.stop(5_000))).then(() =>
        process.exit(SIGNAL_EXIT_CODES[signal]),
      );
    });
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Negative pid: the whole process group (the child was spawned detached, as a group leader).
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

export interface ManagedProcess {
  child: ChildProcess;
  logFile: string;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s). Resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Rejects when the process exits before `stop()` was called. */
  exited: Promise<never>;
}

/** Spawns `command`, appending its stdout and stderr to `logFile`. */
export function spawnLogged(
  command: string,
  args: string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    logFile: string;
    name: string;
    /** "pipe" keeps the child's stdin open for commands (the KKT emulator's fault language). */
    stdin?: "ignore" | "pipe";
  },
): ManagedProcess {
  installExitHook();
  mkdirSync(dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, "a");
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: [options.stdin ?? "ignore", fd, fd],
    detached: true,
  });
  closeSync(fd);
  children.add(child);
  let stopping = false;
  const done = new Promise<void>((resolve) =>
    child.once("exit", () => {
      children.delete(child);
      resolve();
    }),
  );
  const exited = new Promise<never>((_, reject) => {
    child.once("exit", (code, signal) => {
      if (!stopping) {
        reject(
          new Error(
            `${options.name} exited (${signal ?? `code ${code}`}) — last lines of ${options.logFile}:\n${tail(options.logFile)}`,
          ),
        );
      }
    });
  });
  exited.catch(() => undefined);
  const managed: ManagedProcess = {
    child,
    logFile: options.logFile,
    exited,
    async stop(graceMs = 10_000) {
      stopping = true;
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
      await done;
      clearTimeout(timer);
      running.delete(managed);
    },
  };
  running.add(managed);
  return managed;
}

/** The last `lines` lines of a log file, for error messages. */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * Polls `url` until it answers 200, the process exits, or `timeoutMs` passes. Polling is right here:
 * the servers offer no readiness push, and the interval (150 ms) only bounds start-up latency.
 */
export async function waitForHealthy(
  url: string,
  process: ManagedProcess,
  options: { timeoutMs: number; name: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = "no answer yet";
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
      lastError = `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      lastError = (error as Error).message;
    }
    if (Date.now() > deadline) {
      await process.stop();
      throw new Error(
        `${options.name} did not become healthy at ${url} within ${options.timeoutMs} ms (${lastError}) — last lines of ${process.logFile}:\n${tail(process.logFile)}`,
      );
    }
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 150)), process.exited]);
  }
}
