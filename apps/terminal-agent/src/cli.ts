import { Command, Option } from "commander";
import { startAgent } from "./agent.ts";
import { type AgentTuning, ConfigError, loadClientConfig, loadConfig, type RawEnv } from "./env.ts";
import { createLocalClient } from "./local-client.ts";

/** Flags override the environment variables of the same meaning (docs/agent-api.md). */
interface ConnectionFlags {
  port?: string;
  apiToken?: string;
}

const program = new Command("kassa-agent")
  .description("Kassa terminal agent: the till's local API, durable buffer, fiscal register and sync")
  .showHelpAfterError();

function fail(message: string): never {
  console.error(`kassa-agent: ${message}`);
  process.exit(1);
}

function clientFrom(flags: ConnectionFlags) {
  try {
    const { url, apiToken } = loadClientConfig({ KASSA_PORT: flags.port, KASSA_API_TOKEN: flags.apiToken });
    return createLocalClient(url, apiToken);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

/** Runs a call against the running agent and prints its answer as JSON (or the error in one line). */
async function call(run: () => Promise<unknown>): Promise<void> {
  try {
    console.log(JSON.stringify(await run(), null, 2));
  } catch (error) {
    const e = error as { message?: string; data?: { kassaCode?: string }; cause?: { code?: string } };
    if (e.cause?.code === "ECONNREFUSED" || /fetch failed/.test(e.message ?? "")) {
      fail("no agent answers on that port: start it with `kassa-agent start` (or pass --port).");
    }
    fail(`${e.data?.kassaCode ?? "ERROR"}: ${e.message ?? String(error)}`);
  }
}

const connection = (command: Command) =>
  command
    .option("--port <port>", "the running agent's port (KASSA_PORT)")
    .option("--api-token <token>", "the local API token (KASSA_API_TOKEN)");

program
  .command("start")
  .description("run the agent in the foreground")
  .option("--terminal-id <id>", "KASSA_TERMINAL_ID")
  .option("--terminal-key <key>", "KASSA_TERMINAL_KEY")
  .option("--central-url <url>", "KASSA_CENTRAL_URL")
  .option("--data-dir <dir>", "KASSA_DATA_DIR")
  .option("--port <port>", "KASSA_PORT")
  .option("--api-token <token>", "KASSA_API_TOKEN")
  .option("--kkt-port <path>", "KASSA_KKT_PORT")
  .option("--kkt-baud <baud>", "KASSA_KKT_BAUD")
  .option("--kkt-emulator", "KASSA_KKT_EMULATOR=1")
  .option("--kkt-kind <kind>", "KASSA_KKT_KIND: shtrih | atol")
  .option("--atol-url <url>", "KASSA_ATOL_URL: the ATOL driver's web server")
  .option("--require-login", "KASSA_REQUIRE_LOGIN=1")
  .option("--ofd-address <host:port>", "KASSA_OFD_ADDRESS")
  .option("--tax-system <id>", "KASSA_TAX_SYSTEM: osn | usn_income | usn_income_outcome | esn | patent")
  .option("--rum-max-samples <n>", "KASSA_RUM_MAX_SAMPLES")
  .option("--rum-sample-rate <share>", "KASSA_RUM_SAMPLE_RATE: 0..1")
  .addOption(
    new Option("--buffer-capacity <items>", "outbox items before receipts are refused").default("200000"),
  )
  .addOption(new Option("--lockout-minutes <minutes>", "cashier lockout after 5 wrong PINs").default("15"))
  .addOption(
    new Option("--log-level <level>", "pino level")
      .choices(["debug", "info", "warn", "error"])
      .default("info"),
  )
  .action(async (flags: Record<string, string | boolean | undefined>) => {
    const overrides: RawEnv = {
      KASSA_TERMINAL_ID: flags.terminalId as string | undefined,
      KASSA_TERMINAL_KEY: flags.terminalKey as string | undefined,
      KASSA_CENTRAL_URL: flags.centralUrl as string | undefined,
      KASSA_DATA_DIR: flags.dataDir as string | undefined,
      KASSA_PORT: flags.port as string | undefined,
      KASSA_API_TOKEN: flags.apiToken as string | undefined,
      KASSA_KKT_PORT: flags.kktPort as string | undefined,
      KASSA_KKT_BAUD: flags.kktBaud as string | undefined,
      KASSA_KKT_EMULATOR: flags.kktEmulator ? "1" : undefined,
      KASSA_KKT_KIND: flags.kktKind as string | undefined,
      KASSA_ATOL_URL: flags.atolUrl as string | undefined,
      KASSA_REQUIRE_LOGIN: flags.requireLogin ? "1" : undefined,
      KASSA_OFD_ADDRESS: flags.ofdAddress as string | undefined,
      KASSA_TAX_SYSTEM: flags.taxSystem as string | undefined,
      KASSA_RUM_MAX_SAMPLES: flags.rumMaxSamples as string | undefined,
      KASSA_RUM_SAMPLE_RATE: flags.rumSampleRate as string | undefined,
    };
    const capacity = Number(flags.bufferCapacity);
    const lockout = Number(flags.lockoutMinutes);
    if (!Number.isInteger(capacity) || capacity < 1) fail("--buffer-capacity must be a whole number ≥ 1");
    if (!(lockout > 0)) fail("--lockout-minutes must be a number > 0");
    const tuning: Partial<AgentTuning> = {
      bufferCapacity: capacity,
      lockoutMs: lockout * 60_000,
      logLevel: String(flags.logLevel),
    };
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(overrides, tuning);
    } catch (error) {
      if (error instanceof ConfigError) fail(error.message);
      throw error;
    }
    let agent: Awaited<ReturnType<typeof startAgent>>;
    try {
      agent = await startAgent(config);
    } catch (error) {
      fail((error as Error).message);
    }
    const stop = () => {
      agent.log.info("shutting down");
      agent.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });

connection(program.command("status").description("device, buffer, sync and breaker state")).action(
  (flags: ConnectionFlags) => call(() => clientFrom(flags).status.query()),
);

connection(program.command("sync").description("run a sync round now")).action((flags: ConnectionFlags) =>
  call(() => clientFrom(flags).sync.now.mutate()),
);

const dlq = program.command("dlq").description("the local dead-letter queue");
connection(dlq.command("list").option("--limit <n>", "items per page", "50")).action(
  (flags: ConnectionFlags & { limit: string }) =>
    call(() => clientFrom(flags).dlq.list.query({ limit: Number(flags.limit) })),
);
connection(dlq.command("retry").argument("<ids...>", "DLQ item ids")).action(
  (ids: string[], flags: ConnectionFlags) => call(() => clientFrom(flags).dlq.retry.mutate({ ids })),
);
connection(
  dlq
    .command("discard")
    .argument("<ids...>", "DLQ item ids")
    .requiredOption("--reason <text>", "why (audited)"),
).action((ids: string[], flags: ConnectionFlags & { reason: string }) =>
  call(() => clientFrom(flags).dlq.discard.mutate({ ids, reason: flags.reason })),
);

const receipts = program
  .command("receipts")
  .description("receipts the fiscal register refused, and voiding them");
connection(
  receipts
    .command("attention")
    .description("receipts refused by the register for their content (they will not print)")
    .option("--limit <n>", "receipts per page", "50"),
).action((flags: ConnectionFlags & { limit: string }) =>
  call(() =>
    clientFrom(flags).receipts.list.query({ status: "needs_attention", limit: Number(flags.limit) }),
  ),
);
connection(
  receipts
    .command("void")
    .description("void a receipt needing attention: no fiscal document is made; synced and audited")
    .argument("<receiptId>", "the receipt's id")
    .requiredOption("--reason <text>", "why (audited centrally)")
    .option("--by <name>", "who voids it (audited)", "support"),
).action((receiptId: string, flags: ConnectionFlags & { reason: string; by: string }) =>
  call(() => clientFrom(flags).receipts.void.mutate({ receiptId, reason: flags.reason, by: flags.by })),
);

const shift = program.command("shift").description("open, close, X report, status");
connection(
  shift
    .command("open")
    .requiredOption("--cashier <name>", "cashier name")
    .option("--float <kopecks>", "opening float", "0"),
).action((flags: ConnectionFlags & { cashier: string; float: string }) =>
  call(() =>
    clientFrom(flags).shift.open.mutate({
      cashier: { name: flags.cashier },
      openingFloat: Number(flags.float),
    }),
  ),
);
connection(
  shift
    .command("close")
    .requiredOption("--cashier <name>", "cashier name")
    .option("--counted <kopecks>", "cash counted"),
).action((flags: ConnectionFlags & { cashier: string; counted?: string }) =>
  call(() =>
    clientFrom(flags).shift.close.mutate({
      cashier: { name: flags.cashier },
      ...(flags.counted !== undefined ? { countedCash: Number(flags.counted) } : {}),
    }),
  ),
);
connection(shift.command("x").requiredOption("--cashier <name>", "cashier name")).action(
  (flags: ConnectionFlags & { cashier: string }) =>
    call(() => clientFrom(flags).shift.xReport.mutate({ cashier: { name: flags.cashier } })),
);
connection(shift.command("status")).action((flags: ConnectionFlags) =>
  call(() => clientFrom(flags).shift.status.query()),
);

await program.parseAsync(process.argv);
