import { z } from "zod";

/**
 * The agent's configuration: exactly the variables of docs/agent-api.md, validated once at start-up.
 * Nothing else in the agent reads `process.env`; the CLI passes its flags in as overrides.
 */
export const TAX_SYSTEMS = ["osn", "usn_income", "usn_income_outcome", "esn", "patent"] as const;
export type TaxSystemId = (typeof TAX_SYSTEMS)[number];

const flag = z.enum(["0", "1", "true", "false"]).transform((v) => v === "1" || v === "true");

const ZEnv = z
  .object({
    KASSA_TERMINAL_ID: z
      .string()
      .trim()
      .min(1, "is required: this till's terminal id, as provisioned centrally"),
    KASSA_TERMINAL_KEY: z.string().trim().min(1).optional(),
    KASSA_CENTRAL_URL: z.url("must be a URL such as http://127.0.0.1:3000").optional(),
    KASSA_DATA_DIR: z.string().trim().min(1).default("./.kassa/agent"),
    KASSA_PORT: z.coerce
      .number("must be a port number")
      .int("must be a port number")
      .min(0)
      .max(65_535, "must be a port number (0-65535)")
      .default(7071),
    KASSA_API_TOKEN: z
      .string("is required: the bearer token the POS front-end sends")
      .min(16, "must be at least 16 characters: it guards the till's local API"),
    KASSA_KKT_PORT: z.string().trim().min(1).optional(),
    KASSA_KKT_BAUD: z.coerce.number("must be a baud rate").int().positive().default(115_200),
    KASSA_KKT_EMULATOR: flag.optional(),
    KASSA_KKT_KIND: z
      .enum(["shtrih", "atol"], {
        error: "must be shtrih (Shtrih-M on a serial port) or atol (ATOL through its driver's web server)",
      })
      .default("shtrih"),
    KASSA_ATOL_URL: z.url("must be the ATOL driver's web server, e.g. http://127.0.0.1:16732").optional(),
    KASSA_REQUIRE_LOGIN: flag.optional(),
    KASSA_OFD_ADDRESS: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, "must be host:port of the OFD, e.g. ofd.example.ru:7777")
      .optional(),
    KASSA_TAX_SYSTEM: z
      .enum(TAX_SYSTEMS, {
        error: `must be one of ${TAX_SYSTEMS.join(", ")} (the terminal's registered tax system)`,
      })
      .optional(),
    KASSA_RUM_MAX_SAMPLES: z.coerce
      .number("must be a whole number of samples, e.g. 50000")
      .int("must be a whole number of samples, e.g. 50000")
      .min(100, "must be at least 100 (the RUM samples kept through an outage)")
      .max(10_000_000, "must be at most 10000000")
      .default(50_000),
    KASSA_RUM_SAMPLE_RATE: z.coerce
      .number("must be a share between 0 and 1, e.g. 0.25")
      .min(0, "must be a share between 0 and 1, e.g. 0.25")
      .max(1, "must be a share between 0 and 1, e.g. 0.25")
      .default(1),
  })
  .superRefine((env, ctx) => {
    // An ATOL register is reached through its driver's web server, not a serial port.
    if (env.KASSA_KKT_KIND === "atol") {
      if (!env.KASSA_ATOL_URL && !env.KASSA_KKT_EMULATOR) {
        ctx.addIssue({
          code: "custom",
          path: ["KASSA_ATOL_URL"],
          message:
            "is required with KASSA_KKT_KIND=atol: the ATOL driver's web server (e.g. http://127.0.0.1:16732), or set KASSA_KKT_EMULATOR=1",
        });
      }
      if (env.KASSA_OFD_ADDRESS) {
        ctx.addIssue({
          code: "custom",
          path: ["KASSA_OFD_ADDRESS"],
          message:
            "must be unset with KASSA_KKT_KIND=atol: the ATOL driver sends the FN's documents to the OFD itself (set the OFD in the driver)",
        });
      }
    } else if (!env.KASSA_KKT_PORT && !env.KASSA_KKT_EMULATOR) {
      ctx.addIssue({
        code: "custom",
        path: ["KASSA_KKT_PORT"],
        message:
          "is required: the fiscal register's serial device (e.g. /dev/ttyUSB0), or set KASSA_KKT_EMULATOR=1",
      });
    }
    // Not a URL at all is z.url's issue, reported first.
    if (
      env.KASSA_CENTRAL_URL &&
      URL.canParse(env.KASSA_CENTRAL_URL) &&
      !isSafeCentralUrl(env.KASSA_CENTRAL_URL)
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["KASSA_CENTRAL_URL"],
        message:
          "must be https:// (the terminal key travels with every call); http:// only to a loopback host (127.0.0.1, [::1], localhost)",
      });
    }
    if (Boolean(env.KASSA_CENTRAL_URL) !== Boolean(env.KASSA_TERMINAL_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: [env.KASSA_CENTRAL_URL ? "KASSA_TERMINAL_KEY" : "KASSA_CENTRAL_URL"],
        message: "is required together with the other to sync (leave both unset to run offline-only)",
      });
    }
  });

/** https anywhere; plain http only where nothing leaves the machine (127.0.0.0/8, ::1, localhost). */
function isSafeCentralUrl(value: string): boolean {
  const { protocol, hostname } = new URL(value);
  if (protocol === "https:") return true;
  if (protocol !== "http:") return false;
  return (
    hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

export type RawEnv = Record<string, string | undefined>;

/** Settings beyond docs/agent-api.md's variables: flags and programmatic options only, with defaults. */
export interface AgentTuning {
  /** Outbox items the buffer holds before refusing receipts (503 BUFFER_FULL). Default 200,000. */
  bufferCapacity: number;
  /** How long a cashier stays locked after 5 failed PINs, ms. Default 15 min. */
  lockoutMs: number;
  /** How long before the 24 h limit the agent warns, ms. Default 1 h. */
  shiftWarnMs: number;
  /** How often a blocked device is polled for recovery, ms. Default 2 s. */
  devicePollMs: number;
  /**
   * Content refusals of different receipts in a row (no print between) after which the register
   * is taken as misconfigured: the queue waits in order (`DEVICE_REFUSES_ALL`) instead of setting
   * every sale aside. Default 3.
   */
  deviceRefusalBrake: number;
  /** Largest request body, bytes (413 above it). Default 1 MiB. */
  maxBodyBytes: number;
  /** Tax system used when a receipt names none: KASSA_TAX_SYSTEM, default `osn`. */
  taxSystem: TaxSystemId;
  /** pino level. Default `info`. */
  logLevel: string;
  /** Emulator state file; default `<dataDir>/kkt-emulator.json`. */
  emulatorStatePath?: string;
}

export interface AgentConfig extends AgentTuning {
  terminalId: string;
  /** Both set = sync enabled; both unset = offline-only. */
  central: { url: string; terminalKey: string } | null;
  dataDir: string;
  port: number;
  apiToken: string;
  kkt: { emulator: true; port?: string; baud: number } | { emulator: false; port: string; baud: number };
  /** Which register family drives the till (KASSA_KKT_KIND); `kkt.port` is Shtrih-M's only. */
  kktKind: "shtrih" | "atol";
  /** The ATOL driver's web server (KASSA_ATOL_URL); null for Shtrih-M or the in-process ATOL emulator. */
  atol: { url: string } | null;
  requireLogin: boolean;
  /** Where the agent relays the FN's unsent documents; null = no relay from this till. */
  ofd: { host: string; port: number } | null;
  /** Real-user monitoring: samples kept through an outage at most, and the share of measurements kept. */
  rum: { maxSamples: number; sampleRate: number };
}

export const DEFAULT_TUNING: AgentTuning = {
  bufferCapacity: 200_000,
  lockoutMs: 15 * 60_000,
  shiftWarnMs: 60 * 60_000,
  devicePollMs: 2_000,
  deviceRefusalBrake: 3,
  maxBodyBytes: 1024 * 1024,
  taxSystem: "osn",
  logLevel: "info",
};

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Validates the environment merged with overrides (CLI flags, tests). Throws `ConfigError` with
 * one line naming the first bad setting and what to put there.
 */
export function parseConfig(env: RawEnv, tuning: Partial<AgentTuning> = {}): AgentConfig {
  const result = ZEnv.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    const value = env[name];
    // zod's generic "Invalid input: expected string, received undefined" becomes "is required";
    // our own messages ("is required: the bearer token …") say what to put there.
    const generic = issue.message.startsWith("Invalid input");
    const message =
      generic && value === undefined ? "is required" : issue.message.replace(/^Invalid input: /, "");
    throw new ConfigError(`${name} ${message}`);
  }
  const e = result.data;
  return {
    ...DEFAULT_TUNING,
    ...tuning,
    terminalId: e.KASSA_TERMINAL_ID,
    central:
      e.KASSA_CENTRAL_URL && e.KASSA_TERMINAL_KEY
        ? { url: e.KASSA_CENTRAL_URL, terminalKey: e.KASSA_TERMINAL_KEY }
        : null,
    dataDir: e.KASSA_DATA_DIR,
    port: e.KASSA_PORT,
    apiToken: e.KASSA_API_TOKEN,
    kkt: e.KASSA_KKT_EMULATOR
      ? { emulator: true, baud: e.KASSA_KKT_BAUD, ...(e.KASSA_KKT_PORT ? { port: e.KASSA_KKT_PORT } : {}) }
      : { emulator: false, port: e.KASSA_KKT_PORT!, baud: e.KASSA_KKT_BAUD },
    kktKind: e.KASSA_KKT_KIND,
    atol: e.KASSA_KKT_KIND === "atol" && e.KASSA_ATOL_URL ? { url: e.KASSA_ATOL_URL } : null,
    requireLogin: e.KASSA_REQUIRE_LOGIN ?? false,
    ofd: e.KASSA_OFD_ADDRESS ? parseHostPort(e.KASSA_OFD_ADDRESS) : null,
    rum: { maxSamples: e.KASSA_RUM_MAX_SAMPLES, sampleRate: e.KASSA_RUM_SAMPLE_RATE },
    // A programmatic override (tests, benches) wins over the variable.
    taxSystem: tuning.taxSystem ?? e.KASSA_TAX_SYSTEM ?? DEFAULT_TUNING.taxSystem,
  };
}

function parseHostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(":");
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

/** The one place the agent reads the process environment. */
export function loadConfig(overrides: RawEnv = {}, tuning: Partial<AgentTuning> = {}): AgentConfig {
  const env: RawEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (key.startsWith("KASSA_")) env[key] = value;
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) env[key] = value;
  return parseConfig(env, tuning);
}

const ZClientEnv = z.object({
  KASSA_PORT: z.coerce.number("must be a port number").int().min(1).max(65_535).default(7071),
  KASSA_API_TOKEN: z.string("is required: the running agent's API token").min(1, "is required"),
});

/** What the CLI's status/sync/dlq/shift commands need to reach the running agent. */
export function loadClientConfig(overrides: RawEnv = {}): { url: string; apiToken: string } {
  const env: RawEnv = { KASSA_PORT: process.env.KASSA_PORT, KASSA_API_TOKEN: process.env.KASSA_API_TOKEN };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) env[key] = value;
  const result = ZClientEnv.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(`${String(issue.path[0])} ${issue.message.replace(/^Invalid input: /, "")}`);
  }
  return { url: `http://127.0.0.1:${result.data.KASSA_PORT}`, apiToken: result.data.KASSA_API_TOKEN };
}
