import { z } from "zod";
import {
  refineWindow,
  ZBreakerSegment,
  ZBreakerState,
  ZBreakerWindow,
  ZDestination,
} from "./window.types.ts";

export const ZGetBreakerTimelineInput = ZBreakerWindow.extend({
  terminalId: z.string().min(1).max(64),
  /** One destination; all of the till's when absent. */
  destination: ZDestination.optional(),
}).superRefine(refineWindow);
export type TGetBreakerTimelineInput = z.input<typeof ZGetBreakerTimelineInput>;

export const ZBreakerTransitionView = z.object({
  id: z.string(),
  at: z.date(),
  /** As the till reported them: closed, open, half_open, isolated (held open). */
  from: z.string(),
  to: z.string(),
  cause: z.string(),
  failures: z.number().int(),
});

export const ZGetBreakerTimelineOutput = z.object({
  terminal: z.object({
    id: z.string(),
    name: z.string(),
    storeId: z.string(),
    storeName: z.string(),
    timezone: z.string(),
  }),
  from: z.date(),
  to: z.date(),
  destinations: z.array(
    z.object({
      destination: z.string(),
      stateAtStart: ZBreakerState,
      segments: z.array(ZBreakerSegment),
      transitions: z.array(ZBreakerTransitionView),
      /** Times it left closed for open inside the window. */
      trips: z.number().int().nonnegative(),
      /** Time not closed (open or half-open) inside the window, ms. */
      notClosedMs: z.number().int().nonnegative(),
    }),
  ),
  /** More transitions than one view shows (MAX_TIMELINE_TRANSITIONS): narrow the window. */
  truncated: z.boolean(),
});
export type TGetBreakerTimelineOutput = z.infer<typeof ZGetBreakerTimelineOutput>;
