import { z } from "zod";
import { ZTerminalView } from "./terminal-view.types.ts";

export const ZListFleetInput = z.object({ storeId: z.string().min(1).optional() }).optional();
export type TListFleetInput = z.infer<typeof ZListFleetInput>;

/** The strip above the table: the fleet's state in five figures (and the totals behind them). */
export const ZFleetSummary = z.object({
  tills: z.number().int().nonnegative(),
  online: z.number().int().nonnegative(),
  needsAttention: z.number().int().nonnegative(),
  /** Receipts waiting for a register, summed over the tills' last snapshots. */
  receiptsWaiting: z.number().int().nonnegative(),
  receiptsNeedingAttention: z.number().int().nonnegative(),
  dlqItems: z.number().int().nonnegative(),
  /** Tills with at least one breaker not closed. */
  openBreakerTills: z.number().int().nonnegative(),
  /** Tills whose oldest unsent FN document is 25 days old or more. */
  fnAgeWarnings: z.number().int().nonnegative(),
});
export type TFleetSummary = z.infer<typeof ZFleetSummary>;

export const ZListFleetOutput = z.object({
  /** Tills needing attention first, then offline ones, then the rest; by store and name within. */
  terminals: z.array(ZTerminalView),
  summary: ZFleetSummary,
  /** Server time of the answer, so the page can show "as of" and age without trusting its own clock. */
  asOf: z.date(),
});
export type TListFleetOutput = z.infer<typeof ZListFleetOutput>;
