import { compareText } from "../compare-text.ts";
import { permitted } from "../permissions.ts";
import { correlateTrips } from "./correlation.ts";
import { ZGetBreakerFleetInput, ZGetBreakerFleetOutput } from "./get-fleet.types.ts";
import {
  KNOWN_DESTINATIONS,
  lanesWithTransitions,
  scopedTerminals,
  statesBefore,
  transitionsInWindow,
} from "./queries.ts";
import { type BreakerTransitionRow, buildSegments, compactLane } from "./segments.ts";

/**
 * One fleet view holds at most this many trips, transitions of its drawn lanes, and lanes (a
 * chain-wide outage is one trip and ~3 transitions per till).
 */
export const MAX_FLEET_TRIPS = 20_000;
export const MAX_FLEET_TRANSITIONS = 20_000;
export const MAX_FLEET_LANES = 300;
/**
 * The page lists at most this many incidents (newest first) and names at most this many tills per
 * incident: a week of a busy chain is thousands of incidents and outages of hundreds of tills, more
 * than a table can show and a 3 MB answer to build, validate and ship. The summary and each
 * incident's `tillCount` still count everything.
 */
export const MAX_FLEET_INCIDENTS = 200;
/** Segments a lane ships (the page's chart draws as many; the till's timeline has them all). */
export const MAX_LANE_SEGMENTS = 80;
export const MAX_INCIDENT_TRIPS = 20;

/**
 * The fleet's breakers over a window: every trip lined up in time, grouped into incidents by the
 * correlation rule (outage of the destination vs one till alone), and a lane per till and
 * destination that was not closed at some point.
 */
export const getBreakerFleetProcedure = permitted("breakers.view")
  .input(ZGetBreakerFleetInput)
  .output(ZGetBreakerFleetOutput)
  .query(async ({ ctx, input }) => {
    const window = { from: input.from, to: input.to };
    const rule = { windowMs: input.windowSeconds * 1000, minTills: input.minTills };
    const terminals = await scopedTerminals(ctx.db, ctx.scope, { storeId: input.storeId });
    const byId = new Map(terminals.map((t) => [t.id, t]));
    // Three reads instead of every transition in the window (a week of a chain: 20,000+ rows,
    // most of them parsed for lanes never drawn): the trips (correlation and incidents), which
    // lanes have transitions, then the transitions of the lanes drawn — without their causes.
    const [trips, laneKeys] = await Promise.all([
      transitionsInWindow(ctx.db, terminals, window, input.destination, MAX_FLEET_TRIPS, { only: "trips" }),
      lanesWithTransitions(ctx.db, terminals, window, input.destination),
    ]);
    const destinations = input.destination
      ? [input.destination]
      : [...new Set([...KNOWN_DESTINATIONS, ...laneKeys.map((l) => l.destination)])].sort();
    const before = await statesBefore(ctx.db, terminals, destinations, input.from);

    const till = (terminalId: string) => {
      const t = byId.get(terminalId)!;
      return { terminalId, terminalName: t.name, storeId: t.storeId, storeName: t.store.name };
    };
    const incidents = correlateTrips(
      trips.transitions.map((t) => ({
        terminalId: t.terminalId,
        storeId: byId.get(t.terminalId)!.storeId,
        destination: t.destination,
        at: t.at,
        cause: t.cause,
        failures: t.failures,
      })),
      rule,
    );

    // A lane per pair with a transition in the window or not closed when it began.
    const laneSet = new Set(laneKeys.map((l) => `${l.terminalId}/${l.destination}`));
    for (const [key, state] of before) if (state !== "closed") laneSet.add(key);
    // Sort keys computed once per lane, not per comparison (a few hundred lanes, thousands of comparisons).
    const laneOrder = [...laneSet].map((key) => {
      const [terminalId, destination] = key.split("/") as [string, string];
      const t = byId.get(terminalId)!;
      return { key, terminalId, destination, store: t.store.name, name: t.name };
    });
    laneOrder.sort(
      (a, b) =>
        compareText(a.store, b.store) ||
        compareText(a.name, b.name) ||
        compareText(a.destination, b.destination),
    );
    const drawn = laneOrder.slice(0, MAX_FLEET_LANES);
    const drawnTerminals = [...new Set(drawn.map((l) => l.terminalId))].map((id) => byId.get(id)!);
    const laneTransitions = await transitionsInWindow(
      ctx.db,
      drawnTerminals,
      window,
      input.destination,
      MAX_FLEET_TRANSITIONS,
      { causes: false },
    );
    const perLane = new Map<string, BreakerTransitionRow[]>();
    for (const t of laneTransitions.transitions) {
      const key = `${t.terminalId}/${t.destination}`;
      const lane = perLane.get(key);
      if (lane) lane.push(t);
      else perLane.set(key, [t]);
    }
    const lanes = drawn.map(({ key, terminalId, destination }) => ({
      ...till(terminalId),
      destination,
      ...compactLane(
        buildSegments(before.get(key) ?? "closed", perLane.get(key) ?? [], window),
        window.from,
        MAX_LANE_SEGMENTS,
      ),
    }));

    return {
      from: input.from,
      to: input.to,
      rule,
      incidents: incidents.slice(0, MAX_FLEET_INCIDENTS).map((incident) => ({
        destination: incident.destination,
        kind: incident.kind,
        startedAt: incident.startedAt,
        lastTripAt: incident.lastTripAt,
        tillCount: incident.trips.length,
        trips: incident.trips.slice(0, MAX_INCIDENT_TRIPS).map((trip) => ({
          ...till(trip.terminalId),
          at: trip.at,
          cause: trip.cause,
          failures: trip.failures,
        })),
        storeCount: incident.storeIds.length,
      })),
      lanes,
      incidentCount: incidents.length,
      summary: {
        outages: incidents.filter((i) => i.kind === "outage").length,
        several: incidents.filter((i) => i.kind === "several").length,
        local: incidents.filter((i) => i.kind === "local").length,
        tillsTripped: new Set(incidents.flatMap((i) => i.trips.map((t) => t.terminalId))).size,
      },
      truncated: trips.truncated || laneTransitions.truncated || laneOrder.length > MAX_FLEET_LANES,
    };
  });
