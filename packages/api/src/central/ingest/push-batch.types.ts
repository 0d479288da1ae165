import { z } from "zod";
import { ZHlc, ZIngestItem } from "./ingest-items.types.ts";

/** Most items one push may carry; the agent also caps a batch by compressed bytes. */
export const MAX_BATCH_ITEMS = 1000;

export const ZPushBatchInput = z.object({
  /** Must be the terminal the key belongs to: a terminal writes only its own data. */
  terminalId: z.string().min(1).max(64),
  /** The agent process (stable for its lifetime): who holds the sync lease. */
  holder: z.string().min(1).max(64),
  /** The fencing token granted by an earlier push; null asks for the lease. */
  leaseToken: z
    .string()
    .regex(/^\d{1,19}$/)
    .nullable(),
  /** The agent's wall clock when sending (ms since epoch): the clock-skew sample. */
  sentAtMs: z.number().int().nonnegative(),
  /** The agent's HLC when sending. */
  hlc: ZHlc,
  items: z.array(ZIngestItem).max(MAX_BATCH_ITEMS),
});
export type TPushBatchInput = z.infer<typeof ZPushBatchInput>;

export const ZItemResult = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(["accepted", "duplicate", "rejected"]),
  code: z.string().optional(),
  reason: z.string().optional(),
  retryable: z.boolean().optional(),
});

export const ZPushBatchOutput = z.object({
  results: z.array(ZItemResult),
  lease: z.object({ token: z.string(), expiresAtMs: z.number() }),
  serverTimeMs: z.number(),
  clockSkewMs: z.number(),
  commands: z.array(
    z.object({
      id: z.string(),
      action: z.enum(["retry", "discard"]),
      dlqItemId: z.string(),
      reason: z.string().nullable(),
    }),
  ),
});
export type TPushBatchOutput = z.infer<typeof ZPushBatchOutput>;
