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
});
export type TTerminalView = z.infer<typeof ZTerminalView>;
