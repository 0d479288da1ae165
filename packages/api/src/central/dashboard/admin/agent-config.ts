import { randomBytes } from "node:crypto";

/**
 * The `kassa-agent` configuration shown once when a till is provisioned or its key rotated: the
 * environment of docs/agent-api.md's "Configuration", ready to paste into the till's env file.
 * KASSA_API_TOKEN is the till's local POS token (never sent to the central server, not stored here):
 * generated fresh so the owner has one less thing to invent.
 */
export interface AgentConfigInput {
  centralUrl: string;
  terminalId: string;
  terminalKey: string;
  tillName: string;
  storeName: string;
  at: Date;
}

export interface AgentConfig {
  env: Record<string, string>;
  /** The env file as text, with comments saying what to keep secret and what to adjust. */
  text: string;
}

export function agentConfiguration(input: AgentConfigInput): AgentConfig {
  const env: Record<string, string> = {
    KASSA_CENTRAL_URL: input.centralUrl.replace(/\/+$/, ""),
    KASSA_TERMINAL_ID: input.terminalId,
    KASSA_TERMINAL_KEY: input.terminalKey,
    KASSA_API_TOKEN: randomBytes(24).toString("base64url"),
    KASSA_DATA_DIR: "/var/lib/kassa-agent",
    KASSA_KKT_PORT: "/dev/ttyACM0",
  };
  const text = [
    `# kassa-agent for till "${oneLine(input.tillName)}" (store "${oneLine(input.storeName)}"), ${input.at.toISOString()}`,
    "# KASSA_TERMINAL_KEY is shown once: the central server keeps only its hash. Keep this file private.",
    "# KASSA_KKT_PORT: the fiscal register's serial device on this till; KASSA_API_TOKEN: give it to the POS.",
    ...Object.entries(env).map(([name, value]) => `${name}=${value}`),
    "",
  ].join("\n");
  return { env, text };
}

/** Names go into a comment line: a newline in one must not start a line of its own. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}
