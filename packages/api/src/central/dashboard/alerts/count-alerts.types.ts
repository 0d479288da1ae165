import { z } from "zod";

export const ZCountAlertsInput = z.object({ storeId: z.string().min(1).max(64).optional() }).optional();
export const ZCountAlertsOutput = z.object({
  /** Alerts firing now in the user's stores (or the one store asked about). */
  firing: z.number().int(),
});
