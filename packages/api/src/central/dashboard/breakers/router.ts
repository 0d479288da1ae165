import { router } from "../../trpc.ts";
import { getBreakerFleetProcedure } from "./get-fleet.ts";
import { getBreakerTimelineProcedure } from "./get-timeline.ts";

/** Breaker history: one till's timeline per destination, and the fleet's trips correlated in time. */
export const breakersRouter = router({
  timeline: getBreakerTimelineProcedure,
  fleet: getBreakerFleetProcedure,
});
