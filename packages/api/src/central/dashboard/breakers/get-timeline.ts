import { AppError } from "../../../errors.ts";
import { permitted } from "../permissions.ts";
import { scopedTerminals } from "../scoped-terminals.ts";
import { ZGetBreakerTimelineInput, ZGetBreakerTimelineOutput } from "./get-timeline.types.ts";
import { KNOWN_DESTINATIONS, statesBefore, transitionsInWindow } from "./queries.ts";
import { buildSegments, isTrip, notClosedMs, shownState } from "./segments.ts";

/** A flapping breaker over a month can report thousands of transitions; one view draws at most these. */
export const MAX_TIMELINE_TRANSITIONS = 5000;

/** One till's breaker timeline per destination over a window: segments, transitions, the failures that tripped it. */
export const getBreakerTimelineProcedure = permitted("breakers.view")
  .input(ZGetBreakerTimelineInput)
  .output(ZGetBreakerTimelineOutput)
  .query(async ({ ctx, input }) => {
    const [terminal] = await scopedTerminals(ctx.db, ctx.scope, { terminalId: input.terminalId });
    if (!terminal) {
      throw new AppError("NOT_FOUND", {
        message: `Terminal ${input.terminalId} was not found in your organization: pick it from the fleet page.`,
      });
    }
    const window = { from: input.from, to: input.to };
    const { transitions, truncated } = await transitionsInWindow(
      ctx.db,
      [terminal],
      window,
      input.destination,
      MAX_TIMELINE_TRANSITIONS,
    );
    const destinations = input.destination
      ? [input.destination]
      : [...new Set([...KNOWN_DESTINATIONS, ...transitions.map((t) => t.destination)])].sort();
    const before = await statesBefore(ctx.db, [terminal], destinations, input.from);
    return {
      terminal: {
        id: terminal.id,
        name: terminal.name,
        storeId: terminal.storeId,
        storeName: terminal.store.name,
        timezone: terminal.store.timezone,
      },
      from: input.from,
      to: input.to,
      truncated,
      destinations: destinations.map((destination) => {
        const own = transitions.filter((t) => t.destination === destination);
        const stateAtStart = before.get(`${terminal.id}/${destination}`) ?? "closed";
        const segments = buildSegments(stateAtStart, own, window);
        return {
          destination,
          stateAtStart: shownState(stateAtStart),
          segments,
          transitions: own.map((t) => ({
            id: t.id,
            at: t.at,
            from: t.fromState,
            to: t.toState,
            cause: t.cause,
            failures: t.failures,
          })),
          trips: own.filter(isTrip).length,
          notClosedMs: notClosedMs(segments),
        };
      }),
    };
  });
