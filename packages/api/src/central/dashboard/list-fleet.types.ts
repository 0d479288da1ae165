import { z } from "zod";
import { ZTerminalView } from "./terminal-view.types.ts";

export const ZListFleetInput = z.object({ storeId: z.string().min(1).optional() }).optional();
export type TListFleetInput = z.infer<typeof ZListFleetInput>;

export const ZListFleetOutput = z.object({
  terminals: z.array(ZTerminalView),
  /** Server time of the answer, so the page can show "as of" and age without trusting its own clock. */
  asOf: z.date(),
});
export type TListFleetOutput = z.infer<typeof ZListFleetOutput>;
