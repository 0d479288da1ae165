import { z } from "zod";
import { DEFAULT_CORRELATION_RULE } from "./correlation.ts";
import { refineWindow, ZBreakerState, ZBreakerWindow, ZDestination } from "./window.types.ts";

export const ZGetBreakerFleetInput = ZBreakerWindow.extend({
  destination: ZDestination.optional(),
  storeId: z.string().min(1).max(64).optional(),
  /** The correlation window (correlation.ts): trips this close to an incident's first belong to it. */
  windowSeconds: z
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(DEFAULT_CORRELATION_RULE.windowMs / 1000),
  /** Distinct tills that make an incident an outage of the destination. */
  minTills: z.number().int().min(2).max(1000).default(DEFAULT_CORRELATION_RULE.minTills),
}).superRefine(refineWindow);
export type TGetBreakerFleetInput = z.input<typeof ZGetBreakerFleetInput>;

/**
 * An array whose every element passes `check`, validated in place: the same answer as z.array of
 * the element's schema, without copying it element by element — a chain's week is 300 lanes of
 * ~10,000 segments, and z.array's copies of them were most of the answer's validation and garbage.
 */
const checkedArray = <T>(check: (value: unknown) => value is T, what: string) =>
  z.custom<T[]>((value) => Array.isArray(value) && value.every(check), {
    message: `expected an array of ${what}`,
  });

const SHOWN_STATES: ReadonlySet<unknown> = new Set(ZBreakerState.options);
const isShownState = (value: unknown): value is z.infer<typeof ZBreakerState> => SHOWN_STATES.has(value);
const isOffset = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

const ZTill = z.object({
  terminalId: z.string(),
  terminalName: z.string(),
  storeId: z.string(),
  storeName: z.string(),
});

export const ZBreakerIncidentView = z.object({
  destination: z.string(),
  /** outage: many tills at once (the server or the OFD); local: one till alone; several: in between. */
  kind: z.enum(["outage", "several", "local"]),
  startedAt: z.date(),
  lastTripAt: z.date(),
  /** Distinct tills that tripped in the incident (what its kind is decided by). */
  tillCount: z.number().int(),
  /** Each till's first trip in the incident, in time order: the first MAX_INCIDENT_TRIPS (get-fleet.ts) of `tillCount`. */
  trips: z.array(ZTill.extend({ at: z.date(), cause: z.string(), failures: z.number().int() })),
  storeCount: z.number().int(),
});
export type TBreakerIncidentView = z.infer<typeof ZBreakerIncidentView>;

export const ZGetBreakerFleetOutput = z.object({
  from: z.date(),
  to: z.date(),
  rule: z.object({ windowMs: z.number().int(), minTills: z.number().int() }),
  /** Newest first: the newest MAX_FLEET_INCIDENTS (get-fleet.ts) of `incidentCount`. */
  incidents: z.array(ZBreakerIncidentView),
  /** Every incident in the window, listed or not. */
  incidentCount: z.number().int(),
  /**
   * One lane per till and destination that was not closed at some point in the window, lined up in
   * time: its segments as parallel arrays (segments.ts, compactLaneOf) — each one's state and its start
   * in ms after `from`, ending where the next starts (the last at `to`) — the first
   * MAX_LANE_SEGMENTS (get-fleet.ts) of them, `more` left out from `cutAt` on.
   */
  lanes: z.array(
    ZTill.extend({
      destination: z.string(),
      states: checkedArray(isShownState, "breaker states"),
      starts: checkedArray(isOffset, "non-negative integers"),
      more: z.number().int().nonnegative(),
      cutAt: z.number().int().nonnegative().nullable(),
    }),
  ),
  summary: z.object({
    outages: z.number().int(),
    several: z.number().int(),
    local: z.number().int(),
    tillsTripped: z.number().int(),
  }),
  /** More transitions or lanes than one view holds: narrow the window or pick a store. */
  truncated: z.boolean(),
});
export type TGetBreakerFleetOutput = z.infer<typeof ZGetBreakerFleetOutput>;
