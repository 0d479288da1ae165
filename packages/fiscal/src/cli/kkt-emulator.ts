/**
 * kassa-kkt-emulator: a Shtrih-M fiscal register on a pseudo-terminal or a real serial port.
 *
 *   kassa-kkt-emulator --pty [--pty-link /tmp/kassa-kkt] [--state kkt.json] [--print-ms 20]
 *   kassa-kkt-emulator --port /dev/ttyUSB1 [--baud 115200] …
 *
 * With --pty it starts `socat -d -d pty,raw,echo=0 pty,raw,echo=0`, serves one end and prints the
 * other: point the driver there. Faults are typed on stdin (`help` lists them) or given with
 * --fault (repeatable, same syntax: --fault "nak 3" --fault "power-loss command=FF45 stage=after-execute restore=2s").
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { SerialPort } from "serialport";
import { OffsetClock } from "../emulator/clock.ts";
import {
  CONTROL_HELP,
  describeStatus,
  parseExecutionTimes,
  parseFault,
  runControl,
} from "../emulator/control.ts";
import { KktEmulator } from "../emulator/kkt-emulator.ts";

const USAGE = `usage: kassa-kkt-emulator (--pty [--pty-link PATH] | --port PATH [--baud N]) [options]
  --pty               serve a socat pseudo-terminal pair and print the path to connect to
  --pty-link PATH     also make PATH a symlink to that path (stable name for scripts)
  --port PATH         serve a real serial port instead
  --baud N            serial speed for --port (default 115200)
  --state FILE        keep the FN in FILE (JSON) across restarts
  --print-ms N        print time per line, ms (default 0)
  --exec-ms LIST      slow commands, e.g. E0=20s,41=5s (ENQ gets a bare ACK meanwhile)
  --fn-number DIGITS  16-digit FN number for a fresh FN
  --open-shift        open a shift at start-up if none is open
  --fault SPEC        arm a fault at start-up (repeatable; see "help" below)
  --quiet             log only faults, power and cable events
  -h, --help

${CONTROL_HELP}`;

function fail(message: string): never {
  process.stderr.write(`kassa-kkt-emulator: ${message}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        pty: { type: "boolean", default: false },
        "pty-link": { type: "string" },
        port: { type: "string" },
        baud: { type: "string", default: "115200" },
        state: { type: "string" },
        "print-ms": { type: "string", default: "0" },
        "exec-ms": { type: "string" },
        "fn-number": { type: "string" },
        "open-shift": { type: "boolean", default: false },
        fault: { type: "string", multiple: true, default: [] },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
}

const stamp = () => new Date().toISOString().slice(11, 23);
const QUIET_KEEP = /fault|power|cable|paper|bad frame|KKT emulator/;

/** Starts socat and resolves with the two pty paths it reports on stderr (`N PTY is /dev/pts/X`). */
function startSocat(
  link: string | undefined,
): Promise<{ child: ChildProcess; device: string; host: string }> {
  const second = link ? `pty,raw,echo=0,link=${link}` : "pty,raw,echo=0";
  const child = spawn("socat", ["-d", "-d", "pty,raw,echo=0", second], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    const paths: string[] = [];
    let stderr = "";
    child.once("error", (err) =>
      reject(
        new Error(`cannot start socat (${err.message}): install it (apt-get install socat) or use --port`),
      ),
    );
    const onEarlyExit = (code: number | null) =>
      reject(new Error(`socat exited (${code}) before opening the ptys: ${stderr.trim()}`));
    child.once("exit", onEarlyExit);
    const onStderr = (chunk: Buffer) => {
      stderr += chunk.toString();
      for (const m of chunk.toString().matchAll(/PTY is (\S+)/g)) paths.push(m[1]!);
      if (paths.length === 2) {
        // Only our own listeners go: socat keeps logging (e.g. "exiting on signal 15"), and the
        // caller's exit listeners must survive it.
        child.off("exit", onEarlyExit);
        child.stderr?.off("data", onStderr);
        child.stderr?.resume(); // keep draining, or socat blocks on a full pipe
        resolve({ child, device: paths[0]!, host: link ?? paths[1]! });
      }
    };
    child.stderr?.on("data", onStderr);
  });
}

/**
 * Stops socat and resolves once it has been reaped. Exiting before that would orphan it, and where
 * PID 1 reaps nothing (a container's shell or sleep) it would stay behind as a defunct process.
 */
function stopSocat(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    // socat ends on SIGTERM at once; SIGKILL only if it is wedged.
    setTimeout(() => child.kill("SIGKILL"), 2000).unref();
  });
}

function openPort(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((err) => (err ? reject(new Error(`cannot open ${path}: ${err.message}`)) : resolve(port)));
  });
}

async function main(): Promise<void> {
  const args = parse();
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (args.pty === Boolean(args.port)) fail(`give exactly one of --pty or --port\n${USAGE}`);
  const printMs = Number(args["print-ms"]);
  if (!Number.isFinite(printMs) || printMs < 0)
    fail(`--print-ms must be a number of milliseconds ≥ 0, got "${args["print-ms"]}"`);
  const baud = Number(args.baud);
  if (!Number.isInteger(baud) || baud <= 0) fail(`--baud must be a whole number, got "${args.baud}"`);

  let executionMs: Record<number, number> = {};
  try {
    executionMs = parseExecutionTimes(args["exec-ms"] ?? "");
  } catch (err) {
    fail(`--exec-ms: ${(err as Error).message}`);
  }

  const log = (line: string) => {
    if (args.quiet && !QUIET_KEEP.test(line)) return;
    process.stderr.write(`${stamp()} ${line}\n`);
  };
  const clock = new OffsetClock();
  let emulator: KktEmulator;
  try {
    emulator = new KktEmulator({
      clock,
      printMsPerLine: printMs,
      executionMs,
      ...(args.state ? { stateFile: args.state } : {}),
      ...(args["fn-number"] ? { fn: { fnNumber: args["fn-number"] } } : {}),
      openShift: args["open-shift"],
      log,
    });
  } catch (err) {
    fail((err as Error).message);
  }
  for (const spec of args.fault) {
    try {
      emulator.faults.inject(parseFault(spec.trim().split(/\s+/)));
    } catch (err) {
      fail(`--fault "${spec}": ${(err as Error).message}`);
    }
  }

  let socat: ChildProcess | null = null;
  let port: SerialPort;
  try {
    if (args.pty) {
      const pair = await startSocat(args["pty-link"]);
      socat = pair.child;
      port = await openPort(pair.device, baud);
      process.stdout.write(`connect: ${pair.host}\n`);
    } else {
      port = await openPort(args.port!, baud);
      process.stdout.write(`serving: ${args.port}\n`);
    }
  } catch (err) {
    await stopSocat(socat);
    fail((err as Error).message);
  }
  // A real serial cable pulled out leaves the port open but silent.
  emulator.attach(port, { onCablePulled: "mute" });
  log(describeStatus(emulator).replaceAll("\n", "; "));

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    emulator.close();
    port.close(() => {
      void stopSocat(socat).then(() => process.exit(0));
    });
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  socat?.once("exit", () => {
    if (!stopping) {
      log("socat exited: the pseudo-terminal is gone");
      stop();
    }
  });

  const rl = createInterface({ input: process.stdin, terminal: false });
  rl.on("line", (input) => {
    if (input.trim() === "quit" || input.trim() === "exit") return stop();
    try {
      const out = runControl({ emulator, advance: (ms) => clock.advance(ms) }, input);
      if (out) process.stdout.write(`${out}\n`);
    } catch (err) {
      process.stdout.write(`${(err as Error).message}\n`);
    }
  });
}

await main();
