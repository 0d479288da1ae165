// `npm start`: Kassa's main job in one command — a living shop fleet on the embedded default.
//
//   npm start [-- --tills 6] [--duration SECONDS] [--speed X] [--fresh] [--data-dir .kassa/fleet]
//             [--port 3000] [--agent-port 7101] [--database-url URL]
//
// Starts the central server and dashboard (embedded PGlite unless DATABASE_URL / --database-url),
// an OFD emulator, and N tills (kassa-agent + its KKT emulator on a pty), drives them like real
// shops and plays the incident script. Ctrl-C (or --duration) stops everything cleanly; the data
// stays, so the next run continues; --fresh starts over.
import { parseArgs } from "node:util";
import { startFleet } from "./demo/fleet.ts";
import { StatusBoard } from "./demo/status-board.ts";

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      tills: { type: "string", default: "6" },
      duration: { type: "string" },
      speed: { type: "string", default: "1" },
      fresh: { type: "boolean", default: false },
      "data-dir": { type: "string", default: ".kassa/fleet" },
      port: { type: "string", default: "3000" },
      "agent-port": { type: "string", default: "7101" },
      "database-url": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const number = (name: string, value: string | undefined, ok: (n: number) => boolean) => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || !ok(n))
      throw new Error(`--${name} ${value ?? ""}: not a valid value`);
    return n;
  };
  return {
    help: values.help,
    tills: number("tills", values.tills, (n) => Number.isInteger(n) && n >= 1 && n <= 50),
    durationS: values.duration === undefined ? null : number("duration", values.duration, (n) => n > 0),
    speed: number("speed", values.speed, (n) => n > 0 && n <= 1000),
    fresh: values.fresh,
    dataDir: values["data-dir"],
    port: number("port", values.port, (n) => Number.isInteger(n) && n > 0 && n < 65536),
    agentPort: number("agent-port", values["agent-port"], (n) => Number.isInteger(n) && n > 0 && n < 65536),
    databaseUrl: values["database-url"] ?? (process.env.DATABASE_URL || undefined),
  };
}

async function main(argv: string[]) {
  const opts = options(argv);
  if (opts.help) {
    console.log(
      "usage: npm start -- [--tills N] [--duration SECONDS] [--speed X] [--fresh] [--data-dir DIR] [--port N] [--agent-port N] [--database-url URL]",
    );
    return;
  }
  const fleet = await startFleet({ ...opts, log: (line) => console.log(`[demo] ${line}`) });
  for (const till of fleet.tills) {
    const store = fleet.provision.stores[till.storeIndex]!;
    console.log(
      `[demo] till ${till.number} (${store.name}): agent API ${till.agent.url}/trpc · Authorization: Bearer ${till.agent.token} · logs ${till.agent.logFile}`,
    );
  }
  const board = new StatusBoard(fleet);
  let alerts: Record<string, number> | null = null;
  const tty = process.stdout.isTTY;
  const refreshAlerts = setInterval(() => {
    void fleet.firingAlerts().then((firing) => {
      alerts = firing;
    });
  }, 2000);
  const timer = setInterval(() => board.draw({ alerts }), tty ? 1000 : 10_000);
  board.draw({ alerts });

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    clearInterval(refreshAlerts);
    board.draw({ alerts });
    console.log(`\n[demo] ${why}: closing shifts, delivering what the tills hold, stopping every process…`);
    await fleet.stop();
    console.log(
      `[demo] stopped. Data kept in ${opts.dataDir} (npm start continues it; --fresh starts over).`,
    );
  };
  const done = new Promise<void>((resolve) => {
    const onSignal = (signal: string) => () => void stop(`${signal} received`).then(resolve);
    process.once("SIGINT", onSignal("Ctrl-C"));
    process.once("SIGTERM", onSignal("SIGTERM"));
    if (opts.durationS !== null)
      setTimeout(
        () => void stop(`--duration ${opts.durationS} s reached`).then(resolve),
        opts.durationS * 1000,
      );
  });
  await done;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
