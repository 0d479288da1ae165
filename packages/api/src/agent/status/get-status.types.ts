import { z } from "zod";
import { ZWaitingReason } from "../schemas.ts";

export const ZBreakerState = z.enum(["closed", "open", "half_open"]);
export type TBreakerState = z.infer<typeof ZBreakerState>;

/**
 * The central server refused the till's key: `rotated` (an owner rotated it in the dashboard — the
 * till must be given the new key), `retired` (the till was retired), `refused` (any other wrong key).
 */
export const ZCentralKeyProblem = z.object({
  problem: z.enum(["rotated", "retired", "refused"]),
  /** ISO-8601: the first refusal of this kind in a row. */
  since: z.string(),
  message: z.string(),
});
export type TCentralKeyProblem = z.infer<typeof ZCentralKeyProblem>;

export const ZAgentStatus = z.object({
  terminalId: z.string(),
  /** The central server answered the last sync (false when offline-only or unreachable). */
  online: z.boolean(),
  /** `running` when the sync worker runs (central server and/or OFD relay), `offline-only` when neither is configured. */
  sync: z.enum(["running", "offline-only"]),
  device: z.object({
    connected: z.boolean(),
    mode: z.string(),
    paper: z.boolean(),
    shiftOpen: z.boolean(),
    shiftExpiresAt: z.string().nullable(),
    fnUnsent: z.number(),
    fnOldestUnsentAt: z.string().nullable(),
    /** Set while receipts wait for the device: what the cashier should do. */
    waitingReason: ZWaitingReason.nullable(),
  }),
  buffer: z.object({ pending: z.number(), capacity: z.number(), fillPercent: z.number() }),
  /** `needsAttention`: receipts the register refused for their content, waiting for support (`receipts.void`). */
  receipts: z.object({ waitingForDevice: z.number(), needsAttention: z.number() }),
  breakers: z.object({ central: ZBreakerState, ofd: ZBreakerState }),
  lastSyncAt: z.string().nullable(),
  clockSkewMs: z.number().nullable(),
  /** Set while the central server refuses the till's key (then also one of `warnings`). */
  centralKey: ZCentralKeyProblem.nullable(),
  /** Human-readable warnings: buffer ≥ 80 %, shift about to expire, FN documents unsent for long. */
  warnings: z.array(z.string()),
});
export type TAgentStatus = z.infer<typeof ZAgentStatus>;
