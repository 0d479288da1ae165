/**
 * kassa-atol-emulator: the ATOL driver's web requests API over a fake FN, for tills configured with
 * KASSA_KKT_KIND=atol.
 *
 *   kassa-atol-emulator --port 16732 [--state atol.json] [--task-ms 0] [--open-shift] [--fault "paper out"]
 *
 * Prints "listening: http://127.0.0.1:PORT" once it serves. Faults are typed on stdin (`help`),
 * given with --fault (repeatable), or POSTed as a line to /control on the same server.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { AtolEmulator, CONTROL_HELP_ATOL } from "../atol/atol-emulator.ts";
import { OffsetClock } from "../emulator/clock.ts";

const USAGE = `usage: kassa-atol-emulator --port N [options]
  --port N          TCP port of the web server (0 = any free port)
  --host H          address to listen on (default 127.0.0.1)
  --state FILE      keep the FN in FILE (JSON) across restarts
  --task-ms N       every task takes N ms (default 0)
  --fn-number D     16-digit FN number for a fresh FN
  --open-shift      open a shift at start-up if none is open
  --fault LINE      run a control line at start-up (repeatable)
  --quiet           no log lines on stderr (faults, power events)
  -h, --help

control lines (stdin, --fault, or POST /control): ${CONTROL_HELP_ATOL}`;

function fail(message: string): never {
  process.stderr.write(`kassa-atol-emulator: ${message}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string", default: "127.0.0.1" },
        state: { type: "string" },
        "task-ms": { type: "string", default: "0" },
        "fn-number": { type: "string" },
        "open-shift": { type: "boolean", default: false },
        fault: { type: "string", multiple: true, default: [] },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
}

const args = parse();
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const port = Number(args.port);
if (args.port === undefined || !Number.isInteger(port) || port < 0 || port > 65_535) {
  fail(`--port must be a port number (0-65535)\n${USAGE}`);
}
const taskMs = Number(args["task-ms"]);
if (!Number.isInteger(taskMs) || taskMs < 0) fail("--task-ms must be a whole number of milliseconds");

let emulator: AtolEmulator;
try {
  emulator = new AtolEmulator({
    clock: new OffsetClock(),
    taskMs,
    openShift: args["open-shift"],
    ...(args.state ? { stateFile: args.state } : {}),
    ...(args["fn-number"] ? { fnNumber: args["fn-number"] } : {}),
    ...(args.quiet ? {} : { log: (line: string) => void process.stderr.write(`${line}\n`) }),
  });
} catch (err) {
  fail((err as Error).message);
}
for (const line of args.fault) {
  try {
    emulator.control(line);
  } catch (err) {
    fail(`--fault "${line}": ${(err as Error).message}`);
  }
}
try {
  await emulator.listen(port, args.host);
} catch (err) {
  fail(`cannot listen on ${args.host}:${port}: ${(err as Error).message}`);
}
process.stdout.write(`listening: ${emulator.url}\n`);

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);

const rl = createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  const text = line.trim();
  if (text === "quit" || text === "exit") return stop();
  if (text === "help") return void process.stdout.write(`${CONTROL_HELP_ATOL}\n`);
  try {
    process.stdout.write(`${emulator.control(text)}\n`);
  } catch (err) {
    process.stdout.write(`error: ${(err as Error).message}\n`);
  }
});
