/**
 * kassa-ofd-emulator: runs Kassa's OFD emulator as its own process.
 *
 *   kassa-ofd-emulator --port 7777 --mode up|down|slow|5xx|reject|flapping
 *                      [--slow-ms 10000] [--flap-ms 3000] [--reject-reason "..."]
 *                      [--host 127.0.0.1] [--control-port 7778] [--quiet]
 *
 * FN messages arrive over TCP on --port; GET /stats and POST /mode live on --control-port
 * (default --port + 1).
 */
import { parseArgs } from "node:util";
import { OFD_MODES, type OfdMode, startOfdEmulator } from "../ofd/ofd-emulator.ts";

const USAGE = `usage: kassa-ofd-emulator [--port 7777] [--mode ${OFD_MODES.join("|")}] [--slow-ms 10000] [--flap-ms 3000]
                          [--reject-reason "text"] [--host 127.0.0.1] [--control-port PORT] [--quiet]`;

function fail(message: string): never {
  console.error(`kassa-ofd-emulator: ${message}\n${USAGE}`);
  process.exit(2);
}

function intOption(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    fail(`--${name} must be an integer ${min}–${max}, got "${value}"`);
  return n;
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      mode: { type: "string" },
      "slow-ms": { type: "string" },
      "flap-ms": { type: "string" },
      "reject-reason": { type: "string" },
      "control-port": { type: "string" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const mode = (values.mode ?? "up") as string;
if (!OFD_MODES.includes(mode as OfdMode))
  fail(`--mode must be one of ${OFD_MODES.join(", ")}, got "${mode}"`);
const port = intOption("port", values.port as string | undefined, 7777, 0, 65535);
const controlPort = intOption(
  "control-port",
  values["control-port"] as string | undefined,
  port === 0 ? 0 : port + 1,
  0,
  65535,
);
const host = (values.host as string | undefined) ?? "127.0.0.1";
const rejectReason = values["reject-reason"] as string | undefined;

const emulator = await startOfdEmulator({
  port,
  host,
  controlPort,
  mode: mode as OfdMode,
  slowMs: intOption("slow-ms", values["slow-ms"] as string | undefined, 10_000, 0, 3_600_000),
  flapMs: intOption("flap-ms", values["flap-ms"] as string | undefined, 3_000, 1, 3_600_000),
  ...(rejectReason === undefined ? {} : { rejectReason }),
}).catch((error: NodeJS.ErrnoException) =>
  fail(
    error.code === "EADDRINUSE"
      ? `port ${port} or ${controlPort} is already in use: pick another with --port / --control-port`
      : error.message,
  ),
);

console.log(
  `OFD emulator listening on tcp://${host}:${emulator.port} (mode ${emulator.mode}); ` +
    `control: http://${host}:${emulator.controlPort}/stats, POST /mode {"mode":"down"}`,
);
if (!values.quiet) {
  emulator.on("message", ({ fnNumber, fdNumber, mode: now, duplicate }) => {
    const outcome =
      now === "5xx"
        ? "server error"
        : now === "reject"
          ? "rejected"
          : duplicate
            ? "duplicate, same confirmation"
            : "accepted";
    console.log(
      `${new Date().toISOString()} FN ${fnNumber} FD ${fdNumber}: ${outcome}${now === "slow" ? " (slow)" : ""}`,
    );
  });
}

let closing = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    const stats = emulator.stats();
    console.log(
      `stopping: ${stats.documents} documents, ${stats.duplicates} duplicates, ${stats.received} messages`,
    );
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
