import { z } from "zod";

/** How a terminal appears on the fleet page and the terminal page. */
export const ZTerminalView = z.object({
  id: z.string(),
  organizationId: z.string(),
  name: z.string(),
  status: z.enum(["active", "retired"]),
  store: z.object({ id: z.string(), name: z.string(), timezone: z.string() }),
  /** Synced within ONLINE_WINDOW_MS of now. */
  online: z.boolean(),
  lastSyncAt: z.date().nullable(),
  receiptsCount: z.number().int().nonnegative(),
  lastReceiptAt: z.date().nullable(),
  /** Till clock minus server clock at the last sync, ms (positive = till ahead). */
  clockSkewMs: z.number().int().nullable(),
  /** Dead-letter items waiting for support (the central mirror of the till's DLQ). */
  dlqPending: z.number().int().nonnegative(),
  /** Receipts the till's KKT refused for their content, waiting for support to void them on the till. */
  receiptsNeedingAttention: z.number().int().nonnegative(),
  /**
   * One word for the fleet: `offline` (no sync within the window), `attention` (receipts refused
   * by the KKT, dead letters, or a breaker not closed), otherwise `ok`.
   */
  health: z.enum(["ok", "attention", "offline"]),
  /** The latest reported state of each destination's circuit breaker (central, ofd). */
  breakers: z.array(
    z.object({ destination: z.string(), state: z.string(), since: z.date(), cause: z.string() }),
  ),
  /** The fiscal drive's backlog of documents not yet confirmed by the OFD, as last reported. */
  fn: z.object({
    unsentCount: z.number().int().nullable(),
    oldestUnsentAt: z.date().nullable(),
    /** Days left before the oldest unsent document hits the 30-day limit (negative = overdue). */
    daysLeft: z.number().int().nullable(),
    measuredAt: z.date().nullable(),
  }),
});
export type TTerminalView = z.infer<typeof ZTerminalView>;
