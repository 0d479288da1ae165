import { z } from "zod";

/** What one sync round delivered; helper S's worker fills it. */
export const ZSyncReport = z.object({
  /** Outbox items acknowledged by their destination, per destination. */
  delivered: z.record(z.string(), z.number()),
  /** Items that failed this round and will be retried with backoff. */
  failed: z.number(),
  /** Items moved to the DLQ this round. */
  deadLettered: z.number(),
  /** Items still waiting after the round. */
  pending: z.number(),
  durationMs: z.number(),
  /** One line for a person: what happened, what to do. */
  message: z.string(),
});
export type TSyncReport = z.infer<typeof ZSyncReport>;
