export { type AgentDeps, type RunningAgent, startAgent } from "./agent.ts";
export { type CashierRecord, replaceCashiers } from "./auth/cashiers.ts";
export { hashPin, verifyPin } from "./auth/pin.ts";
export { ClockDriftError, formatHlc, HybridLogicalClock, parseHlc } from "./clock/hlc.ts";
export { type BufferDb, openBuffer } from "./db/buffer.ts";
export { type AgentConfig, type AgentTuning, ConfigError, loadConfig, parseConfig } from "./env.ts";
export { createLocalClient, type LocalClient } from "./local-client.ts";
export type { ReceiptFiscalizedPayload, ReceiptPayload } from "./receipts/payloads.ts";
